"""The order lifecycle (DESIGN §3; O2, O3.2): a transition table, applied by one helper."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.orders.models import OrderStatus as S
from salesdesk.orders.policies import can_approve, can_resolve_hold, can_work_on

ORDER = Workflow(
    name="order",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "submit",
            (S.DRAFT,),
            S.UNDER_REVIEW,
            "orders.submit_order",
            "order.submitted",
            _("Submit for review"),
            can_work_on,
        ),
        Transition(
            "hold",
            (S.UNDER_REVIEW,),
            S.ON_HOLD,
            "orders.submit_order",
            "order.held",
            _("Hold"),
            can_work_on,
        ),
        Transition(
            "release",
            (S.ON_HOLD,),
            S.UNDER_REVIEW,
            # Reached only through services/holds.py, whose steps check who may resolve
            # what: a guarantee (entry staff), a credit release (authority), an override.
            "orders.view_order",
            "order.released",
            _("Release"),
            can_resolve_hold,
        ),
        Transition(
            "approve",
            (S.UNDER_REVIEW,),
            S.APPROVED,
            "orders.approve_order",
            "order.approved",
            _("Approve"),
            can_approve,
        ),
        Transition(
            "reject",
            (S.UNDER_REVIEW, S.ON_HOLD),
            S.REJECTED,
            "orders.approve_order",
            "order.rejected",
            _("Reject"),
            can_work_on,
        ),
        Transition(
            "reopen",
            (S.REJECTED,),
            S.DRAFT,
            "orders.submit_order",
            "order.reopened",
            _("Reopen as draft"),
            can_work_on,
        ),
        Transition(
            "start_fulfillment",
            (S.APPROVED,),
            S.IN_FULFILLMENT,
            "orders.view_order",
            "order.fulfillment_started",
            _("Start fulfilment"),
            can_work_on,
        ),
        # Driven by shipping (dispatch, receipt) and finance (fully invoiced); the services
        # that call them check the real rights (U1).
        Transition(
            "ship",
            (S.APPROVED, S.IN_FULFILLMENT),
            S.SHIPPED,
            "orders.view_order",
            "order.shipped",
            _("Shipped"),
        ),
        Transition(
            "deliver",
            (S.SHIPPED,),
            S.DELIVERED,
            "orders.view_order",
            "order.delivered",
            _("Delivered"),
        ),
        Transition(
            "close", (S.DELIVERED,), S.CLOSED, "orders.view_order", "order.closed", _("Close")
        ),
        Transition(
            "cancel",
            (S.DRAFT, S.UNDER_REVIEW, S.ON_HOLD, S.APPROVED, S.IN_FULFILLMENT),
            S.CANCELLED,
            "orders.cancel_order",
            "order.cancelled",
            _("Cancel"),
            can_work_on,
        ),
    ),
)
