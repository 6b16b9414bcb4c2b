"""Evaluations and the process-improvement log over HTTP (E2.3, E3.1), DESIGN §5:
collections, items, `POST /evaluations/{id}/<action>`, events."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import NotFound
from salesdesk.core.workflow import available_actions
from salesdesk.supervision import evaluation_selectors as selectors
from salesdesk.supervision import evaluation_services as services
from salesdesk.supervision.evaluation_models import EvaluationRun, ProcessImprovement
from salesdesk.supervision.evaluation_policies import sees_all_runs
from salesdesk.supervision.evaluation_schemas import (
    ImprovementIn,
    ImprovementListQuery,
    ImprovementOut,
    ImprovementPageOut,
    MeasureIn,
    MeasureOut,
    RunCreateIn,
    RunDetailOut,
    RunListQuery,
    RunPageOut,
)
from salesdesk.supervision.evaluation_workflow import EVALUATION
from salesdesk.supervision.schemas import NoteIn

router = Router(tags=["evaluation"])
RUN_PATH = "/evaluations/{int:run_id}"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _run_out(request, run: EvaluationRun) -> dict[str, Any]:
    return {
        **{f: getattr(run, f) for f in ("id", "number", "kind", "status", "note")},
        **{f: getattr(run, f) for f in ("period_start", "period_end")},
        **{f: getattr(run, f) for f in ("computed_at", "published_at")},
        "created_by": run.created_by.username,
        "available_actions": available_actions(EVALUATION, run, request.user),
    }


def _result_out(result) -> dict[str, Any]:
    return {
        "id": result.pk,
        "kpi": result.kpi_key,
        "label": result.kpi_label,
        "unit": result.unit,
        "direction": result.direction,
        "scope": result.scope,
        "group": result.group_key,
        "name": result.group_label,
        **{f: _text(getattr(result, f)) for f in ("value", "numerator", "denominator", "p90")},
        "count": result.count,
        "target": str(result.target),
        "met": result.met,
    }


def _measure_out(measure) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "kind": measure.kind,
        "person": measure.person.username,
        "kpi": measure.kpi_key,
        "note": measure.note,
        "result": measure.result_id,
        "corrective_action": (
            measure.corrective_action.number if measure.corrective_action else None
        ),
        "recorded_by": measure.recorded_by.username,
        "created_at": measure.created_at,
    }


def _detail(request, run_id: int) -> dict[str, Any]:
    run = selectors.run_get(user=request.user, run_id=run_id)
    return {
        **_run_out(request, run),
        "results": [_result_out(r) for r in selectors.run_results(user=request.user, run=run)],
        "measures": [_measure_out(m) for m in selectors.run_measures(user=request.user, run=run)],
    }


@router.get("/evaluations", response=RunPageOut, summary="Evaluation runs I may see (E2.3)")
def run_list_api(request, query: Query[RunListQuery]):
    runs = selectors.run_list(
        user=request.user, q=query.q, kind=query.kind, status=query.status, year=query.year
    )
    page = runs[query.offset : query.offset + query.limit]
    return {"count": runs.count(), "items": [_run_out(request, r) for r in page]}


@router.post("/evaluations", response={201: RunDetailOut}, summary="Run an evaluation now")
def run_create_api(request, payload: RunCreateIn):
    data = payload.dict()
    run = services.run_create(actor=request.user, data=data, compute=data.pop("compute"))
    return Status(201, _detail(request, run.pk))


@router.get(RUN_PATH, response=RunDetailOut, summary="One evaluation with its results")
def run_get_api(request, run_id: int):
    return _detail(request, run_id)


def _add_run_action(name: str) -> None:
    def run_action_api(request, run_id: int, payload: NoteIn):
        selectors.run_get(user=request.user, run_id=run_id)
        services.run_transition(actor=request.user, run_id=run_id, action=name, note=payload.note)
        return _detail(request, run_id)

    run_action_api.__name__ = f"evaluation_{name}_api"
    router.add_api_operation(
        f"{RUN_PATH}/{name}", ["POST"], run_action_api, response=RunDetailOut, summary=name
    )


for _transition in EVALUATION.transitions:
    _add_run_action(_transition.name)


@router.post(
    RUN_PATH + "/measures",
    response={201: MeasureOut},
    summary="Record a commendation or corrective measure (E3.1)",
)
def measure_create_api(request, run_id: int, payload: MeasureIn):
    selectors.run_get(user=request.user, run_id=run_id)
    data = payload.dict()
    measure = services.measure_record(
        actor=request.user, run_id=run_id, result_id=data.pop("result"), data=data
    )
    return Status(201, _measure_out(measure))


def _run_for_history(request, run_id: int) -> EvaluationRun:
    # The history names everyone's measures: only for those who see every result.
    if not sees_all_runs(request.user):
        raise NotFound(_("No such evaluation run."))
    return selectors.run_get(user=request.user, run_id=run_id)


add_events_route(router, "/evaluations", _run_for_history)


def _improvement_out(entry: ProcessImprovement) -> dict[str, Any]:
    return {
        **{f: getattr(entry, f) for f in ("id", "number", "change_kind", "policy_key")},
        **{f: getattr(entry, f) for f in ("old_value", "new_value", "description")},
        "finding": entry.finding.number,
        "requirements": entry.requirements,
        "changed_on": entry.changed_on,
        "recorded_by": entry.recorded_by.username,
        "created_at": entry.created_at,
    }


@router.get("/improvements", response=ImprovementPageOut, summary="Process improvements (E3.1)")
def improvement_list_api(request, query: Query[ImprovementListQuery]):
    entries = selectors.improvement_list(user=request.user, q=query.q, kind=query.change_kind)
    page = entries[query.offset : query.offset + query.limit]
    return {"count": entries.count(), "items": [_improvement_out(e) for e in page]}


@router.post("/improvements", response={201: ImprovementOut}, summary="Log a process change")
def improvement_create_api(request, payload: ImprovementIn):
    entry = services.improvement_record(actor=request.user, data=payload.dict())
    return Status(201, _improvement_out(entry))


@router.get("/improvements/{int:entry_id}", response=ImprovementOut, summary="One entry")
def improvement_get_api(request, entry_id: int):
    return _improvement_out(selectors.improvement_get(user=request.user, entry_id=entry_id))


add_events_route(
    router,
    "/improvements",
    lambda request, pk: selectors.improvement_get(user=request.user, entry_id=pk),
)
