"""Work-order lifecycle: open → accepted (promised date) → in_progress → done, or declined."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.workorders.models import WorkStatus as S


def in_department(user, work_order) -> bool:
    """Only members of the department the work order is allocated to act on it."""
    return user.groups.filter(name=work_order.role).exists()


PERMISSION = "workorders.work_workorder"
WORK = Workflow(
    name="work_order",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "accept",
            (S.OPEN,),
            S.ACCEPTED,
            PERMISSION,
            "workorder.accepted",
            _("Accept"),
            in_department,
        ),
        Transition(
            "start",
            (S.ACCEPTED,),
            S.IN_PROGRESS,
            PERMISSION,
            "workorder.started",
            _("Start"),
            in_department,
        ),
        Transition(
            "complete",
            (S.ACCEPTED, S.IN_PROGRESS),
            S.DONE,
            PERMISSION,
            "workorder.done",
            _("Mark done"),
            in_department,
        ),
        Transition(
            "decline",
            (S.OPEN, S.ACCEPTED),
            S.DECLINED,
            PERMISSION,
            "workorder.declined",
            _("Decline"),
            in_department,
        ),
    ),
)
