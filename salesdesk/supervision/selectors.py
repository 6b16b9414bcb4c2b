"""Reads of inspection records scoped to who asks (E1.1): the supervision group sees every
plan, finding and action; an owner sees their own corrective actions."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.supervision.models import (
    ActionStatus,
    CorrectiveAction,
    Finding,
    InspectionPlan,
)
from salesdesk.supervision.policies import actions_visible_to, sees_inspections

OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.SUBMITTED)


def _require_viewer(user: Any) -> None:
    if not sees_inspections(user):
        raise PermissionDenied(_("Only the supervision group sees inspections."))


def plan_list(*, user: Any, q: str = "", status: str = "") -> QuerySet[InspectionPlan]:
    _require_viewer(user)
    plans = InspectionPlan.objects.select_related("lead").annotate(
        finding_count=Count("findings", distinct=True)
    )
    if status:
        plans = plans.filter(status=status)
    if q:
        plans = plans.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(scope__icontains=q))
    return plans


def plan_get(*, user: Any, plan_id: int) -> InspectionPlan:
    _require_viewer(user)
    plan = InspectionPlan.objects.select_related("lead").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such inspection plan."))
    return plan


def finding_get(*, user: Any, finding_id: int) -> Finding:
    _require_viewer(user)
    finding = Finding.objects.select_related("plan").filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(_("No such finding."))
    return finding


def action_list(
    *,
    user: Any,
    q: str = "",
    status: str = "",
    owner_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[CorrectiveAction]:
    actions = CorrectiveAction.objects.filter(actions_visible_to(user)).select_related(
        "owner", "finding", "finding__plan"
    )
    if status:
        actions = actions.filter(status=status)
    if owner_id:
        actions = actions.filter(owner_id=owner_id)
    if overdue:
        actions = actions.filter(status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
    if q:
        actions = actions.filter(
            Q(number__icontains=q)
            | Q(description__icontains=q)
            | Q(finding__number__icontains=q)
            | Q(finding__plan__number__icontains=q)
        )
    return actions


def action_get(*, user: Any, action_id: int) -> CorrectiveAction:
    action = action_list(user=user).filter(pk=action_id).first()
    if action is None:
        raise NotFound(_("No such corrective action."))
    return action
