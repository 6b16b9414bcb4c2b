"""Derive sales facts from live orders and keep the cuboids current (A1.1, A2).

Facts and cells are derived data: refreshing an order deletes its facts and derives them
again from the order, its lines and its shipments, then subtracts the old facts from the cells
and adds the new ones (cube_build.cells_apply). Nothing here is a business record, so
deleting is safe.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from salesdesk.analytics import cube
from salesdesk.analytics.cube_build import cells_apply, cells_rebuild, cells_rebuild_all
from salesdesk.analytics.models import RefreshState, SalesFact
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
                region=customer.region,
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


def rollup_rebuild(pairs: Iterable[tuple[date, str]]) -> None:
    """Rebuild the cells of the years these (day, customer code) pairs fall in."""
    days = [day for day, _code in pairs]
    if days:
        cells_rebuild(min(days), max(days))


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
        old = list(stale)
        stale.delete()
        facts = [
            fact
            for order in orders
            if order.status in COUNTED_STATUSES
            for fact in _order_facts(order)
        ]
        SalesFact.objects.bulk_create(facts, batch_size=1000)
        cells_apply(old, facts)
    return len(facts)


def facts_refresh_changed(*, now: datetime | None = None) -> int:
    """Refresh the facts of orders changed (or shipped) since the last run; moves the watermark."""
    now = now or timezone.now()
    if not cube.cells_built():  # first run after an upgrade changed the cuboids
        cells_rebuild_all()
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


def rollups_rebuild_range(first_day: date, last_day: date) -> None:
    """Re-derive every rollup of the years first_day..last_day from the facts (A1.1).

    Used after bulk loads (history import) that write facts directly; safe to repeat."""
    cells_rebuild(first_day, last_day)
