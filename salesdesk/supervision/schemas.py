"""API schemas for KPIs and inspections (E1.1, E2.1, E2.2): one per operation."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class KpiQuery(Schema):
    kpi: str = Field(description="order_processing_cycle_time, collection_rate, … (docs/kpis.md)")
    span: str = Field("", description="order_processing_cycle_time only: review or allocation")
    group_by: str = Field("", description="person, team, department or month")
    start: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD")
    end: str | None = Field(None, alias="to", description="Last day, YYYY-MM-DD (inclusive)")


class KpiRecordsQuery(Schema):
    span: str = ""
    group_by: str = ""
    group: str | None = Field(None, description="The group's key: user/department id, YYYY-MM")
    start: str | None = Field(None, alias="from")
    end: str | None = Field(None, alias="to")


class KpiOut(Schema):
    kpi: str
    span: str
    label: str
    unit: str
    direction: str
    formula: str
    target: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    rows: list[dict[str, Any]]


class KpiRecordOut(Schema):
    kind: str
    id: int
    label: str
    url: str
    person: int | None
    day: date
    in_numerator: bool
    numerator: str | None
    denominator: str | None
    value: str | None
    detail: dict[str, Any]


class KpiRecordsOut(Schema):
    kpi: str
    span: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    count: int
    items: list[KpiRecordOut]


class PlanCreateIn(Schema):
    title: str
    scope: str
    period_start: str
    period_end: str
    lead: int | None = None
    checklist: list[str] = Field(description="Requirement IDs (O2.1) or area letters (O)")


class ChecklistOut(Schema):
    id: int
    requirement: str
    result: str
    note: str


class PlanOut(Schema):
    id: int
    number: str
    title: str
    scope: str
    period_start: date
    period_end: date
    status: str
    lead: str
    conclusion: str
    checklist: list[ChecklistOut]
    available_actions: list[str]
    created_at: datetime


class PlanPageOut(Schema):
    count: int
    items: list[PlanOut]


class PlanListQuery(Schema):
    q: str = ""
    status: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class NoteIn(Schema):
    note: str = ""


class CheckIn(Schema):
    result: str
    note: str = ""


class EvidenceIn(Schema):
    url: str
    label: str = ""


class FindingCreateIn(Schema):
    severity: str
    description: str
    requirement: str = ""
    evidence: list[EvidenceIn] = []


class FindingOut(Schema):
    id: int
    number: str
    plan: str
    requirement: str
    severity: str
    description: str
    evidence: list[dict[str, str]]
    created_at: datetime


class ActionCreateIn(Schema):
    description: str
    owner: int
    due_date: str


class ActionOut(Schema):
    id: int
    number: str
    finding: str
    description: str
    owner: str
    due_date: date
    status: str
    overdue: bool
    result_note: str
    verification_note: str
    available_actions: list[str]


class ActionPageOut(Schema):
    count: int
    items: list[ActionOut]


class ActionListQuery(Schema):
    q: str = ""
    status: str = ""
    owner: int | None = None
    overdue: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)
