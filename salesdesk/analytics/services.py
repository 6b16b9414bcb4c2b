"""Derive sales facts from live orders and keep the daily rollup current (A1.1, A2).

Facts and the rollup are derived data: refreshing an order deletes its facts and derives them
again from the order, its lines and its shipments, then re-aggregates only the (day, customer)
slices those facts touch and the first-order day of their customers. Nothing here is a
business record, so deleting is safe.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from salesdesk.analytics.models import (
    ROLLUP_KEY,
    CustomerFirstOrder,
    DailySales,
    RefreshState,
    SalesFact,
)
from salesdesk.core.money import quantize_money
from salesdesk.orders.models import Order, OrderStatus
from salesdesk.shipping.models import Shipment, ShipmentStatus

COUNTED_STATUSES = (
    OrderStatus.APPROVED,
    OrderStatus.IN_FULFILLMENT,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CLOSED,
)
REFRESH_NAME = "analytics.facts_refresh"
# Re-read a little before the watermark so a change committed late is never missed;
# refreshing an order twice gives the same facts.
OVERLAP = timedelta(minutes=10)
PAIR_BATCH = 200


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _line_delivery(line: Any) -> tuple[date | None, str]:
    """The day the line was fully delivered (None if not yet) and the mode it last shipped by."""
    delivered = Decimal(0)
    last_delivery = None
    mode = ""
    for shipment_line in line.shipment_lines.all():
        shipment = shipment_line.shipment
        mode = shipment.mode or mode
        if shipment.status == ShipmentStatus.DELIVERED and shipment.delivered_at is not None:
            delivered += shipment_line.quantity
            day = _local_date(shipment.delivered_at)
            last_delivery = max(last_delivery, day) if last_delivery else day
    return (last_delivery if delivered >= line.quantity else None), mode


def _order_facts(order: Order) -> list[SalesFact]:
    customer = order.customer
    lines = sorted(
        (ln for ln in order.lines.all() if not ln.is_cancelled), key=lambda ln: ln.line_number
    )
    facts = []
    for index, line in enumerate(lines):
        delivery_date, ship_mode = _line_delivery(line)
        product = line.product
        revenue = quantize_money(line.quantity * line.unit_price * (1 - line.discount_rate))
        cost = None
        if product.standard_cost is not None:
            cost = quantize_money(line.quantity * product.standard_cost)
        facts.append(
            SalesFact(
                order_date=_local_date(order.created_at),
                order_number=order.number,
                line_number=line.line_number,
                is_first_line=index == 0,
                customer=customer,
                customer_code=customer.code,
                industry=customer.industry,
                country=customer.country,
                province=customer.province,
                city=customer.city,
                sku=product.sku,
                category=product.category,
                salesperson=order.salesperson.username,
                channel=order.channel,
                ship_mode=ship_mode,
                quantity=line.quantity,
                revenue=revenue,
                cost=cost,
                promised_date=line.promised_date
                or order.expected_delivery_date
                or line.requested_date
                or order.requested_delivery_date,
                delivery_date=delivery_date,
                status=order.status,
            )
        )
    return facts


def rollup_rebuild(pairs: Iterable[tuple[date, str]]) -> int:
    """Re-aggregate the DailySales rows of the given (day, customer code) slices from facts."""
    pairs = sorted(set(pairs))
    written = 0
    for start in range(0, len(pairs), PAIR_BATCH):
        condition = Q(pk__in=[])
        fact_condition = Q(pk__in=[])
        for day, code in pairs[start : start + PAIR_BATCH]:
            condition |= Q(day=day, customer_code=code)
            fact_condition |= Q(order_date=day, customer_code=code)
        DailySales.objects.filter(condition).delete()
        rows = (
            SalesFact.objects.filter(fact_condition)
            .values("order_date", *ROLLUP_KEY)
            .annotate(
                sum_orders=Count("pk", filter=Q(is_first_line=True)),
                sum_quantity=Sum("quantity"),
                sum_revenue=Sum("revenue"),
                sum_cost=Sum("cost", default=Decimal(0)),
                sum_lines=Count("pk"),
                sum_delivered=Count("pk", filter=Q(delivery_date__isnull=False)),
                sum_on_time=Count("pk", filter=Q(delivery_date__lte=F("promised_date"))),
            )
            .order_by()
        )
        objects = [
            DailySales(
                day=row["order_date"],
                **{key: row[key] for key in ROLLUP_KEY},
                orders=row["sum_orders"],
                quantity=row["sum_quantity"],
                revenue=row["sum_revenue"],
                cost=row["sum_cost"],
                lines=row["sum_lines"],
                delivered_lines=row["sum_delivered"],
                on_time_lines=row["sum_on_time"],
            )
            for row in rows
        ]
        DailySales.objects.bulk_create(objects, batch_size=1000)
        written += len(objects)
    _first_orders_rebuild(sorted({code for _day, code in pairs}))
    return written


def _first_orders_rebuild(codes: list[str]) -> None:
    for start in range(0, len(codes), PAIR_BATCH):
        batch = codes[start : start + PAIR_BATCH]
        CustomerFirstOrder.objects.filter(customer_code__in=batch).delete()
        firsts = (
            DailySales.objects.filter(customer_code__in=batch)
            .values("customer_code")
            .annotate(first=Min("day"))
            .order_by()
        )
        CustomerFirstOrder.objects.bulk_create(
            CustomerFirstOrder(customer_code=row["customer_code"], day=row["first"])
            for row in firsts
        )


def facts_refresh_orders(order_ids: Iterable[int]) -> int:
    """Rebuild the facts of these live orders (approved and later; others dropped) (A1.1)."""
    order_ids = list(order_ids)
    if not order_ids:
        return 0
    orders = list(
        Order.objects.filter(pk__in=order_ids)
        .select_related("customer", "salesperson")
        .prefetch_related("lines__product", "lines__shipment_lines__shipment")
    )
    numbers = [order.number for order in orders]
    with transaction.atomic():
        stale = SalesFact.objects.filter(order_number__in=numbers, is_imported=False)
        pairs = set(stale.values_list("order_date", "customer_code").distinct())
        stale.delete()
        facts = [
            fact
            for order in orders
            if order.status in COUNTED_STATUSES
            for fact in _order_facts(order)
        ]
        SalesFact.objects.bulk_create(facts, batch_size=1000)
        pairs |= {(fact.order_date, fact.customer_code) for fact in facts}
        rollup_rebuild(pairs)
    return len(facts)


def facts_refresh_changed(*, now: datetime | None = None) -> int:
    """Refresh the facts of orders changed (or shipped) since the last run; moves the watermark."""
    now = now or timezone.now()
    state = RefreshState.objects.filter(name=REFRESH_NAME).first()
    orders = Order.objects.all()
    if state is not None:
        since = state.watermark - OVERLAP
        shipped = Shipment.objects.filter(updated_at__gt=since).values("order_id")
        orders = orders.filter(Q(updated_at__gt=since) | Q(pk__in=shipped))
    order_ids = list(orders.values_list("pk", flat=True))
    for start in range(0, len(order_ids), 500):
        facts_refresh_orders(order_ids[start : start + 500])
    RefreshState.objects.update_or_create(name=REFRESH_NAME, defaults={"watermark": now})
    return len(order_ids)


def rollups_rebuild_range(first_day: date, last_day: date) -> int:
    """Re-derive every rollup of the days first_day..last_day from the facts (A1.1).

    Used after bulk loads (history import) that write facts directly; safe to repeat."""
    pairs = set(
        SalesFact.objects.filter(order_date__gte=first_day, order_date__lte=last_day)
        .values_list("order_date", "customer_code")
        .distinct()
    )
    pairs |= set(
        DailySales.objects.filter(day__gte=first_day, day__lte=last_day)
        .values_list("day", "customer_code")
        .distinct()
    )
    with transaction.atomic():
        return rollup_rebuild(pairs)
