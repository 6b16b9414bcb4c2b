"""Reads of invoices, payments and receivables, scoped to who asks (U1, U6, O2.1).

Amounts "as of" a date count the invoices issued by then and the allocations of the
payments received by then, so a report for a past day shows what was open that day.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound
from salesdesk.core.money import quantize_money
from salesdesk.customers.models import Customer
from salesdesk.finance.models import (
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
)
from salesdesk.finance.policies import VIEW_PAYMENTS, visible_customers, visible_to
from salesdesk.orders.models import Order

ZERO = Decimal("0.00")
HALF_CENT = Decimal("0.005")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


def invoice_list(
    *,
    user: Any,
    customer_id: int | None = None,
    order_id: int | None = None,
    status: str = "",
    q: str = "",
    open_only: bool = False,
) -> QuerySet[Invoice]:
    invoices = Invoice.objects.filter(visible_to(user)).select_related("customer", "order")
    if customer_id:
        invoices = invoices.filter(customer_id=customer_id)
    if order_id:
        invoices = invoices.filter(order_id=order_id)
    if status:
        invoices = invoices.filter(status=status)
    if open_only:
        invoices = invoices.filter(status=InvoiceStatus.ISSUED, paid_amount__lt=F("gross_amount"))
    if q:
        text = q.strip()
        invoices = invoices.filter(
            Q(number__icontains=text)
            | Q(external_reference__icontains=text)
            | Q(order__number__icontains=text)
        )
    return invoices.order_by("-issue_date", "-pk")


def invoice_get(*, user: Any, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(visible_to(user), pk=invoice_id)
        .select_related("customer", "order", "created_by")
        .first()
    )
    if invoice is None:
        raise NotFound(_("No such invoice."))
    return invoice


def payment_list(
    *, user: Any, customer_id: int | None = None, q: str = "", unallocated: bool = False
) -> QuerySet[Payment]:
    payments = Payment.objects.filter(visible_to(user, VIEW_PAYMENTS)).select_related("customer")
    if customer_id:
        payments = payments.filter(customer_id=customer_id)
    if unallocated:
        payments = payments.filter(allocated_amount__lt=F("amount"))
    if q:
        text = q.strip()
        payments = payments.filter(Q(number__icontains=text) | Q(reference__icontains=text))
    return payments.order_by("-received_on", "-pk")


def payment_get(*, user: Any, payment_id: int) -> Payment:
    payment = (
        Payment.objects.filter(visible_to(user, VIEW_PAYMENTS), pk=payment_id)
        .select_related("customer", "created_by")
        .first()
    )
    if payment is None:
        raise NotFound(_("No such payment."))
    return payment


def customer_for_receivables(*, user: Any, customer_id: int) -> Customer:
    """A customer whose receivables and statement `user` may see, else NotFound."""
    customer = visible_customers(user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


def open_invoices(as_of: date) -> QuerySet[Invoice]:
    """Issued invoices with an amount open on `as_of`, annotated with `open_as_of`."""
    paid = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"), payment__received_on__lte=as_of)
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, issue_date__lte=as_of)
        .annotate(paid_as_of=Coalesce(Subquery(paid, output_field=MONEY_FIELD), Value(ZERO)))
        .annotate(
            open_as_of=ExpressionWrapper(
                F("gross_amount") - F("paid_as_of"), output_field=MONEY_FIELD
            )
        )
        # Half a cent, not zero: SQLite subtracts in binary floating point (0.8 − 0.1 − 0.7
        # is not 0 there), and no real open amount is below a cent.
        .filter(open_as_of__gt=HALF_CENT)
    )


@dataclass(frozen=True)
class Receivables:
    """What a customer owes on a day (U6, O2.1)."""

    as_of: date
    unpaid: Decimal
    overdue: Decimal
    oldest_overdue_days: int
    unallocated: Decimal
    balance: Decimal

    @property
    def invoiced_not_paid(self) -> Decimal:
        """Open invoices less payments not yet allocated: the balance without the opening."""
        return self.unpaid - self.unallocated


def _sum(queryset: QuerySet, field: str) -> Decimal:
    return quantize_money(queryset.aggregate(total=Sum(field))["total"] or ZERO)


def receivables(customer: Customer, *, as_of: date | None = None) -> Receivables:
    """Unpaid total, overdue amount and oldest overdue days of a customer on `as_of`."""
    day = as_of or timezone.localdate()
    unpaid = open_invoices(day).filter(customer=customer)
    overdue = unpaid.filter(due_date__lt=day)
    oldest = overdue.order_by("due_date").values_list("due_date", flat=True).first()
    invoices = Invoice.objects.filter(
        customer=customer, status=InvoiceStatus.ISSUED, issue_date__lte=day
    )
    payments = Payment.objects.filter(customer=customer, received_on__lte=day)
    allocated = PaymentAllocation.objects.filter(
        payment__in=payments, invoice__in=invoices.values("pk")
    )
    invoiced, received = _sum(invoices, "gross_amount"), _sum(payments, "amount")
    return Receivables(
        as_of=day,
        unpaid=_sum(unpaid, "open_as_of"),
        overdue=_sum(overdue, "open_as_of"),
        oldest_overdue_days=(day - oldest).days if oldest else 0,
        unallocated=received - _sum(allocated, "amount"),
        balance=customer.opening_balance + invoiced - received,
    )


def uninvoiced_order_total(customer: Customer, statuses, *, exclude_order_id=None) -> Decimal:
    """Σ over the customer's orders in `statuses` of gross minus what was invoiced on each."""
    billed = (
        Invoice.objects.filter(order=OuterRef("pk"), status=InvoiceStatus.ISSUED)
        .values("order")
        .annotate(total=Sum("gross_amount"))
        .values("total")
    )
    orders = (
        Order.objects.filter(customer=customer, status__in=statuses)
        .exclude(pk=exclude_order_id)
        .annotate(billed=Coalesce(Subquery(billed, output_field=MONEY_FIELD), Value(ZERO)))
        .values_list("gross_amount", "billed")
    )
    return sum((max(ZERO, gross - billed) for gross, billed in orders), ZERO)
