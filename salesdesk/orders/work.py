"""Order work items: verbal orders awaiting written confirmation (O1.2) and reviewed orders
awaiting a decision (O2), each with its due time."""

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.orders.models import Channel, Order, OrderStatus
from salesdesk.orders.policies import visible_to
from salesdesk.workqueue.registry import WorkItem, provider

CLOSED = (OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.CLOSED)


def _url(order: Order) -> str:
    try:
        return reverse("orders:detail", args=[order.pk])
    except NoReverseMatch:
        return f"/api/v1/orders/{order.pk}"


@provider
def verbal_orders_to_confirm(user):
    if not user.has_perm("orders.change_order"):
        return []
    orders = (
        Order.objects.filter(
            visible_to(user), channel=Channel.VERBAL, confirmed_at__isnull=True, salesperson=user
        )
        .exclude(status__in=CLOSED)
        .order_by("confirmation_due_at")[:50]
    )
    return [
        WorkItem(
            key=f"orders.confirm:{o.pk}",
            title=_("Attach the written confirmation of verbal order %(n)s") % {"n": o.number},
            url=_url(o),
            kind=_("Order"),
            due_at=o.confirmation_due_at,
            assignee=str(o.salesperson),
            detail=str(o.customer),
        )
        for o in orders
    ]


@provider
def orders_to_decide(user):
    if not user.has_perm("orders.approve_order"):
        return []
    hours = policies.value("orders.review_sla_hours")
    orders = (
        Order.objects.filter(visible_to(user), status=OrderStatus.UNDER_REVIEW)
        .exclude(submitted_by=user)
        .select_related("customer")
        .order_by("submitted_at")[:50]
    )
    return [
        WorkItem(
            key=f"orders.decide:{o.pk}",
            title=_("Approve or reject order %(n)s") % {"n": o.number},
            url=_url(o),
            kind=_("Order review"),
            due_at=o.submitted_at + timedelta(hours=hours) if o.submitted_at else None,
            assignee=_("Sales admin"),
            detail=str(o.customer),
        )
        for o in orders
    ]
