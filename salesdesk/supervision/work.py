"""Corrective actions in the work queue (E1.1, U5): the owner's open actions, due at the end
of their due date (past due stands out), and actions reported done for the supervision group
to verify."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.supervision.models import ActionStatus, CorrectiveAction
from salesdesk.supervision.policies import VERIFY_ACTION
from salesdesk.workqueue.registry import WorkItem, provider


def due_at(action: CorrectiveAction) -> datetime:
    """The end of the due date, local time: overdue from the next day on."""
    next_day = datetime.combine(action.due_date + timedelta(days=1), time.min)
    return timezone.make_aware(next_day, timezone.get_current_timezone())


@provider
def corrective_actions_to_do(user):
    actions = CorrectiveAction.objects.filter(owner=user, status=ActionStatus.OPEN)
    return [
        WorkItem(
            key=f"supervision.action:{a.pk}",
            title=_("Corrective action %(n)s") % {"n": a.number},
            url=reverse("supervision:action_detail", args=[a.pk]),
            kind=_("Corrective action"),
            due_at=due_at(a),
            assignee=str(user),
            detail=a.description[:120],
            extra={"overdue": due_at(a) < timezone.now()},
        )
        for a in actions.order_by("due_date")[:50]
    ]


@provider
def corrective_actions_to_verify(user):
    if not user.has_perm(VERIFY_ACTION):
        return []
    actions = CorrectiveAction.objects.filter(status=ActionStatus.SUBMITTED).select_related("owner")
    return [
        WorkItem(
            key=f"supervision.verify:{a.pk}",
            title=_("Verify corrective action %(n)s") % {"n": a.number},
            url=reverse("supervision:action_detail", args=[a.pk]),
            kind=_("Corrective action"),
            due_at=None,
            assignee=_("Supervision group"),
            detail=str(a.owner),
        )
        for a in actions.order_by("completed_at")[:50]
    ]
