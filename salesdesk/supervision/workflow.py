"""Inspection plan and corrective-action lifecycles (E1.1): transition tables, data only."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.supervision.models import ActionStatus as A
from salesdesk.supervision.models import PlanStatus as P
from salesdesk.supervision.policies import INSPECT, VERIFY_ACTION, WORK_ACTION, is_owner

PLAN = Workflow(
    name="inspection_plan",
    state_field="status",
    states=P,
    transitions=(
        Transition("start", (P.PLANNED,), P.IN_PROGRESS, INSPECT, "inspection.started", _("Start")),
        Transition(
            "complete",
            (P.IN_PROGRESS,),
            P.COMPLETED,
            INSPECT,
            "inspection.completed",
            _("Complete"),
        ),
        Transition(
            "cancel",
            (P.PLANNED, P.IN_PROGRESS),
            P.CANCELLED,
            INSPECT,
            "inspection.cancelled",
            _("Cancel"),
        ),
    ),
)

ACTION = Workflow(
    name="corrective_action",
    state_field="status",
    states=A,
    transitions=(
        Transition(
            "submit",
            (A.OPEN,),
            A.SUBMITTED,
            WORK_ACTION,
            "corrective_action.submitted",
            _("Report done"),
            is_owner,
        ),
        Transition(
            "verify",
            (A.SUBMITTED,),
            A.VERIFIED,
            VERIFY_ACTION,
            "corrective_action.verified",
            _("Verify"),
        ),
        Transition(
            "reopen",
            (A.SUBMITTED, A.VERIFIED),
            A.OPEN,
            VERIFY_ACTION,
            "corrective_action.reopened",
            _("Send back"),
        ),
        Transition(
            "close",
            (A.VERIFIED,),
            A.CLOSED,
            VERIFY_ACTION,
            "corrective_action.closed",
            _("Close"),
        ),
        Transition(
            "cancel",
            (A.OPEN, A.SUBMITTED),
            A.CANCELLED,
            VERIFY_ACTION,
            "corrective_action.cancelled",
            _("Cancel"),
        ),
    ),
)
