"""Who sees and works which inspection record (E1.1): the supervision group sees all; an
owner sees the corrective actions assigned to them."""

from typing import Any

from django.db.models import Q

INSPECT = "supervision.inspect"
VIEW_PLANS = "supervision.view_inspectionplan"
VIEW_KPIS = "supervision.view_kpis"
VIEW_TEAM_KPIS = "supervision.view_team_kpis"
WORK_ACTION = "supervision.work_correctiveaction"
VERIFY_ACTION = "supervision.verify_correctiveaction"


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def sees_inspections(user: Any) -> bool:
    return _active(user) and user.has_perm(VIEW_PLANS)


def actions_visible_to(user: Any) -> Q:
    """Corrective actions: all for the supervision group, one's own for everyone else."""
    if not _active(user):
        return Q(pk__in=[])
    if user.has_perm("supervision.view_correctiveaction"):
        return Q()
    return Q(owner_id=user.pk)


def is_owner(user: Any, action) -> bool:
    return action.owner_id == user.pk
