"""Reads of orders, scoped to what the viewer may see (O3.2, O4.1, U2, U8)."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound
from salesdesk.orders.models import Order, OrderLine, OrderStatus
from salesdesk.orders.policies import visible_to


def order_list(
    *, user: Any, status: str = "", customer_id: int | None = None, q: str = ""
) -> QuerySet[Order]:
    orders = Order.objects.filter(visible_to(user)).select_related("customer", "salesperson")
    if status:
        orders = orders.filter(status=status)
    if customer_id:
        orders = orders.filter(customer_id=customer_id)
    if q:
        orders = orders.filter(number__icontains=q.strip())
    return orders.order_by("-created_at", "-pk")


def order_get(*, user: Any, order_id: int) -> Order:
    order = (
        Order.objects.filter(visible_to(user), pk=order_id)
        .select_related("customer", "salesperson", "approved_by")
        .first()
    )
    if order is None:
        raise NotFound(_("No such order."))
    return order


def last_price(*, user: Any, customer_id: int, product_id: int) -> Decimal | None:
    """The unit price of this product on the customer's latest approved order (U2)."""
    line = (
        OrderLine.objects.filter(
            order__customer_id=customer_id,
            product_id=product_id,
            order__status__in=[
                OrderStatus.APPROVED,
                OrderStatus.IN_FULFILLMENT,
                OrderStatus.SHIPPED,
                OrderStatus.DELIVERED,
                OrderStatus.CLOSED,
            ],
        )
        .filter(order__in=Order.objects.filter(visible_to(user)))
        .order_by("-order__approved_at", "-order__created_at")
        .first()
    )
    return line.unit_price if line else None


def order_progress(order: Order) -> dict[str, Any]:
    """Work-order progress rolled up to the order (O4.1)."""
    works = list(order.work_orders.order_by("created_at"))
    active = [w for w in works if w.status != "declined"]
    percent = round(sum(w.progress for w in active) / len(active)) if active else 0
    promised = [w.promised_date for w in active if w.promised_date]
    return {
        "work_orders": works,
        "percent": percent,
        "latest_promised": max(promised) if promised else None,
    }
