"""Per-operation schemas of the reports API (STYLE rule 9; A3.1, A3.2)."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.reports import rules
from salesdesk.reports.models import PackStatus, ReportKind, ReportPack

KindCode = Literal[tuple(ReportKind.values)]
StatusCode = Literal[tuple(PackStatus.values)]


class ReportPackCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindCode
    period: str = Field(description="A finished month `2025-03` or quarter `2025-Q1`.")
    deliver: bool = Field(False, description="Send it to the recipients when it is ready.")


class ReportPackListQuery(Schema):
    kind: KindCode | None = None
    year: int | None = Field(None, ge=1900, le=9999)
    status: StatusCode | None = None
    current_only: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ProblemOut(Schema):
    code: str
    severity: str
    dimension: str
    segment: str
    numbers: dict[str, Any]
    finding: str
    action: str


class ReportPackOut(Schema):
    id: int
    kind: KindCode
    period: str
    period_start: date
    period_end: date
    version: int
    status: StatusCode
    generated_by: str = Field(description="`schedule` or `manual`.")
    requested_by: str
    language: str
    generated_at: datetime | None
    delivered_at: datetime | None
    step: str
    summary: dict[str, Any]
    problems: list[ProblemOut]
    pdf_url: str | None
    xlsx_url: str | None

    @staticmethod
    def resolve_period(obj: ReportPack) -> str:
        return obj.period_label

    @staticmethod
    def resolve_generated_by(obj: ReportPack) -> str:
        return obj.trigger

    @staticmethod
    def resolve_requested_by(obj: ReportPack) -> str:
        return obj.requested_by.get_username()

    @staticmethod
    def resolve_problems(obj: ReportPack) -> list[dict]:
        return [
            {**p, "finding": rules.finding_text(p), "action": rules.action_text(p)}
            for p in obj.problems
        ]

    @staticmethod
    def resolve_pdf_url(obj: ReportPack) -> str | None:
        return f"/api/v1/reports/{obj.pk}/pdf" if obj.pdf else None

    @staticmethod
    def resolve_xlsx_url(obj: ReportPack) -> str | None:
        return f"/api/v1/reports/{obj.pk}/xlsx" if obj.xlsx else None


class ReportPackPageOut(Schema):
    count: int
    items: list[ReportPackOut]
