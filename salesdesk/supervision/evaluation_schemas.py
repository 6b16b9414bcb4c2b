"""API schemas for evaluations and the process-improvement log (E2.3, E3.1)."""

from datetime import date, datetime

from ninja import Field, Schema


class RunListQuery(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class RunCreateIn(Schema):
    period_start: str
    period_end: str
    note: str = ""
    compute: bool = Field(True, description="Compute the snapshot at once (else a draft)")


class ResultOut(Schema):
    id: int
    kpi: str
    label: str
    unit: str
    direction: str
    scope: str
    group: int | None
    name: str
    value: str | None
    numerator: str | None
    denominator: str | None
    p90: str | None
    count: int
    target: str
    met: bool | None


class MeasureOut(Schema):
    id: int
    kind: str
    person: str
    kpi: str
    note: str
    result: int | None
    corrective_action: str | None
    recorded_by: str
    created_at: datetime


class RunOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    period_start: date
    period_end: date
    note: str
    created_by: str
    computed_at: datetime | None
    published_at: datetime | None
    available_actions: list[str]


class RunDetailOut(RunOut):
    results: list[ResultOut]
    measures: list[MeasureOut]


class RunPageOut(Schema):
    count: int
    items: list[RunOut]


class MeasureIn(Schema):
    result: int
    kind: str = Field(description="commendation or corrective_measure")
    note: str
    create_action: bool = False
    finding: int | None = Field(None, description="For a corrective action: the finding")
    due_date: str | None = None


class ImprovementIn(Schema):
    finding: int
    change_kind: str = Field(description="policy or procedure")
    description: str
    policy_key: str = ""
    old_value: str = ""
    new_value: str = ""
    requirements: list[str] = []
    changed_on: str


class ImprovementOut(Schema):
    id: int
    number: str
    finding: str
    change_kind: str
    policy_key: str
    old_value: str
    new_value: str
    description: str
    requirements: list[str]
    changed_on: date
    recorded_by: str
    created_at: datetime


class ImprovementPageOut(Schema):
    count: int
    items: list[ImprovementOut]


class ImprovementListQuery(Schema):
    q: str = ""
    change_kind: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)
