"""Approve (reserving stock race-free), reject or cancel an order (O2, O3.1, U4)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from salesdesk.catalog.services import stock_release, stock_reserve
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.workflow import apply_transition, check_transition
from salesdesk.orders.models import Order
from salesdesk.orders.services import fulfillment
from salesdesk.orders.services.intake import order_for_update
from salesdesk.orders.workflow import ORDER


def reserve_lines(order: Order, actor: Any) -> dict[int, str]:
    """Reserve what stock allows for each active line; returns the short quantities."""
    shortages = {}
    # Stock rows are taken in product order, so parallel approvals never wait on each
    # other in a cycle (PostgreSQL would abort one of them as a deadlock).
    lines = order.lines.select_for_update().filter(is_cancelled=False)
    for line in lines.order_by("product_id", "line_number"):
        result = stock_reserve(
            actor=actor,
            product_id=line.product_id,
            quantity=line.quantity,
            reference=order.number,
            partial=True,
        )
        line.reserved_quantity = result.reserved
        line.reservation = {str(k): str(v) for k, v in result.by_warehouse.items()}
        line.save(update_fields=["reserved_quantity", "reservation"])
        if result.short > 0:
            shortages[line.line_number] = str(result.short)
    return shortages


def approve_locked(order: Order, actor: Any, note: str = "") -> Order:
    """Approve a locked order: reserve what stock allows per line, then change the state."""
    shortages = reserve_lines(order, actor)
    order = apply_transition(
        order,
        "approve",
        workflow=ORDER,
        actor=actor,
        note=note,
        data={"short_lines": shortages},
        changes={"approved_at": timezone.now(), "approved_by": actor},
    )
    fulfillment.allocate(order, actor)
    fulfillment.tell_salesperson(
        order, gettext_noop("Order %(n)s approved"), {"n": order.number}, actor=actor
    )
    return order


def order_approve(*, actor: Any, order_id: int, note: str = "") -> Order:
    """A sales admin approves a reviewed order; stock is reserved in the same step (O3.1)."""
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        check_transition(ORDER, order, "approve", actor)
        order = approve_locked(order, actor, note)
    return order


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), extra={"field": "reason"})
    return reason[:200]


def order_reject(*, actor: Any, order_id: int, reason: str) -> Order:
    reason = _require_reason(reason)
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        order = apply_transition(
            order,
            "reject",
            workflow=ORDER,
            actor=actor,
            note=reason,
            changes={"cancel_reason": reason},
        )
        fulfillment.tell_salesperson(
            order, gettext_noop("Order %(n)s rejected"), {"n": order.number}, reason, actor=actor
        )
    return order


def order_reopen(*, actor: Any, order_id: int, note: str = "") -> Order:
    """Take a rejected order back to draft to correct and resubmit it."""
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        return apply_transition(order, "reopen", workflow=ORDER, actor=actor, note=note)


def release_reservations(order: Order, actor: Any) -> None:
    for line in order.lines.select_for_update().order_by("product_id", "line_number"):
        if line.reserved_quantity > 0:
            stock_release(
                actor=actor,
                product_id=line.product_id,
                by_warehouse={int(k): Decimal(v) for k, v in line.reservation.items()},
                reference=order.number,
            )
            line.reserved_quantity, line.reservation = Decimal(0), {}
            line.save(update_fields=["reserved_quantity", "reservation"])


def order_cancel(*, actor: Any, order_id: int, reason: str) -> Order:
    """Cancel before shipment with a reason; reservations go back to stock (U4)."""
    reason = _require_reason(reason)
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        order = apply_transition(
            order,
            "cancel",
            workflow=ORDER,
            actor=actor,
            note=reason,
            changes={"cancel_reason": reason},
        )
        release_reservations(order, actor)
    return order
