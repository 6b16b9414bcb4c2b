"""Per-operation schemas of the risk API (STYLE rule 9; R1.1, R1.2, R2.2)."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.core.workflow import available_actions
from salesdesk.risk.models import ContingencyActivation, Risk, RiskCategory, RiskLevel, RiskStatus
from salesdesk.risk.workflow import RISK

Category = Literal[tuple(RiskCategory.values)]


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class RiskCreateIn(In):
    title: str
    category: Category
    description: str = ""
    owner: int | None = Field(None, description="User id; default: you.")
    customer: int | None = Field(None, description="Customer id.")
    order: int | None = Field(None, description="Order id; sets the customer too.")
    contract: int | None = Field(None, description="Contract id; sets the customer too.")
    shipment: int | None = Field(None, description="Shipment id; sets the customer too.")
    response_plan: str = ""
    contingency_plan: str = ""


class RiskUpdateIn(In):
    title: str | None = None
    category: Category | None = None
    description: str | None = None
    owner: int | None = None
    customer: int | None = None
    order: int | None = None
    contract: int | None = None
    shipment: int | None = None
    response_plan: str | None = None
    contingency_plan: str | None = None


class AssessIn(In):
    likelihood: int = Field(description="1 to the policy scale (risk.scale).")
    impact: int = Field(description="1 to the policy scale (risk.scale).")
    note: str = ""


class NoteIn(In):
    note: str = ""


class MatrixIn(In):
    scale: int
    matrix: list[list[str]] = Field(
        description="One row per likelihood from 1 up, each the levels for impact 1 up."
    )


class MatrixOut(Schema):
    scale: int
    matrix: list[list[str]]
    levels: list[str] = list(RiskLevel.values)


class RiskListQuery(Schema):
    status: Literal[tuple(RiskStatus.values)] | Literal[""] = ""
    category: Category | Literal[""] = ""
    level: Literal[tuple(RiskLevel.values)] | Literal[""] = ""
    owner: int | None = None
    customer: int | None = None
    likelihood: int | None = None
    impact: int | None = None
    open_only: bool = False
    q: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class RiskListItemOut(Schema):
    id: int
    number: str
    title: str
    category: str
    status: str
    level: str
    likelihood: int | None
    impact: int | None
    owner: str
    customer: int | None = Field(None, alias="customer_id")
    created_at: datetime

    @staticmethod
    def resolve_owner(obj: Risk) -> str:
        return obj.owner.username


class RiskPageOut(Schema):
    count: int
    items: list[RiskListItemOut]


class ActivationOut(Schema):
    id: int
    activated_by: str
    activated_at: datetime
    note: str
    plan: str

    @staticmethod
    def resolve_activated_by(obj: ContingencyActivation) -> str:
        return obj.activated_by.username


class RiskOut(RiskListItemOut):
    description: str
    order: int | None = Field(None, alias="order_id")
    contract: int | None = Field(None, alias="contract_id")
    shipment: int | None = Field(None, alias="shipment_id")
    response_plan: str
    contingency_plan: str
    assessed_at: datetime | None
    activations: list[ActivationOut]
    available_actions: list[str]

    @staticmethod
    def resolve_activations(obj: Risk) -> list[ContingencyActivation]:
        return list(obj.activations.select_related("activated_by"))

    @staticmethod
    def resolve_available_actions(obj: Risk, context) -> list[str]:
        return available_actions(RISK, obj, context["request"].user)


class CreditScoreOut(Schema):
    customer: int
    score: int | None
    level: str
    computed_at: datetime | None
    inputs: dict[str, Any]
    history: list[dict[str, Any]]
