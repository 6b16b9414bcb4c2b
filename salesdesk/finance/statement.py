"""The customer statement (對賬單) for a period (U6).

Opening balance = the customer's opening balance + invoices − payments before the period.
In the period, in date order: shipments (quantity and value, for information: they do not
change the balance), invoices (+) and payments (−), each with its document number. Closing
balance = opening + invoices − payments, which is the next period's opening balance.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed
from salesdesk.core.money import default_currency, quantize_money
from salesdesk.customers.models import Customer
from salesdesk.finance.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from salesdesk.shipping.models import ShipmentLine, ShipmentStatus

ZERO = Decimal("0.00")
SHIPPED = (
    ShipmentStatus.DISPATCHED,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.EXCEPTION,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.RECEIPT_CONFIRMED,
)
KINDS = {"shipment": _("Shipment"), "invoice": _("Invoice"), "payment": _("Payment")}
KIND_ORDER = {"shipment": 0, "invoice": 1, "payment": 2}


@dataclass(frozen=True)
class StatementLine:
    """One document of the period; `balance` is the running balance after it."""

    day: date
    kind: str
    number: str
    reference: str = ""
    product: str = ""
    due_date: date | None = None
    method: str = ""
    quantity: Decimal | None = None
    value: Decimal | None = None
    debit: Decimal | None = None
    credit: Decimal | None = None
    balance: Decimal = ZERO

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def description(self) -> str:
        """In the active language: documents may be rendered in another than the page's."""
        if self.kind == "invoice":
            return _("Due %(date)s") % {"date": self.due_date.isoformat()}
        if self.kind == "payment":
            return str(PaymentMethod(self.method).label)
        return self.product


@dataclass
class Statement:
    customer: Customer
    period_start: date
    period_end: date
    currency: str
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)
    invoiced: Decimal = ZERO
    received: Decimal = ZERO
    shipped_value: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.invoiced - self.received


def _invoices(customer: Customer):
    return Invoice.objects.filter(customer=customer, status=InvoiceStatus.ISSUED)


def balance_before(customer: Customer, day: date) -> Decimal:
    """Opening balance + invoices issued − payments received before `day`."""
    invoiced = _invoices(customer).filter(issue_date__lt=day).aggregate(t=Sum("gross_amount"))
    received = Payment.objects.filter(customer=customer, received_on__lt=day).aggregate(
        t=Sum("amount")
    )
    return customer.opening_balance + (invoiced["t"] or ZERO) - (received["t"] or ZERO)


def _shipment_lines(customer: Customer, start: date, end: date) -> list[StatementLine]:
    rows = (
        ShipmentLine.objects.filter(
            shipment__order__customer=customer, shipment__status__in=SHIPPED
        )
        .annotate(shipped_at=Coalesce("shipment__dispatched_at", "shipment__created_at"))
        .filter(shipped_at__date__gte=start, shipped_at__date__lte=end)
        .select_related("shipment", "order_line__order", "order_line__product")
    )
    lines = []
    for row in rows:
        order_line = row.order_line
        product = order_line.product
        lines.append(
            StatementLine(
                day=timezone.localdate(row.shipped_at),
                kind="shipment",
                number=row.shipment.number,
                product=f"{product.sku} {product.name}",
                reference=order_line.order.number,
                quantity=row.quantity,
                value=quantize_money(order_line.gross_amount * row.quantity / order_line.quantity),
            )
        )
    return lines


def _invoice_lines(customer: Customer, start: date, end: date) -> list[StatementLine]:
    invoices = (
        _invoices(customer)
        .filter(issue_date__gte=start, issue_date__lte=end)
        .select_related("order")
    )
    return [
        StatementLine(
            day=invoice.issue_date,
            kind="invoice",
            number=invoice.number,
            due_date=invoice.due_date,
            reference=invoice.order.number if invoice.order else invoice.external_reference,
            debit=invoice.gross_amount,
        )
        for invoice in invoices
    ]


def _payment_lines(customer: Customer, start: date, end: date) -> list[StatementLine]:
    payments = Payment.objects.filter(
        customer=customer, received_on__gte=start, received_on__lte=end
    )
    return [
        StatementLine(
            day=payment.received_on,
            kind="payment",
            number=payment.number,
            method=payment.method,
            reference=payment.reference,
            credit=payment.amount,
        )
        for payment in payments
    ]


def statement(customer: Customer, period_start: date, period_end: date) -> Statement:
    """The customer's statement from `period_start` to `period_end`, both included (U6)."""
    if period_start > period_end:
        raise ValidationFailed.from_fields(
            _("The period must start before it ends."),
            {"to": [_("Choose a day on or after the start of the period.")]},
        )
    opening = balance_before(customer, period_start)
    found = [
        *_shipment_lines(customer, period_start, period_end),
        *_invoice_lines(customer, period_start, period_end),
        *_payment_lines(customer, period_start, period_end),
    ]
    found.sort(key=lambda line: (line.day, KIND_ORDER[line.kind], line.number))
    result = Statement(customer, period_start, period_end, default_currency(), opening)
    balance = opening
    for line in found:
        balance += (line.debit or ZERO) - (line.credit or ZERO)
        result.lines.append(replace(line, balance=balance))
        result.invoiced += line.debit or ZERO
        result.received += line.credit or ZERO
        result.shipped_value += line.value or ZERO
    return result
