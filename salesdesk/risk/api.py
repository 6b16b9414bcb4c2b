"""Risk API (R1.1, R1.2, R2.2): the register with transitions, contingency activation and
events; the level matrix; customer credit scores. Each handler calls one service or selector;
a record the caller may not see is 404, an action they may not take 403, a wrong state 409.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import PermissionDenied
from salesdesk.core.idempotency import idempotent_create
from salesdesk.risk import matrix as level_matrix
from salesdesk.risk import selectors, services
from salesdesk.risk.models import Risk
from salesdesk.risk.schemas import (
    ActivationOut,
    AssessIn,
    CreditScoreOut,
    MatrixIn,
    MatrixOut,
    NoteIn,
    RiskCreateIn,
    RiskListQuery,
    RiskOut,
    RiskPageOut,
    RiskUpdateIn,
)

router = Router(tags=["risk"])

RISK = "/risks/{int:risk_id}"


def _risk(request, risk_id: int) -> Risk:
    return selectors.risk_get(user=request.user, risk_id=risk_id)


@router.get("/risks", response=RiskPageOut, summary="Risks I may see")
def risk_list_api(request, query: Query[RiskListQuery]):
    filters = query.model_dump(exclude={"limit", "offset", "q", "open_only"})
    risks = selectors.risk_list(user=request.user, q=query.q, open_only=query.open_only, **filters)
    return {"count": risks.count(), "items": list(risks[query.offset : query.offset + query.limit])}


@router.post(
    "/risks",
    response={201: RiskOut, 200: RiskOut},
    summary="Record a risk (honours Idempotency-Key)",
)
def risk_create_api(request, payload: RiskCreateIn):
    risk, replayed = idempotent_create(
        request,
        "risk.risk",
        payload.model_dump(mode="json"),
        create=lambda: services.risk_create(actor=request.user, data=payload.model_dump()),
        load=lambda pk: _risk(request, pk),
    )
    return Status(200 if replayed else 201, _risk(request, risk.pk))


@router.get("/risks/matrix", response=MatrixOut, summary="The likelihood × impact level matrix")
def risk_matrix_api(request):
    if not request.user.has_perm("risk.view_risk"):
        raise PermissionDenied(_("You may not see risks."))
    scale, cells = level_matrix.current()
    return {"scale": scale, "matrix": cells}


@router.put("/risks/matrix", response=MatrixOut, summary="Replace the level matrix (admins)")
def risk_matrix_set_api(request, payload: MatrixIn):
    scale, cells = services.risk_matrix_set(
        actor=request.user, scale=payload.scale, rows=payload.matrix
    )
    return {"scale": scale, "matrix": cells}


@router.get(RISK, response=RiskOut, summary="One risk")
def risk_get_api(request, risk_id: int):
    return _risk(request, risk_id)


@router.patch(RISK, response=RiskOut, summary="Edit an open risk")
def risk_update_api(request, risk_id: int, payload: RiskUpdateIn):
    services.risk_update(
        actor=request.user, risk_id=risk_id, data=payload.model_dump(exclude_unset=True)
    )
    return _risk(request, risk_id)


@router.post(RISK + "/assess", response=RiskOut, summary="Rate likelihood and impact")
def risk_assess_api(request, risk_id: int, payload: AssessIn):
    services.risk_assess(
        actor=request.user,
        risk_id=risk_id,
        likelihood=payload.likelihood,
        impact=payload.impact,
        note=payload.note,
    )
    return _risk(request, risk_id)


@router.post(
    RISK + "/activate-contingency",
    response={201: ActivationOut},
    summary="Activate the contingency plan (R2.2)",
)
def risk_contingency_api(request, risk_id: int, payload: NoteIn):
    activation = services.contingency_activate(
        actor=request.user, risk_id=risk_id, note=payload.note
    )
    return Status(201, activation)


def _transition_route(action: str) -> None:
    def handler(request, risk_id: int, payload: NoteIn):
        services.risk_transition(
            actor=request.user, risk_id=risk_id, action=action, note=payload.note
        )
        return _risk(request, risk_id)

    handler.__name__ = f"risk_{action}_api"
    router.add_api_operation(
        RISK + f"/{action}", ["POST"], handler, response=RiskOut, summary=f"Risk: {action}"
    )


for _action in ("treat", "monitor", "close", "reopen"):
    _transition_route(_action)

add_events_route(router, "/risks", lambda request, pk: _risk(request, pk))


def _score_out(customer, latest, history) -> dict:
    return {
        "customer": customer.pk,
        "score": latest.score if latest else None,
        "level": latest.level if latest else "",
        "computed_at": latest.computed_at if latest else None,
        "inputs": latest.inputs if latest else {},
        "history": [
            {"score": s.score, "level": s.level, "computed_at": s.computed_at.isoformat()}
            for s in history
        ],
    }


@router.get(
    "/customers/{int:customer_id}/credit-score",
    response=CreditScoreOut,
    summary="A customer's latest credit score with its inputs and history (R1.2)",
)
def credit_score_get_api(request, customer_id: int):
    customer, latest = selectors.credit_score_latest(user=request.user, customer_id=customer_id)
    return _score_out(customer, latest, selectors.credit_score_history(customer))


@router.post(
    "/customers/{int:customer_id}/credit-score",
    response={201: CreditScoreOut},
    summary="Recompute a customer's credit score now (R1.2)",
)
def credit_score_compute_api(request, customer_id: int):
    selectors.credit_score_latest(user=request.user, customer_id=customer_id)
    score = services.credit_score_compute(actor=request.user, customer_id=customer_id)
    history = selectors.credit_score_history(score.customer)
    return Status(201, _score_out(score.customer, score, history))
