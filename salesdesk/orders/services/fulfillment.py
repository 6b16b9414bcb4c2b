"""Allocation to departments and progress back to the order (O2.3, O3.1, O4.1, O4.2).

- On submit, each short line asks production (made items) or purchasing (bought items) for
  a replenishment date: a replenishment-inquiry work order.
- On approval, the warehouse gets a picking work order and each still-short line a
  production or purchase work order.
- A department's promised date comes back to the order line and to the salesperson; the
  first accepted work order starts the order's fulfilment.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from salesdesk.catalog.models import Supply
from salesdesk.core import policies
from salesdesk.core.workflow import apply_transition
from salesdesk.notifications.services import notification_send
from salesdesk.orders.models import Order, OrderLine, OrderStatus
from salesdesk.orders.workflow import ORDER
from salesdesk.workorders.models import WorkKind
from salesdesk.workorders.services import work_order_create

SUPPLYING_ROLE = {Supply.MAKE: "production", Supply.BUY: "purchasing"}


def order_url(order: Order) -> str:
    return reverse("orders:detail", args=[order.pk])


def tell_salesperson(
    order: Order,
    title: str,
    params: dict | None = None,
    body: str | Callable[[], str] = "",
    *,
    actor: Any,
) -> None:
    """Milestone notice to the order's salesperson, in-app and by e-mail (O4.2).

    `title` is a msgid (marked with gettext_noop) and `params` may hold lazy labels: both are
    rendered in the salesperson's own language, not the language of whoever acted. `body` is
    plain text or a function called in that language.
    """
    if order.salesperson_id == actor.pk:
        return
    recipient = order.salesperson
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = _(title) % {key: str(value) for key, value in (params or {}).items()}
        details = body() if callable(body) else body
    notification_send(
        recipients=[recipient],
        title=text,
        body=details,
        url=order_url(order),
        email=bool(recipient.email),
        actor=actor,
    )


def ask_for_replenishment(order: Order, short_lines: dict[int, str], actor: Any) -> None:
    for line in order.lines.filter(line_number__in=short_lines).select_related("product"):
        role = SUPPLYING_ROLE.get(line.product.supply, "purchasing")
        work_order_create(
            actor=actor,
            kind=WorkKind.REPLENISHMENT_INQUIRY,
            role=role,
            order=order,
            order_line=line,
            product=line.product,
            quantity=short_lines[line.line_number],
            needed_by=line.requested_date or order.requested_delivery_date,
            instructions=_("When can %(qty)s %(unit)s of %(product)s be ready for order %(n)s?")
            % {
                "qty": short_lines[line.line_number],
                "unit": line.product.unit,
                "product": line.product.name,
                "n": order.number,
            },
        )


def allocate(order: Order, actor: Any) -> None:
    """Work orders for an approved order, as the allocation policies say (O3.1)."""
    lines = list(order.lines.select_related("product"))
    if policies.value("orders.allocate_picking") and any(line.reserved_quantity for line in lines):
        work_order_create(
            actor=actor,
            kind=WorkKind.PICKING,
            order=order,
            needed_by=order.requested_delivery_date,
            instructions=_("Pick the reserved goods of order %(n)s.") % {"n": order.number},
        )
    for line in lines:
        if line.short_quantity > 0:
            kind = WorkKind.PRODUCTION if line.product.supply == Supply.MAKE else WorkKind.PURCHASE
            work_order_create(
                actor=actor,
                kind=kind,
                order=order,
                order_line=line,
                product=line.product,
                quantity=line.short_quantity,
                needed_by=line.requested_date or order.requested_delivery_date,
            )


def on_work_accepted(work, actor: Any) -> None:
    """A promised date comes back to the order line and the salesperson (O2.3, O4.2)."""
    if work.order_id is None:
        return
    order = Order.objects.select_for_update().get(pk=work.order_id)
    if work.order_line_id and work.kind != WorkKind.PICKING:
        OrderLine.objects.filter(pk=work.order_line_id).update(promised_date=work.promised_date)
    if order.status == OrderStatus.APPROVED:
        apply_transition(
            order,
            "start_fulfillment",
            workflow=ORDER,
            actor=actor,
            data={"work_order": work.number},
        )
    tell_salesperson(
        order,
        gettext_noop("%(dept)s promised %(date)s for order %(n)s"),
        {"dept": WorkKind(work.kind).label, "date": work.promised_date, "n": order.number},
        actor=actor,
    )


def on_work_declined(work, actor: Any) -> None:
    if work.order_id is not None:
        order = Order.objects.get(pk=work.order_id)
        tell_salesperson(
            order,
            gettext_noop("%(dept)s declined work for order %(n)s: %(reason)s"),
            {"dept": WorkKind(work.kind).label, "n": order.number, "reason": work.result_note},
            actor=actor,
        )


def on_work_done(work, actor: Any) -> None:
    if work.order_id is not None:
        order = Order.objects.get(pk=work.order_id)
        tell_salesperson(
            order,
            gettext_noop("%(kind)s %(w)s for order %(n)s is done"),
            {"kind": WorkKind(work.kind).label, "w": work.number, "n": order.number},
            actor=actor,
        )
