"""The order detail page (O2–O4) and the customer's public status page (O4.2).

The list lives in views_list.py, the entry page in views_entry.py, the detail page's buttons
and forms in views_actions.py and change requests in views_changes.py. Every write calls one
service.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from salesdesk.accounts.roles import role_label
from salesdesk.core.attachments import attachments_of
from salesdesk.core.errors import NotFound
from salesdesk.core.workflow import allowed_for
from salesdesk.orders.forms import DelayForm, GuaranteeForm, OverrideForm
from salesdesk.orders.models import ChangeStatus, Channel, Order, OrderStatus
from salesdesk.orders.policies import can_work_on
from salesdesk.orders.rules import payment_term_label
from salesdesk.orders.selectors import order_progress
from salesdesk.orders.services import status_link_open
from salesdesk.orders.services.changes import CHANGEABLE
from salesdesk.orders.views_common import (
    STATUS_BADGES,
    amount_words,
    can_change,
    order_or_404,
)
from salesdesk.orders.workflow import ORDER

# Transitions a person starts from the detail page, and whether they need a reason.
PAGE_ACTIONS = {"submit": False, "approve": False, "reject": True, "cancel": True}
FINISHED = (OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.CLOSED)


def review_panel(order: Order, user: Any) -> dict[str, Any] | None:
    """The latest review's three verdicts with each finding and its rule, and the forms that
    resolve a hold for those allowed to use them (O2.1–O2.3)."""
    review = order.reviews.first()
    if review is None:
        return None
    resolutions = {(f["kind"], f["rule"], f.get("line")): f for f in order.hold_reasons}
    findings = [resolutions.get((f["kind"], f["rule"], f.get("line")), f) for f in review.findings]
    open_holds = [f for f in order.hold_reasons if f["holds"] and not f["resolved"]]
    on_hold = order.status == OrderStatus.ON_HOLD and can_change(user, order)
    credit_open = on_hold and any(f["kind"] == "credit" for f in open_holds)
    rules = sorted({f["rule"] for f in open_holds if f["kind"] == "compliance"})
    verdicts = [
        (kind, label, getattr(review, kind), [f for f in findings if f["kind"] == kind])
        for kind, label in (
            ("credit", _("Credit")),
            ("compliance", _("Compliance")),
            ("stock", _("Stock")),
        )
    ]
    return {
        "review": review,
        "verdicts": verdicts,
        "exposure": review.exposure,
        "can_guarantee": credit_open,
        "can_release": credit_open and user.has_perm("orders.release_credit_hold"),
        "override_rules": rules if on_hold and user.has_perm("orders.override_compliance") else [],
        "guarantee_form": GuaranteeForm(),
        "override_form": OverrideForm(rules=rules),
    }


def _change_requests(order: Order, user: Any) -> list[dict[str, Any]]:
    decider = user.has_perm("orders.approve_order") and can_work_on(user, order)
    return [
        {
            "change": change,
            "can_decide": decider
            and change.status == ChangeStatus.PENDING
            and change.requested_by_id != user.pk,
        }
        for change in order.change_requests.select_related("requested_by", "decided_by")
    ]


def _work_rows(order: Order, user: Any, progress: dict) -> list[dict[str, Any]]:
    roles = set(user.groups.values_list("name", flat=True))
    sees_all = user.has_perm("workorders.view_workorder")
    return [
        {"work": w, "link": sees_all or w.role in roles, "department": role_label(w.role)}
        for w in progress["work_orders"]
    ]


@login_required
def order_detail_view(request, order_id: int):
    """One order: head, lines, totals in words, review, work, changes, delays, files (O2–O4)."""
    user = request.user
    order = order_or_404(user, order_id)
    changeable = can_change(user, order)
    progress = order_progress(order)
    changes = _change_requests(order, user)
    context = {
        "order": order,
        "badge": STATUS_BADGES.get(order.status, ""),
        "payment_terms": payment_term_label(order.payment_terms),
        "lines": order.lines.select_related("product"),
        "show_reservations": order.status in CHANGEABLE,
        "words": amount_words(order.gross_amount),
        "actions": [
            (t, PAGE_ACTIONS[t.name])
            for t in allowed_for(ORDER, order, user)
            if t.name in PAGE_ACTIONS
        ],
        "can_edit": order.status == OrderStatus.DRAFT and changeable,
        "review": review_panel(order, user),
        "progress": progress,
        "work_rows": _work_rows(order, user, progress),
        "changes": changes,
        "can_request_change": order.status in CHANGEABLE
        and changeable
        and not any(c["change"].status == ChangeStatus.PENDING for c in changes),
        "delays": order.delays.select_related("recorded_by", "notice"),
        "can_record_delay": user.has_perm("orders.record_delay")
        and changeable
        and order.status not in FINISHED,
        "delay_form": DelayForm(),
        "can_send_link": changeable and order.status not in (OrderStatus.DRAFT, *FINISHED),
        "needs_confirmation": order.channel == Channel.VERBAL
        and order.confirmed_at is None
        and changeable,
        "attachments": attachments_of(order).select_related("uploaded_by"),
        "guarantees": order.guarantees.select_related("recorded_by"),
    }
    return render(request, "orders/order_detail.html", context)


@never_cache
def public_status_view(request, token: str):
    """The customer's view of an order behind an unguessable, expiring link (O4.2).

    Shows the order's progress and dates only: no prices, no personal data.
    """
    try:
        order = status_link_open(token)
    except NotFound as exc:
        return render(request, "orders/public_status.html", {"error": exc.message}, status=404)
    context = {
        "order": order,
        "progress": order_progress(order),
        "lines": order.lines.filter(is_cancelled=False).select_related("product"),
    }
    response = render(request, "orders/public_status.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
