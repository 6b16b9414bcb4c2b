"""Data accuracy (E2.2, C1.4, O1.3): does a customer or order record pass every validation and
completeness rule the entry forms apply? The checks reuse the customers' completeness score
(customers/completeness.py, kept current by the customer services), their code and phone
validators, and the orders' payment-terms policy and line rules."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.slicing import Period
from salesdesk.core import policies
from salesdesk.customers.models import Customer
from salesdesk.customers.validators import check_tax_id, parse_phone
from salesdesk.orders.models import Order, OrderStatus
from salesdesk.supervision.facts import Fact, day_bounds, local_day, success, url_of

RULES = {
    "completeness": _("incomplete record"),
    "tax_id": _("tax ID fails its check digit"),
    "phone": _("a contact phone is not a valid number"),
    "payment_terms": _("payment terms not in the company's list"),
    "lines": _("no active order line"),
    "line_values": _("a line has a bad quantity, price, discount or tax rate"),
    "delivery_date": _("requested delivery date before entry"),
    "totals": _("totals do not add up"),
}
MAX_RATE = Decimal("0.99")
COMPLETE = 100  # customers/completeness.py scores 0–100


def customer_failures(customer: Customer) -> list[str]:
    failed = []
    # The stored score is refreshed by every customer service that changes what it measures.
    if customer.completeness < COMPLETE:
        failed.append("completeness")
    if customer.tax_id:
        result = check_tax_id(customer.tax_id, customer.country)
        if not result.well_formed or (
            not result.checksum_ok and not customer.tax_id_override_reason
        ):
            failed.append("tax_id")
    contacts = [c for c in customer.contacts.all() if c.is_active and c.erased_at is None]
    for contact in contacts:
        if any(raw and parse_phone(raw) is None for raw in (contact.mobile, contact.phone)):
            failed.append("phone")
            break
    return failed


def _line_ok(line) -> bool:
    return (
        line.quantity > 0
        and line.unit_price >= 0
        and 0 <= line.discount_rate <= MAX_RATE
        and 0 <= line.tax_rate <= MAX_RATE
    )


def order_failures(order: Order) -> list[str]:
    failed = []
    if order.payment_terms not in policies.value("orders.payment_terms"):
        failed.append("payment_terms")
    lines = [line for line in order.lines.all() if not line.is_cancelled]
    if not lines:
        failed.append("lines")
    if not all(_line_ok(line) for line in lines):
        failed.append("line_values")
    if order.requested_delivery_date < local_day(order.created_at):
        failed.append("delivery_date")
    gross = sum((line.gross_amount for line in lines), Decimal(0))
    if order.gross_amount != order.net_amount + order.tax_amount or order.gross_amount != gross:
        failed.append("totals")
    return failed


def data_accuracy(period: Period) -> list[Fact]:
    """Customers and orders entered in the period (drafts and cancelled orders excluded):
    a record counts as accurate when no rule fails. Person: the customer's owner or the
    order's salesperson."""
    start, end = day_bounds(period)
    facts = []
    customers = Customer.objects.filter(created_at__gte=start, created_at__lt=end)
    for customer in customers.prefetch_related("contacts"):
        failed = customer_failures(customer)
        facts.append(
            Fact(
                kind="customer",
                record_id=customer.pk,
                label=customer.code,
                url=url_of("customers:detail", customer.pk),
                person_id=customer.owner_id,
                day=local_day(customer.created_at),
                **success(not failed),
                detail={"failed": failed},
            )
        )
    orders = (
        Order.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status__in=(OrderStatus.DRAFT, OrderStatus.CANCELLED))
        .prefetch_related("lines")
    )
    for order in orders:
        failed = order_failures(order)
        facts.append(
            Fact(
                kind="order",
                record_id=order.pk,
                label=order.number,
                url=url_of("orders:detail", order.pk),
                person_id=order.salesperson_id,
                day=local_day(order.created_at),
                **success(not failed),
                detail={"failed": failed},
            )
        )
    return facts
