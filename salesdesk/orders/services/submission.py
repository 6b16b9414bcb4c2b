"""Submit an order and run its review (O2): hold on credit or compliance, flag short stock."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from salesdesk.accounts.services import system_user
from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.workflow import apply_transition
from salesdesk.orders import review
from salesdesk.orders.models import Order, OrderReview, Verdict
from salesdesk.orders.services import fulfillment
from salesdesk.orders.services.intake import order_for_update
from salesdesk.orders.workflow import ORDER


def run_review(order: Order, actor: Any) -> OrderReview:
    """Record one review with its three verdicts and every finding (O2.1–O2.3)."""
    lines = list(order.lines.select_related("product"))
    exposure = review.exposure_of(order)
    credit = review.credit_findings(order, exposure)
    compliance = review.compliance_findings(order, lines)
    stock = review.stock_findings(lines)
    return OrderReview.objects.create(
        order=order,
        actor=actor,
        exposure=exposure.as_dict(),
        credit=Verdict.HOLD if credit else Verdict.PASS,
        compliance=Verdict.HOLD if compliance else Verdict.PASS,
        stock=Verdict.HOLD if stock else Verdict.PASS,
        findings=[*credit, *compliance, *stock],
    )


def order_submit(*, actor: Any, order_id: int, note: str = "") -> Order:
    """Submit a draft: review it, hold it if credit or compliance fail (O2)."""
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        order = apply_transition(
            order,
            "submit",
            workflow=ORDER,
            actor=actor,
            note=note,
            changes={"submitted_at": timezone.now(), "submitted_by": actor},
        )
        result = run_review(order, actor)
        short = {f["line"]: f["short"] for f in result.findings if f["kind"] == "stock"}
        if short:
            fulfillment.ask_for_replenishment(order, short, actor)
        holding = [f for f in result.findings if f["holds"]]
        if holding:
            apply_transition(
                order,
                "hold",
                workflow=ORDER,
                actor=actor,
                data={"rules": [f["rule"] for f in holding]},
                changes={"hold_reasons": holding},
            )
            fulfillment.tell_salesperson(
                order,
                gettext_noop("Order %(n)s is on hold"),
                {"n": order.number},
                lambda: "; ".join(review.finding_message(f) for f in holding),
                actor=actor,
            )
        else:
            event_record(
                actor=actor, verb="order.reviewed", subject=order, data={"stock": result.stock}
            )
            if result.clean and policies.value("orders.auto_approve_clean"):
                from salesdesk.orders.services.approval import approve_locked

                approve_locked(order, system_user(), note="auto-approved: clean review")
    order.refresh_from_db()
    return order
