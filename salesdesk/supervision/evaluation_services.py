"""Every write of evaluations (E2.3, E3.1): runs and their snapshots, publishing, scheduled
runs, commendations and corrective measures, and the process-improvement log.

Computing a run copies the rows of `kpi_values()` into `EvaluationResult`; nothing ever
recomputes them, so a snapshot stays as it was when later data arrives.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import User
from salesdesk.analytics.slicing import Period
from salesdesk.audit.services import event_record
from salesdesk.core import numbering, policies
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied
from salesdesk.core.workflow import apply_transition, check_transition
from salesdesk.notifications.services import notification_send
from salesdesk.supervision import evaluation_inputs as inputs
from salesdesk.supervision import services as supervision_services
from salesdesk.supervision.evaluation_models import (
    EvaluationMeasure,
    EvaluationResult,
    EvaluationRun,
    MeasureKind,
    ProcessImprovement,
    RunKind,
    RunStatus,
    Scope,
)
from salesdesk.supervision.evaluation_workflow import EVALUATION, LOG_IMPROVEMENT, RUN
from salesdesk.supervision.kpis import CATALOGUE, kpi_values

numbering.register_document_type("evaluation_run", "EV", _("Evaluation run"))
numbering.register_document_type("process_improvement", "PI", _("Process improvement"))
MONTHLY_DAY = "supervision.evaluation.monthly_day"
QUARTERLY = "supervision.evaluation.quarterly"
SCOPES = (Scope.PERSON, Scope.TEAM, Scope.DEPARTMENT)


def _require(actor: Any, permission: str, message: Any) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise PermissionDenied(message)


def _run_for_update(run_id: int) -> EvaluationRun:
    run = EvaluationRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such evaluation run."))
    return run


def run_create(
    *, actor: Any, data: dict, kind: str = RunKind.AD_HOC, compute: bool = True
) -> EvaluationRun:
    """Start an evaluation of a period ("run now"), computed at once unless `compute` is
    False (E2.3)."""
    _require(actor, RUN, _("Only the supervision group and management run evaluations."))
    cleaned = inputs.clean_run(data)
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            number=numbering.next_number("evaluation_run"), kind=kind, created_by=actor, **cleaned
        )
        event_record(
            actor=actor,
            verb="evaluation.created",
            subject=run,
            to_state=run.status,
            data={
                "kind": kind,
                "period_start": run.period_start.isoformat(),
                "period_end": run.period_end.isoformat(),
            },
        )
        if compute:
            run = run_compute(actor=actor, run_id=run.pk)
    return run


def snapshot_rows(run: EvaluationRun) -> list[EvaluationResult]:
    """The rows of every KPI per person, team and department, copied (E2.3)."""
    period = Period(run.period_start, run.period_end)
    results = []
    for kpi in CATALOGUE:
        for scope in SCOPES:
            for row in kpi_values(kpi, period, scope):
                key = row[scope]
                results.append(
                    EvaluationResult(
                        run=run,
                        kpi_key=kpi.key,
                        kpi_label=str(kpi.label)[:200],
                        unit=kpi.unit,
                        direction=kpi.direction,
                        scope=scope,
                        group_key=key,
                        group_label=str(row["label"])[:200],
                        person_id=key if scope == Scope.PERSON else None,
                        value=row["value"],
                        numerator=row.get("numerator"),
                        denominator=row.get("denominator"),
                        p90=row.get("p90"),
                        count=row["count"],
                        target=row["target"],
                        met=row["met"],
                    )
                )
    return results


def run_compute(*, actor: Any, run_id: int) -> EvaluationRun:
    """Store the snapshot of a draft run and mark it computed; refused runs change nothing."""
    with transaction.atomic():
        run = _run_for_update(run_id)
        check_transition(EVALUATION, run, "compute", actor)
        results = snapshot_rows(run)
        EvaluationResult.objects.bulk_create(results)
        return apply_transition(
            run,
            "compute",
            workflow=EVALUATION,
            actor=actor,
            data={"results": len(results)},
            changes={"computed_at": timezone.now()},
        )


def run_transition(*, actor: Any, run_id: int, action: str, note: str = "") -> EvaluationRun:
    """Publish (people then see their own results) or archive a computed run."""
    with transaction.atomic():
        run = _run_for_update(run_id)
        if action == "compute":
            return run_compute(actor=actor, run_id=run_id)
        changes = {"published_at": timezone.now()} if action == "publish" else None
        run = apply_transition(
            run, action, workflow=EVALUATION, actor=actor, note=note, changes=changes
        )
        if action == "publish":
            _tell_people(run, actor)
        return run


def _tell_people(run: EvaluationRun, actor: Any) -> None:
    """Everyone with results hears, in their own language, that they can see them."""
    ids = run.results.filter(scope=Scope.PERSON, person__isnull=False).values("person_id")
    people = User.objects.filter(pk__in=ids, is_active=True)
    by_language: dict[str, list] = {}
    for person in people:
        by_language.setdefault(person.language or settings.LANGUAGE_CODE, []).append(person)
    for language, recipients in by_language.items():
        with translation.override(language):
            title = gettext("Your evaluation results for %(start)s – %(end)s are published") % {
                "start": run.period_start.isoformat(),
                "end": run.period_end.isoformat(),
            }
        notification_send(
            recipients=recipients,
            title=title,
            url=reverse("supervision:evaluation_detail", args=[run.pk]),
            actor=actor,
        )


def _previous_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _previous_quarter(today: date) -> tuple[date, date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    end = today.replace(month=first_month, day=1) - timedelta(days=1)
    return end.replace(month=end.month - 2, day=1), end


def scheduled_runs(*, actor: Any, today: date | None = None) -> list[EvaluationRun]:
    """The runs the policies ask for and that do not exist yet: on or after day N of a month
    the previous month; in a quarter's first month also the previous quarter. Running it
    again (or on two workers) creates nothing more (E2.3)."""
    today = today or timezone.localdate()
    if today.day < int(policies.value(MONTHLY_DAY)):
        return []
    wanted = [(RunKind.MONTHLY, *_previous_month(today))]
    if policies.value(QUARTERLY) and today.month in (1, 4, 7, 10):
        wanted.append((RunKind.QUARTERLY, *_previous_quarter(today)))
    created = []
    for kind, start, end in wanted:
        if EvaluationRun.objects.filter(kind=kind, period_start=start, period_end=end).exists():
            continue
        data = {"period_start": start, "period_end": end}
        try:
            with transaction.atomic():
                created.append(run_create(actor=actor, data=data, kind=kind))
        except IntegrityError:  # another worker made it first
            continue
    return created


def measure_record(*, actor: Any, run_id: int, result_id: int, data: dict) -> EvaluationMeasure:
    """Record a commendation or corrective measure against a person's result (E3.1). A
    corrective measure may assign a corrective action (整改) on a finding of an open
    inspection through the supervision service, so it reaches the owner's work queue."""
    _require(actor, RUN, _("Only the supervision group and management record measures."))
    cleaned = inputs.clean_measure(data)
    with transaction.atomic():
        run = _run_for_update(run_id)
        if run.status not in (RunStatus.COMPUTED, RunStatus.PUBLISHED):
            raise Conflict(
                _("The evaluation is %(state)s.") % {"state": run.get_status_display()},
                code="run_not_open",
            )
        result = run.results.filter(pk=result_id, scope=Scope.PERSON).first()
        if result is None or result.person_id is None:
            raise NotFound(_("No such result of a person in this evaluation."))
        action = None
        if cleaned["create_action"]:
            action = supervision_services.action_create(
                actor=actor,
                finding_id=cleaned["finding"],
                data={
                    "description": cleaned["note"],
                    "owner": result.person_id,
                    "due_date": cleaned["due_date"],
                },
            )
        measure = EvaluationMeasure.objects.create(
            run=run,
            result=result,
            person_id=result.person_id,
            kpi_key=result.kpi_key,
            kind=cleaned["kind"],
            note=cleaned["note"],
            corrective_action=action,
            recorded_by=actor,
        )
        verb = (
            "evaluation.commended"
            if measure.kind == MeasureKind.COMMENDATION
            else "evaluation.corrective_measure"
        )
        event_record(
            actor=actor,
            verb=verb,
            subject=run,
            note=measure.note,
            data={
                "person": result.person.username,
                "kpi": result.kpi_key,
                "corrective_action": action.number if action else "",
            },
        )
    return measure


def improvement_record(*, actor: Any, data: dict) -> ProcessImprovement:
    """Log the policy or procedure change made because of a finding (E3.1)."""
    _require(actor, LOG_IMPROVEMENT, _("Only the supervision group and management log changes."))
    cleaned = inputs.clean_improvement(data)
    with transaction.atomic():
        entry = ProcessImprovement.objects.create(
            number=numbering.next_number("process_improvement"), recorded_by=actor, **cleaned
        )
        event_record(
            actor=actor,
            verb="improvement.recorded",
            subject=entry,
            data={
                "finding": entry.finding.number,
                "policy": entry.policy_key,
                "old_value": entry.old_value,
                "new_value": entry.new_value,
                "requirements": entry.requirements,
            },
        )
        event_record(
            actor=actor,
            verb="improvement.recorded",
            subject=entry.finding,
            data={"improvement": entry.number},
        )
    return entry
