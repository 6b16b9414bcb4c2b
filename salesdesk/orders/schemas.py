"""Per-operation schemas of the orders API (STYLE rule 9).

Lines are numbered from 1 everywhere, as on the order: a malformed value in the second line
is reported as `lines.2.quantity` whether the schema or the order rules (O1.3) refuse it.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationError, model_validator

from salesdesk.core.money import amount_in_words
from salesdesk.core.workflow import available_actions
from salesdesk.orders.models import (
    ChangeRequest,
    Channel,
    DelayCause,
    GuaranteeKind,
    Order,
    OrderLine,
    OrderStatus,
)
from salesdesk.orders.review import finding_message
from salesdesk.orders.selectors import order_progress
from salesdesk.orders.workflow import ORDER

# The workflow actions the API offers as `POST /orders/{id}/<action>`; the others (hold,
# start-fulfillment) happen inside services and are never a caller's choice.
ACTIONS = ("submit", "approve", "reject", "reopen", "release", "cancel")
ChannelCode = Literal[tuple(Channel.values)]
StatusCode = Literal[tuple(OrderStatus.values)]


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


def _line_numbered(error: dict) -> dict:
    loc = list(error["loc"])
    if len(loc) > 1 and loc[0] == "lines" and isinstance(loc[1], int):
        loc[1] += 1
    detail = {"type": error["type"], "loc": tuple(loc), "input": error["input"]}
    if "ctx" in error:
        detail["ctx"] = error["ctx"]
    return detail


class WithLinesIn(In):
    """Reports errors inside `lines` by line number (1, 2, …), like the order rules do."""

    @model_validator(mode="wrap")
    @classmethod
    def _number_lines_from_one(cls, data: Any, handler):
        try:
            return handler(data)
        except ValidationError as exc:
            errors = [_line_numbered(error) for error in exc.errors()]
            raise ValidationError.from_exception_data(exc.title, errors) from None


class OrderLineIn(In):
    product: str | int = Field(description="SKU (or product id).")
    quantity: Decimal
    unit_price: Decimal | None = Field(None, description="Default: the list price.")
    discount_rate: Decimal | None = Field(None, description="A fraction: 0.05 is 5 %.")
    tax_rate: Decimal | None = Field(None, description="Default: the product's tax rate.")
    requested_date: date | None = None
    description: str = ""


class OrderHeaderIn(WithLinesIn):
    channel: ChannelCode | None = None
    payment_terms: str | None = Field(None, description="A code of policy orders.payment_terms.")
    requested_delivery_date: date | None = None
    customer_reference: str | None = Field(None, description="The customer's PO number.")
    note: str | None = None
    prices_include_tax: bool | None = None


class OrderCreateIn(OrderHeaderIn):
    customer: int = Field(description="Customer id.")
    channel: ChannelCode = "electronic"
    payment_terms: str
    requested_delivery_date: date
    lines: list[OrderLineIn]


class OrderPatchIn(OrderHeaderIn):
    """A draft's changed fields; `lines`, when sent, replace all lines."""

    lines: list[OrderLineIn] | None = None


class OrderListQuery(Schema):
    status: StatusCode | Literal[""] = ""
    customer: int | None = Field(None, description="Customer id.")
    salesperson: str = Field("", description="Username of the salesperson.")
    date_from: date | None = Field(None, description="Entered on or after.")
    date_to: date | None = Field(None, description="Entered on or before.")
    on_hold: bool | None = None
    q: str = Field("", description="Part of the order number.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class LastPriceQuery(Schema):
    customer: int
    product: str = Field(description="SKU or product id.")


class LastPriceOut(Schema):
    customer: int
    product: int
    sku: str
    unit_price: Decimal | None = Field(description="On the customer's latest approved order.")


class NoteIn(In):
    note: str = Field("", max_length=2000)


class ReasonIn(In):
    reason: str = Field(max_length=200)


class ReleaseIn(In):
    """How a hold is resolved; the order rules check what each mode needs (O2.1, O2.2)."""

    mode: Literal["credit", "guarantee", "override"] = Field(
        description="credit: a credit approver releases it (note); guarantee: an extra "
        "guarantee covers the excess (kind, amount); override: a sales manager accepts a "
        "compliance finding (rule, reason)."
    )
    note: str = Field("", max_length=200)
    kind: Literal[tuple(GuaranteeKind.values)] | None = None
    amount: Decimal | None = None
    rule: str = ""
    reason: str = ""


class ChangeHeaderIn(In):
    payment_terms: str | None = None
    requested_delivery_date: date | None = None
    customer_reference: str | None = None
    note: str | None = None


class ChangeRequestIn(WithLinesIn):
    reason: str
    header: ChangeHeaderIn = Field(default_factory=ChangeHeaderIn)
    lines: list[OrderLineIn] = Field(description="All lines as they should be after the change.")


class DelayIn(In):
    cause: Literal[tuple(DelayCause.values)]
    new_date: date
    description: str
    notify_customer: bool = True


class OrderLineOut(Schema):
    line_number: int
    product: int
    sku: str
    name: str
    unit: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    requested_date: date | None
    promised_date: date | None
    reserved_quantity: Decimal
    short_quantity: Decimal | None = Field(
        description="What approval could not reserve; null unless the order is approved and live."
    )
    is_cancelled: bool

    @staticmethod
    def resolve_product(obj: OrderLine) -> int:
        return obj.product_id

    @staticmethod
    def resolve_sku(obj: OrderLine) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_name(obj: OrderLine) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj: OrderLine) -> str:
        return obj.product.unit

    @staticmethod
    def resolve_short_quantity(obj: OrderLine) -> Decimal | None:
        order = obj.order
        live = order.approved_at and order.status != OrderStatus.CANCELLED
        return obj.short_quantity if live and not obj.is_cancelled else None


def _in_reader_language(findings: list[dict]) -> list[dict]:
    return [{**item, "message": finding_message(item)} for item in findings]


class ReviewOut(Schema):
    id: int
    credit: str
    compliance: str
    stock: str
    findings: list[dict]
    exposure: dict
    created_at: datetime

    @staticmethod
    def resolve_findings(obj) -> list[dict]:
        return _in_reader_language(obj.findings)


class WorkOrderBriefOut(Schema):
    id: int
    number: str
    kind: str
    role: str
    status: str
    progress: int
    needed_by: date | None
    promised_date: date | None


class ProgressOut(Schema):
    percent: int
    latest_promised: date | None
    work_orders: list[WorkOrderBriefOut]


class ChangeRequestOut(Schema):
    id: int
    order: int
    status: str
    reason: str
    diff: list[dict]
    proposal: dict
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime

    @staticmethod
    def resolve_order(obj: ChangeRequest) -> int:
        return obj.order_id

    @staticmethod
    def resolve_requested_by(obj: ChangeRequest) -> str:
        return obj.requested_by.username

    @staticmethod
    def resolve_decided_by(obj: ChangeRequest) -> str | None:
        return obj.decided_by.username if obj.decided_by_id else None


class DelayOut(Schema):
    id: int
    cause: str
    description: str
    previous_date: date | None
    new_date: date
    customer_notified: bool

    @staticmethod
    def resolve_customer_notified(obj) -> bool:
        return obj.notice_id is not None


class StatusLinkOut(Schema):
    url: str = Field(description="Shown once; only its digest is stored.")
    expires_at: datetime


class OrderListItemOut(Schema):
    id: int
    number: str
    status: str
    channel: str
    customer: int
    customer_name: str
    salesperson: str
    payment_terms: str
    requested_delivery_date: date
    expected_delivery_date: date | None
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    on_hold: bool
    confirmation_due_at: datetime | None
    confirmed_at: datetime | None
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    available_actions: list[str]

    @staticmethod
    def resolve_customer(obj: Order) -> int:
        return obj.customer_id

    @staticmethod
    def resolve_customer_name(obj: Order) -> str:
        return obj.customer.short_name or obj.customer.legal_name

    @staticmethod
    def resolve_salesperson(obj: Order) -> str:
        return obj.salesperson.username

    @staticmethod
    def resolve_on_hold(obj: Order) -> bool:
        return obj.status == OrderStatus.ON_HOLD

    @staticmethod
    def resolve_available_actions(obj: Order, context) -> list[str]:
        allowed = available_actions(ORDER, obj, context["request"].user)
        return [action for action in allowed if action in ACTIONS]


class OrderPageOut(Schema):
    count: int
    items: list[OrderListItemOut]


class OrderOut(OrderListItemOut):
    customer_reference: str
    note: str
    prices_include_tax: bool
    amount_in_words: str = Field(description="The total incl. tax in Chinese capitals (U3).")
    hold_reasons: list[dict] = Field(description="Review findings holding the order (O2).")
    submitted_by: str | None
    approved_by: str | None
    cancel_reason: str
    created_by: str
    updated_at: datetime
    lines: list[OrderLineOut]
    review: ReviewOut | None = Field(description="The latest review.")
    progress: ProgressOut
    change_requests: list[ChangeRequestOut]

    @staticmethod
    def resolve_amount_in_words(obj: Order) -> str:
        variant = "hans" if (get_language() or "").lower() == "zh-hans" else "hant"
        return amount_in_words(obj.gross_amount, variant)

    @staticmethod
    def resolve_progress(obj: Order) -> dict:
        return order_progress(obj)

    @staticmethod
    def resolve_submitted_by(obj: Order) -> str | None:
        return obj.submitted_by.username if obj.submitted_by_id else None

    @staticmethod
    def resolve_approved_by(obj: Order) -> str | None:
        return obj.approved_by.username if obj.approved_by_id else None

    @staticmethod
    def resolve_created_by(obj: Order) -> str:
        return obj.created_by.username

    @staticmethod
    def resolve_lines(obj: Order) -> list[OrderLine]:
        return list(obj.lines.select_related("product").order_by("line_number"))

    @staticmethod
    def resolve_review(obj: Order):
        return obj.reviews.first()

    @staticmethod
    def resolve_change_requests(obj: Order) -> list[ChangeRequest]:
        return list(obj.change_requests.select_related("requested_by", "decided_by"))

    @staticmethod
    def resolve_hold_reasons(obj) -> list[dict]:
        return _in_reader_language(obj.hold_reasons)
