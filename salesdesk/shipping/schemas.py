"""Per-operation schemas of the shipping API (STYLE rule 9)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.shipping.models import (
    Carrier,
    Complaint,
    Mode,
    Outcome,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from salesdesk.shipping.selectors import (
    agreement_state,
    is_late,
    shipment_actions,
    shipment_lines,
)

ModeCode = Literal[tuple(Mode.values)]
StatusCode = Literal[tuple(ShipmentStatus.values)]
# Page action names → the API's action paths.
ACTION_PATHS = {"tracking": "tracking-events", "receipt_link": "receipt-link"}


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class ShipmentListQuery(Schema):
    status: StatusCode | Literal[""] = ""
    customer: int | None = Field(None, description="Customer id.")
    carrier: int | None = Field(None, description="Carrier id.")
    overdue: bool = Field(False, description="Only shipments on the way past their ETA.")
    date_from: date | None = Field(None, description="Planned on or after.")
    date_to: date | None = Field(None, description="Planned on or before.")
    q: str = Field("", description="Part of the DN, tracking or order number.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ShipmentLineIn(In):
    order_line: int = Field(description="Order line id.")
    quantity: Decimal


class ShipmentCreateIn(In):
    order: int = Field(description="Order id.")
    lines: list[ShipmentLineIn]
    ship_to: int | None = Field(None, description="Ship-to address id; default address if empty.")
    planned_ship_date: date | None = None


class ReadinessIn(In):
    goods_ready: bool | None = None
    qc_passed: bool | None = None
    qc_note: str | None = Field(None, max_length=200)
    packed: bool | None = None
    packages: int | None = Field(None, ge=0)
    gross_weight: Decimal | None = Field(None, ge=0)


class BookIn(In):
    carrier: int = Field(description="Carrier id.")
    mode: ModeCode
    planned_ship_date: date
    promised_delivery_date: date | None = Field(
        None, description="Empty: the ship date plus the carrier's transit days."
    )


class DispatchIn(In):
    tracking_number: str = Field(max_length=60)


class NoteIn(In):
    note: str = Field("", max_length=200)


class ReasonIn(In):
    reason: str = Field(max_length=200)


class TrackingEventIn(In):
    occurred_at: datetime
    description: str = Field(max_length=200)
    location: str = Field("", max_length=100)
    exception: bool = False


class ComplaintIn(In):
    description: str
    role: str = Field(description="Department that handles it, e.g. quality, warehouse.")
    line: int | None = Field(None, description="Shipment line id.")


class ComplaintResolveIn(In):
    outcome: Literal[tuple(Outcome.values)]
    resolution: str


class ShipmentLineOut(Schema):
    id: int
    order_line: int
    line_number: int
    sku: str
    name: str
    unit: str
    quantity: Decimal
    received_quantity: Decimal | None
    damaged_quantity: Decimal

    @staticmethod
    def resolve_order_line(obj: ShipmentLine) -> int:
        return obj.order_line_id

    @staticmethod
    def resolve_line_number(obj: ShipmentLine) -> int:
        return obj.order_line.line_number

    @staticmethod
    def resolve_sku(obj: ShipmentLine) -> str:
        return obj.order_line.product.sku

    @staticmethod
    def resolve_name(obj: ShipmentLine) -> str:
        return obj.order_line.product.name

    @staticmethod
    def resolve_unit(obj: ShipmentLine) -> str:
        return obj.order_line.product.unit


class TrackingEventOut(Schema):
    id: int
    occurred_at: datetime
    location: str
    description: str
    is_exception: bool
    source: str


class ComplaintOut(Schema):
    id: int
    shipment: int
    line: int | None
    description: str
    role: str
    work_order: int | None
    status: str
    outcome: str
    resolution: str
    recorded_by: str
    created_at: datetime

    @staticmethod
    def resolve_shipment(obj: Complaint) -> int:
        return obj.shipment_id

    @staticmethod
    def resolve_line(obj: Complaint) -> int | None:
        return obj.line_id

    @staticmethod
    def resolve_work_order(obj: Complaint) -> int | None:
        return obj.work_order_id

    @staticmethod
    def resolve_recorded_by(obj: Complaint) -> str:
        return obj.recorded_by.username


class SurveyOut(Schema):
    quality: int
    timeliness: int
    service: int
    comment: str
    created_at: datetime


class ShipmentListItemOut(Schema):
    id: int
    number: str
    order: int
    order_number: str
    customer: int
    customer_name: str
    status: str
    carrier: int | None
    carrier_name: str
    mode: str
    tracking_number: str
    planned_ship_date: date | None
    promised_delivery_date: date | None
    dispatched_at: datetime | None
    delivered_at: datetime | None
    receipt_confirmed_at: datetime | None
    late: bool = Field(description="On the way and past the promised delivery date.")
    created_at: datetime
    available_actions: list[str]

    @staticmethod
    def resolve_order(obj: Shipment) -> int:
        return obj.order_id

    @staticmethod
    def resolve_order_number(obj: Shipment) -> str:
        return obj.order.number

    @staticmethod
    def resolve_customer(obj: Shipment) -> int:
        return obj.order.customer_id

    @staticmethod
    def resolve_customer_name(obj: Shipment) -> str:
        return str(obj.order.customer)

    @staticmethod
    def resolve_carrier(obj: Shipment) -> int | None:
        return obj.carrier_id

    @staticmethod
    def resolve_carrier_name(obj: Shipment) -> str:
        return obj.carrier.name if obj.carrier_id else ""

    @staticmethod
    def resolve_late(obj: Shipment) -> bool:
        return is_late(obj)

    @staticmethod
    def resolve_available_actions(obj: Shipment, context) -> list[str]:
        actions = shipment_actions(obj, context["request"].user)
        return [ACTION_PATHS.get(action, action) for action in actions]


class ShipmentPageOut(Schema):
    count: int
    items: list[ShipmentListItemOut]


class ShipmentOut(ShipmentListItemOut):
    ship_to: int | None
    goods_ready: bool
    qc_passed: bool
    qc_note: str
    packed: bool
    packages: int
    gross_weight: Decimal
    exception_reason: str
    notice_state: str | None = Field(description="State of the shipping notice e-mail.")
    created_by: str
    lines: list[ShipmentLineOut]
    tracking: list[TrackingEventOut]
    complaints: list[ComplaintOut]
    survey: SurveyOut | None

    @staticmethod
    def resolve_ship_to(obj: Shipment) -> int | None:
        return obj.ship_to_id

    @staticmethod
    def resolve_notice_state(obj: Shipment) -> str | None:
        return obj.notice.state if obj.notice_id else None

    @staticmethod
    def resolve_created_by(obj: Shipment) -> str:
        return obj.created_by.username

    @staticmethod
    def resolve_lines(obj: Shipment) -> list[ShipmentLine]:
        return list(shipment_lines(obj))

    @staticmethod
    def resolve_tracking(obj: Shipment) -> list:
        return list(obj.tracking.all())

    @staticmethod
    def resolve_complaints(obj: Shipment) -> list[Complaint]:
        return list(obj.complaints.select_related("recorded_by"))

    @staticmethod
    def resolve_survey(obj: Shipment):
        return getattr(obj, "survey", None)


class SuggestionOut(Schema):
    carrier: int | None
    carrier_name: str
    reason: str
    cost: Decimal | None


class ReceiptLinkOut(Schema):
    url: str = Field(description="Also e-mailed to the customer; shown only now.")


class AgreementOut(Schema):
    id: int
    reference: str
    valid_from: date
    valid_until: date
    has_document: bool

    @staticmethod
    def resolve_has_document(obj) -> bool:
        return bool(obj.document)


class CarrierOut(Schema):
    id: int
    code: str
    name: str
    modes: list[str]
    service_areas: list[str]
    base_rate: Decimal
    rate_per_kg: Decimal
    transit_days: int
    is_active: bool
    has_push_secret: bool
    agreement: str = Field(description="valid, expired or none: whether booking works today.")
    agreements: list[AgreementOut]

    @staticmethod
    def resolve_has_push_secret(obj: Carrier) -> bool:
        return bool(obj.webhook_secret)

    @staticmethod
    def resolve_agreement(obj: Carrier) -> str:
        return agreement_state(obj)

    @staticmethod
    def resolve_agreements(obj: Carrier) -> list:
        return list(obj.agreements.all())


class CarrierSecretOut(CarrierOut):
    push_secret: str = Field(description="Shown only now; only an encrypted copy is stored.")


class CarrierCreateIn(In):
    code: str = Field(max_length=30)
    name: str = Field(max_length=100)
    modes: list[ModeCode]
    service_areas: list[str] = Field(default_factory=list)
    base_rate: Decimal = Decimal(0)
    rate_per_kg: Decimal = Decimal(0)
    transit_days: int = 3
    is_active: bool = True


class CarrierPatchIn(In):
    name: str | None = Field(None, max_length=100)
    modes: list[ModeCode] | None = None
    service_areas: list[str] | None = None
    base_rate: Decimal | None = None
    rate_per_kg: Decimal | None = None
    transit_days: int | None = None
    is_active: bool | None = None
