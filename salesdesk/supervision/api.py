"""KPIs and inspections over HTTP (E1.1, E2.1, E2.2).

`GET /kpis` computes one KPI for a period, grouped by person, team, department or month;
`GET /kpis/{name}/records` lists the records behind it; a sales manager gets their own
team's figures, the supervision group and management everyone's. Inspections, findings and
corrective actions follow DESIGN §5: collections, items, `POST …/{id}/<action>`, events.
"""

from typing import Any

from django.utils import timezone
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.core.workflow import available_actions
from salesdesk.supervision import selectors, services
from salesdesk.supervision.models import ActionStatus, CorrectiveAction, InspectionPlan
from salesdesk.supervision.schemas import (
    ActionCreateIn,
    ActionListQuery,
    ActionOut,
    ActionPageOut,
    CheckIn,
    FindingCreateIn,
    FindingOut,
    KpiOut,
    KpiQuery,
    KpiRecordsOut,
    KpiRecordsQuery,
    NoteIn,
    PlanCreateIn,
    PlanListQuery,
    PlanOut,
    PlanPageOut,
)
from salesdesk.supervision.selectors_kpis import kpi_drilldown, kpi_read
from salesdesk.supervision.workflow import ACTION, PLAN

router = Router(tags=["supervision"])
PLAN_PATH = "/inspections/{int:plan_id}"
ACTION_PATH = "/corrective-actions/{int:action_id}"


def _text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@router.get("/kpis", response=KpiOut, by_alias=True, summary="One KPI for a period (E2.2)")
def kpi_api(request, query: Query[KpiQuery]):
    kpi, period, rows = kpi_read(
        user=request.user,
        name=query.kpi,
        span=query.span,
        group_by=query.group_by,
        start=query.start,
        end=query.end,
    )
    return {
        "kpi": kpi.name,
        "span": kpi.span,
        "label": str(kpi.label),
        "unit": kpi.unit,
        "direction": kpi.direction,
        "formula": str(kpi.formula),
        "target": str(kpi.target),
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "rows": [{k: _text(v) for k, v in row.items()} for row in rows],
    }


@router.get(
    "/kpis/{name}/records", response=KpiRecordsOut, by_alias=True, summary="Records behind a KPI"
)
def kpi_records_api(request, name: str, query: Query[KpiRecordsQuery]):
    kpi, period, facts = kpi_drilldown(
        user=request.user,
        name=name,
        span=query.span,
        group_by=query.group_by,
        group=query.group,
        start=query.start,
        end=query.end,
    )
    items = [
        {
            "kind": f.kind,
            "id": f.record_id,
            "label": f.label,
            "url": f.url,
            "person": f.person_id,
            "day": f.day,
            "in_numerator": f.in_numerator,
            "numerator": _text(f.numerator),
            "denominator": _text(f.denominator),
            "value": _text(f.value),
            "detail": {k: _text(v) for k, v in f.detail.items()},
        }
        for f in facts
    ]
    return {
        "kpi": kpi.name,
        "span": kpi.span,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "count": len(items),
        "items": items,
    }


def _plan_out(request, plan: InspectionPlan) -> dict[str, Any]:
    return {
        **{f: getattr(plan, f) for f in ("id", "number", "title", "scope", "status")},
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "lead": plan.lead.username,
        "conclusion": plan.conclusion,
        "checklist": list(plan.checklist.values("id", "requirement", "result", "note")),
        "available_actions": available_actions(PLAN, plan, request.user),
        "created_at": plan.created_at,
    }


def _plan(request, plan_id: int) -> InspectionPlan:
    return selectors.plan_get(user=request.user, plan_id=plan_id)


@router.get("/inspections", response=PlanPageOut, summary="Inspection plans (E1.1)")
def plan_list_api(request, query: Query[PlanListQuery]):
    plans = selectors.plan_list(user=request.user, q=query.q, status=query.status)
    page = plans[query.offset : query.offset + query.limit]
    return {"count": plans.count(), "items": [_plan_out(request, p) for p in page]}


@router.post("/inspections", response={201: PlanOut}, summary="Plan an inspection")
def plan_create_api(request, payload: PlanCreateIn):
    plan = services.plan_create(actor=request.user, data=payload.dict())
    return Status(201, _plan_out(request, _plan(request, plan.pk)))


@router.get(PLAN_PATH, response=PlanOut, summary="One inspection with its checklist")
def plan_get_api(request, plan_id: int):
    return _plan_out(request, _plan(request, plan_id))


@router.post(PLAN_PATH + "/checklist/{int:item_id}", response=PlanOut, summary="Record a check")
def checklist_api(request, plan_id: int, item_id: int, payload: CheckIn):
    plan = _plan(request, plan_id)
    item = plan.checklist.filter(pk=item_id).first()
    services.checklist_record(
        actor=request.user, item_id=item.pk if item else 0, data=payload.dict()
    )
    return _plan_out(request, _plan(request, plan_id))


def _add_plan_action(name: str) -> None:
    def plan_action_api(request, plan_id: int, payload: NoteIn):
        _plan(request, plan_id)
        services.plan_transition(
            actor=request.user, plan_id=plan_id, action=name, note=payload.note
        )
        return _plan_out(request, _plan(request, plan_id))

    plan_action_api.__name__ = f"plan_{name}_api"
    router.add_api_operation(
        f"{PLAN_PATH}/{name}", ["POST"], plan_action_api, response=PlanOut, summary=name
    )


for _transition in PLAN.transitions:
    _add_plan_action(_transition.name)


def _finding_out(finding) -> dict[str, Any]:
    return {
        **{f: getattr(finding, f) for f in ("id", "number", "requirement", "severity")},
        "plan": finding.plan.number,
        "description": finding.description,
        "evidence": finding.evidence,
        "created_at": finding.created_at,
    }


@router.get(PLAN_PATH + "/findings", response=list[FindingOut], summary="Findings of a plan")
def finding_list_api(request, plan_id: int):
    return [_finding_out(f) for f in _plan(request, plan_id).findings.select_related("plan")]


@router.post(PLAN_PATH + "/findings", response={201: FindingOut}, summary="Record a finding")
def finding_create_api(request, plan_id: int, payload: FindingCreateIn):
    _plan(request, plan_id)
    finding = services.finding_create(actor=request.user, plan_id=plan_id, data=payload.dict())
    return Status(201, _finding_out(finding))


@router.get("/findings/{int:finding_id}", response=FindingOut, summary="One finding")
def finding_get_api(request, finding_id: int):
    return _finding_out(selectors.finding_get(user=request.user, finding_id=finding_id))


@router.post(
    "/findings/{int:finding_id}/corrective-actions",
    response={201: ActionOut},
    summary="Assign a corrective action (整改)",
)
def action_create_api(request, finding_id: int, payload: ActionCreateIn):
    selectors.finding_get(user=request.user, finding_id=finding_id)
    action = services.action_create(actor=request.user, finding_id=finding_id, data=payload.dict())
    return Status(201, _action_out(request, _action(request, action.pk)))


def _action(request, action_id: int) -> CorrectiveAction:
    return selectors.action_get(user=request.user, action_id=action_id)


def _action_out(request, action: CorrectiveAction) -> dict[str, Any]:
    return {
        **{f: getattr(action, f) for f in ("id", "number", "description", "due_date", "status")},
        "finding": action.finding.number,
        "owner": action.owner.username,
        "overdue": action.status == ActionStatus.OPEN and action.due_date < timezone.localdate(),
        "result_note": action.result_note,
        "verification_note": action.verification_note,
        "available_actions": available_actions(ACTION, action, request.user),
    }


@router.get("/corrective-actions", response=ActionPageOut, summary="Corrective actions I see")
def action_list_api(request, query: Query[ActionListQuery]):
    actions = selectors.action_list(
        user=request.user,
        q=query.q,
        status=query.status,
        owner_id=query.owner,
        overdue=query.overdue,
    )
    page = actions[query.offset : query.offset + query.limit]
    return {"count": actions.count(), "items": [_action_out(request, a) for a in page]}


@router.get(ACTION_PATH, response=ActionOut, summary="One corrective action")
def action_get_api(request, action_id: int):
    return _action_out(request, _action(request, action_id))


def _add_action_transition(name: str, path: str) -> None:
    def action_transition_api(request, action_id: int, payload: NoteIn):
        services.action_transition(
            actor=request.user, action_id=action_id, transition=name, note=payload.note
        )
        return _action_out(request, _action(request, action_id))

    action_transition_api.__name__ = f"corrective_action_{name}_api"
    router.add_api_operation(
        f"{ACTION_PATH}/{path}", ["POST"], action_transition_api, response=ActionOut, summary=name
    )


for _transition in ACTION.transitions:
    _add_action_transition(_transition.name, _transition.path)

add_events_route(router, "/inspections", lambda request, pk: _plan(request, pk))
add_events_route(
    router,
    "/findings",
    lambda request, pk: selectors.finding_get(user=request.user, finding_id=pk),
)
add_events_route(router, "/corrective-actions", lambda request, pk: _action(request, pk))
