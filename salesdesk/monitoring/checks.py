"""The business checks (R3.1): credit, receivables, orders, shipments, contracts, customer data.

Each check reads every subject in a few set-based queries (never one query per customer) and
returns an Observation per subject that may be beyond the warning threshold. Owners: the
customer's salesperson (with finance for money owed), the order's salesperson, legal for
contracts.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.contracts.models import Contract, ContractStatus
from salesdesk.customers.models import Customer, CustomerStage
from salesdesk.finance.models import Invoice, InvoiceStatus, Payment
from salesdesk.finance.selectors import MONEY_FIELD, ZERO
from salesdesk.monitoring.indicators import CheckContext, Observation
from salesdesk.orders.models import Order, OrderLine, OrderStatus
from salesdesk.orders.review import OPEN_STATUSES
from salesdesk.shipping.models import Shipment, ShipmentStatus

ONE_PLACE = Decimal("0.1")
NOT_YET_SHIPPED = (OrderStatus.APPROVED, OrderStatus.IN_FULFILLMENT)


def _cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _customer_observation(customer: Customer, value: Decimal, owner_role: str = "") -> Observation:
    return Observation(
        subject_key=f"customer:{customer.pk}",
        subject_label=f"{customer.code} {customer}",
        value=value,
        subject=customer,
        url=reverse("customers:detail", args=[customer.pk]),
        owner=customer.owner,
        owner_role=owner_role,
    )


def _open_invoices():
    return Invoice.objects.filter(status=InvoiceStatus.ISSUED, paid_amount__lt=F("gross_amount"))


def _sum_by_customer(queryset, expression) -> dict[int, Decimal]:
    rows = queryset.values("customer_id").annotate(total=Sum(expression)).order_by()
    return {row["customer_id"]: Decimal(row["total"] or ZERO) for row in rows}


def _uninvoiced_orders() -> dict[int, Decimal]:
    """Per customer: approved, not yet invoiced order amounts (as the order review counts)."""
    billed = (
        Invoice.objects.filter(order=OuterRef("pk"), status=InvoiceStatus.ISSUED)
        .values("order")
        .annotate(total=Sum("gross_amount"))
        .values("total")
    )
    orders = (
        Order.objects.filter(status__in=OPEN_STATUSES)
        .annotate(billed=Coalesce(Subquery(billed, output_field=MONEY_FIELD), Value(ZERO)))
        .values_list("customer_id", "gross_amount", "billed")
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for customer_id, gross, billed in orders.iterator(chunk_size=2000):
        totals[customer_id] += max(ZERO, Decimal(gross) - Decimal(billed))
    return totals


def credit_utilisation(context: CheckContext) -> list[Observation]:
    """(Opening balance + open invoices − unallocated payments + approved orders not yet
    invoiced) ÷ credit limit, in per cent, for every customer with a credit limit (O2.1)."""
    invoices = _sum_by_customer(_open_invoices(), F("gross_amount") - F("paid_amount"))
    unallocated = _sum_by_customer(
        Payment.objects.filter(allocated_amount__lt=F("amount")),
        F("amount") - F("allocated_amount"),
    )
    orders = _uninvoiced_orders()
    customers = Customer.objects.filter(credit_limit__gt=0).select_related("owner")
    result = []
    for customer in customers.iterator(chunk_size=2000):
        exposure = (
            Decimal(customer.opening_balance)
            + invoices.get(customer.pk, ZERO)
            - unallocated.get(customer.pk, ZERO)
            + orders.get(customer.pk, ZERO)
        )
        if exposure <= 0:
            continue
        percent = _round(exposure * 100 / customer.credit_limit)
        result.append(_customer_observation(customer, percent, owner_role="finance"))
    return result


def _overdue_by_customer(today: date) -> list[dict]:
    return list(
        _open_invoices()
        .filter(due_date__lt=today)
        .values("customer_id")
        .annotate(amount=Sum(F("gross_amount") - F("paid_amount")), oldest=Min("due_date"))
        .order_by()
    )


def _customers(ids) -> dict[int, Customer]:
    return Customer.objects.select_related("owner").in_bulk(list(ids))


def overdue_amount(context: CheckContext) -> list[Observation]:
    """Open amount of a customer's invoices past their due date (U6)."""
    rows = _overdue_by_customer(timezone.localdate(context.now))
    customers = _customers(row["customer_id"] for row in rows)
    return [
        _customer_observation(
            customers[row["customer_id"]],
            Decimal(row["amount"]).quantize(Decimal("0.01")),
            "finance",
        )
        for row in rows
    ]


def overdue_days(context: CheckContext) -> list[Observation]:
    """Days past due of a customer's oldest open invoice (U6)."""
    today = timezone.localdate(context.now)
    rows = _overdue_by_customer(today)
    customers = _customers(row["customer_id"] for row in rows)
    return [
        _customer_observation(
            customers[row["customer_id"]], Decimal((today - row["oldest"]).days), "finance"
        )
        for row in rows
    ]


def orders_past_promised(context: CheckContext) -> list[Observation]:
    """Days since the earliest promised date of an open line of an approved order not yet
    shipped (line promised dates, else the order's expected delivery date) (O3.2, O4.1)."""
    today = timezone.localdate(context.now)
    earliest = dict(
        OrderLine.objects.filter(
            order__status__in=NOT_YET_SHIPPED, is_cancelled=False, promised_date__lt=today
        )
        .values("order_id")
        .annotate(first=Min("promised_date"))
        .order_by()
        .values_list("order_id", "first")
    )
    expected = Order.objects.filter(
        status__in=NOT_YET_SHIPPED, expected_delivery_date__lt=today
    ).values_list("pk", "expected_delivery_date")
    for order_id, day in expected:
        earliest.setdefault(order_id, day)
    orders = Order.objects.select_related("salesperson", "customer").in_bulk(list(earliest))
    return [
        Observation(
            subject_key=f"order:{order.pk}",
            subject_label=f"{order.number} {order.customer}",
            value=Decimal((today - earliest[order.pk]).days),
            subject=order,
            url=reverse("orders:detail", args=[order.pk]),
            owner=order.salesperson,
        )
        for order in orders.values()
    ]


def shipments_in_exception(context: CheckContext) -> list[Observation]:
    """Days since a shipment in exception entered it (from its event log) (S3.2)."""
    entered = (
        Event.objects.filter(
            content_type__app_label="shipping",
            content_type__model="shipment",
            object_id=OuterRef("pk"),
            to_state=ShipmentStatus.EXCEPTION,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    shipments = (
        Shipment.objects.filter(status=ShipmentStatus.EXCEPTION)
        .annotate(entered=Subquery(entered))
        .select_related("order__salesperson", "order__customer")
    )
    result = []
    for shipment in shipments:
        since = shipment.entered or shipment.updated_at
        days = Decimal((context.now - since).total_seconds()) / Decimal(86400)
        result.append(
            Observation(
                subject_key=f"shipment:{shipment.pk}",
                subject_label=f"{shipment.number} {shipment.order.customer}",
                value=_round(max(days, ZERO)),
                subject=shipment,
                url=reverse("shipping:detail", args=[shipment.pk]),
                owner=shipment.order.salesperson,
            )
        )
    return result


def contracts_expiring(context: CheckContext) -> list[Observation]:
    """Days left before an active contract's end date, within the warning window (K3.3)."""
    today = timezone.localdate(context.now)
    window = today + timedelta(days=int(max(context.warning, context.critical)))
    contracts = Contract.objects.filter(
        status=ContractStatus.ACTIVE, end_date__isnull=False, end_date__lte=window
    ).select_related("customer")
    return [
        Observation(
            subject_key=f"contract:{contract.pk}",
            subject_label=f"{contract.number} {contract.customer}",
            value=Decimal((contract.end_date - today).days),
            subject=contract,
            url=reverse("contracts:detail", args=[contract.pk]),
            owner_role="legal",
        )
        for contract in contracts
    ]


def customer_data_stale(context: CheckContext) -> list[Observation]:
    """Days since a customer's data was last verified (or created, if never) (C2.1)."""
    floor = min(context.warning, context.critical)
    cutoff = context.now - timedelta(days=int(floor))
    customers = (
        Customer.objects.exclude(stage=CustomerStage.LOST)
        .annotate(verified=Coalesce("last_verified_at", "created_at"))
        .filter(verified__lte=cutoff)
        .select_related("owner")
    )
    return [
        _customer_observation(customer, Decimal((context.now - customer.verified).days))
        for customer in customers.iterator(chunk_size=2000)
    ]
