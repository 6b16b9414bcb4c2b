"""Per-operation schemas of the finance API (STYLE rule 9; U1, U6)."""

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.core.workflow import available_actions
from salesdesk.finance.models import Invoice, InvoiceLine, InvoiceStatus, Payment, PaymentMethod
from salesdesk.finance.workflow import INVOICE

MethodCode = Literal[tuple(PaymentMethod.values)]


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class InvoiceCreateIn(In):
    order: int = Field(description="Order id.")
    shipment_lines: list[int] | None = Field(
        None, description="Shipment line ids; default: every shipped line not yet invoiced."
    )
    issue_date: date | None = Field(None, description="Default: today; never in the future.")
    note: str = ""


class ReasonIn(In):
    reason: str


class AllocationIn(In):
    invoice: int = Field(description="Invoice id.")
    amount: Decimal


class PaymentCreateIn(In):
    customer: int = Field(description="Customer id.")
    amount: Decimal
    received_on: date
    method: MethodCode
    reference: str = ""
    notes: str = ""
    allocations: list[AllocationIn] | None = Field(
        None, description="Omitted: allocated to the oldest due open invoices first."
    )


class AllocateIn(In):
    allocations: list[AllocationIn] | None = Field(
        None, description="Omitted: what is left goes to the oldest due open invoices first."
    )


class InvoiceListQuery(Schema):
    customer: int | None = Field(None, description="Customer id.")
    order: int | None = Field(None, description="Order id.")
    status: Literal[tuple(InvoiceStatus.values)] | Literal[""] = ""
    open_only: bool = False
    q: str = Field("", description="Part of the invoice, finance reference or order number.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class PaymentListQuery(Schema):
    customer: int | None = Field(None, description="Customer id.")
    unallocated: bool = False
    q: str = Field("", description="Part of the payment number or reference.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class AgeingQuery(Schema):
    as_of: date | None = Field(None, description="Default: today.")
    group_by: Literal["customer", "salesperson"] = "customer"
    customer: int | None = None
    salesperson: int | None = Field(None, description="User id of the customer's owner.")


class StatementQuery(Schema):
    model_config = ConfigDict(populate_by_name=True)

    start: date | None = Field(None, alias="from", description="Default: the 1st of this month.")
    to: date | None = Field(None, description="Default: today.")
    format: Literal["json", "xlsx", "pdf"] = "json"


class InvoiceLineOut(Schema):
    id: int
    description: str
    quantity: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    order_line: int | None = Field(None, alias="order_line_id")
    shipment_line: int | None = Field(None, alias="shipment_line_id")
    shipment: str | None

    @staticmethod
    def resolve_shipment(obj: InvoiceLine) -> str | None:
        return obj.shipment_line.shipment.number if obj.shipment_line_id else None


class InvoiceListItemOut(Schema):
    id: int
    number: str
    status: str
    customer: int = Field(alias="customer_id")
    customer_code: str
    customer_name: str
    order: int | None = Field(None, alias="order_id")
    order_number: str | None
    issue_date: date
    due_date: date
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    paid_amount: Decimal
    open_amount: Decimal
    is_imported: bool
    external_reference: str
    created_at: datetime

    @staticmethod
    def resolve_customer_code(obj: Invoice) -> str:
        return obj.customer.code

    @staticmethod
    def resolve_customer_name(obj: Invoice) -> str:
        return obj.customer.legal_name

    @staticmethod
    def resolve_order_number(obj: Invoice) -> str | None:
        return obj.order.number if obj.order_id else None


class InvoicePageOut(Schema):
    count: int
    items: list[InvoiceListItemOut]


class AllocationOut(Schema):
    payment: int = Field(alias="payment_id")
    payment_number: str
    invoice: int = Field(alias="invoice_id")
    invoice_number: str
    amount: Decimal

    @staticmethod
    def resolve_payment_number(obj) -> str:
        return obj.payment.number

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number


class InvoiceOut(InvoiceListItemOut):
    note: str
    void_reason: str
    voided_at: datetime | None
    lines: list[InvoiceLineOut]
    allocations: list[AllocationOut]
    available_actions: list[str]

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLine]:
        return list(obj.lines.select_related("shipment_line__shipment"))

    @staticmethod
    def resolve_allocations(obj: Invoice) -> list:
        return list(obj.allocations.select_related("payment", "invoice").order_by("pk"))

    @staticmethod
    def resolve_available_actions(obj: Invoice, context) -> list[str]:
        return available_actions(INVOICE, obj, context["request"].user)


class PaymentListItemOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    customer_code: str
    received_on: date
    amount: Decimal
    allocated_amount: Decimal
    unallocated_amount: Decimal
    currency: str
    method: str
    reference: str
    is_imported: bool
    created_at: datetime

    @staticmethod
    def resolve_customer_code(obj: Payment) -> str:
        return obj.customer.code


class PaymentPageOut(Schema):
    count: int
    items: list[PaymentListItemOut]


class PaymentOut(PaymentListItemOut):
    notes: str
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj: Payment) -> list:
        return list(obj.allocations.select_related("payment", "invoice").order_by("pk"))


class BucketOut(Schema):
    key: str
    label: str


class AgeingRowOut(Schema):
    key: int = Field(description="Customer id or salesperson (user) id.")
    code: str
    name: str
    buckets: dict[str, Decimal]
    total: Decimal
    overdue: Decimal
    oldest_overdue_days: int


class AgeingOut(Schema):
    as_of: date
    group_by: str
    buckets: list[BucketOut]
    rows: list[AgeingRowOut]
    totals: dict[str, Decimal]
    total: Decimal
    overdue: Decimal


class StatementLineOut(Schema):
    date: dt.date = Field(alias="day")
    kind: str
    number: str
    reference: str
    description: str
    quantity: Decimal | None
    value: Decimal | None = Field(description="Shipments only: value for information.")
    debit: Decimal | None = Field(description="Invoices: added to the balance.")
    credit: Decimal | None = Field(description="Payments: taken from the balance.")
    balance: Decimal


class StatementOut(Schema):
    customer: int
    customer_code: str
    customer_name: str
    period_start: date
    period_end: date
    currency: str
    opening_balance: Decimal
    invoiced: Decimal
    received: Decimal
    closing_balance: Decimal
    lines: list[StatementLineOut]
