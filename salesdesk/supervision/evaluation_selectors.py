"""Reads of evaluations scoped to who asks (E2.3, E3.1): the supervision group and
management see every run and result; everyone else their own results of published runs."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.supervision.evaluation_models import (
    EvaluationMeasure,
    EvaluationResult,
    EvaluationRun,
    ProcessImprovement,
)
from salesdesk.supervision.evaluation_policies import (
    results_visible_to,
    runs_visible_to,
    sees_all_runs,
    sees_improvements,
)


def run_list(
    *, user: Any, q: str = "", kind: str = "", status: str = "", year: int | None = None
) -> QuerySet[EvaluationRun]:
    runs = EvaluationRun.objects.filter(runs_visible_to(user)).select_related("created_by")
    if kind:
        runs = runs.filter(kind=kind)
    if status:
        runs = runs.filter(status=status)
    if year:
        runs = runs.filter(period_start__year=year)
    if q:
        runs = runs.filter(Q(number__icontains=q) | Q(note__icontains=q))
    return runs.distinct()


def run_get(*, user: Any, run_id: int) -> EvaluationRun:
    run = run_list(user=user).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such evaluation run."))
    return run


def run_results(*, user: Any, run: EvaluationRun, scope: str = "") -> QuerySet[EvaluationResult]:
    results = run.results.filter(results_visible_to(user)).select_related("person")
    if scope:
        results = results.filter(scope=scope)
    return results.order_by("kpi_key", "group_label", "pk")


def run_measures(*, user: Any, run: EvaluationRun) -> QuerySet[EvaluationMeasure]:
    measures = run.measures.select_related("person", "recorded_by", "corrective_action")
    if not sees_all_runs(user):
        measures = measures.filter(person_id=user.pk)
    return measures


def improvement_list(*, user: Any, q: str = "", kind: str = "") -> QuerySet[ProcessImprovement]:
    if not sees_improvements(user):
        raise PermissionDenied(_("Only the supervision group and management see this log."))
    entries = ProcessImprovement.objects.select_related("finding", "recorded_by")
    if kind:
        entries = entries.filter(change_kind=kind)
    if q:
        entries = entries.filter(
            Q(number__icontains=q)
            | Q(description__icontains=q)
            | Q(policy_key__icontains=q)
            | Q(finding__number__icontains=q)
        )
    return entries


def improvement_get(*, user: Any, entry_id: int) -> ProcessImprovement:
    entry = improvement_list(user=user).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("No such process improvement."))
    return entry
