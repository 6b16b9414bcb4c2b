"""Evaluation settings and visibility (E2.3, E3.1).

Policies: the day of the month the scheduled run evaluates the previous month, and whether
quarters are evaluated too. Visibility: the supervision group and management see every run;
everyone else sees only published runs in which they have results, and only their own rows.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.supervision.evaluation_models import RunStatus, Scope
from salesdesk.supervision.evaluation_workflow import VIEW_IMPROVEMENTS, VIEW_RUNS
from salesdesk.supervision.rules import GROUP as GROUP_LABEL

policies.register(
    "supervision.evaluation.monthly_day",
    1,
    _("Monthly evaluation: day of the month"),
    help_text=_("On this day (or the first day after it) the previous month is evaluated."),
    kind="int",
    minimum=1,
    maximum=28,
    group=GROUP_LABEL,
)
policies.register(
    "supervision.evaluation.quarterly",
    True,
    _("Evaluate quarters too"),
    help_text=_("In a quarter's first month the previous quarter is evaluated as well."),
    kind="bool",
    group=GROUP_LABEL,
)

EVENT_LABELS = {
    "evaluation.created": _("Evaluation created"),
    "evaluation.commended": _("Commendation recorded"),
    "evaluation.corrective_measure": _("Corrective measure recorded"),
    "improvement.recorded": _("Process improvement recorded"),
}


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def sees_all_runs(user: Any) -> bool:
    return _active(user) and user.has_perm(VIEW_RUNS)


def runs_visible_to(user: Any) -> Q:
    if not _active(user):
        return Q(pk__in=[])
    if sees_all_runs(user):
        return Q()
    return Q(status=RunStatus.PUBLISHED, results__person_id=user.pk)


def results_visible_to(user: Any) -> Q:
    if sees_all_runs(user):
        return Q()
    return Q(scope=Scope.PERSON, person_id=getattr(user, "pk", None))


def sees_improvements(user: Any) -> bool:
    return _active(user) and user.has_perm(VIEW_IMPROVEMENTS)
