"""Contracts API (K1–K4): drafts (with `Idempotency-Key`), edits while drafting, the
countersign review, signing with the signed scan, activation, originals, obligations and
their fulfilment, breaches, versions, files, the PDF and the history.

Every handler parses, calls one service or selector, and returns a schema. A contract the
caller may not see is 404, an action they may not take 403, a wrong state 409.
"""

from django.utils.translation import get_language
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from salesdesk.audit.api import add_events_route
from salesdesk.contracts import selectors, services
from salesdesk.contracts.models import Breach, Contract, Obligation
from salesdesk.contracts.pdf import contract_pdf_response
from salesdesk.contracts.schemas import (
    AttachmentOut,
    BreachIn,
    BreachOut,
    CommentIn,
    ContractCreateIn,
    ContractListQuery,
    ContractOut,
    ContractPageOut,
    ContractPatchIn,
    FulfilIn,
    NoteIn,
    ObligationOut,
    OutcomeIn,
    ReasonIn,
    ReviewOut,
    SignIn,
    StartSigningIn,
    VersionOut,
)
from salesdesk.core.attachments import attachments_of
from salesdesk.core.idempotency import idempotent_create

router = Router(tags=["contracts"])

CREATE_SCOPE = "contracts.create"
ITEM = "/contracts/{int:contract_id}"
TERMS = ("title", "start_date", "end_date", "amount", "payment_terms", "body")


def _contract(request, contract_id: int) -> Contract:
    return selectors.contract_get(user=request.user, contract_id=contract_id)


@router.get("/contracts", response=ContractPageOut, summary="Contracts I may see (K3.2)")
def contract_list_api(request, query: Query[ContractListQuery]):
    filters = selectors.ContractFilters(
        customer_id=query.customer,
        contract_type_id=query.contract_type,
        status=query.status,
        signed_from=query.signed_from,
        signed_to=query.signed_to,
        amount_min=query.amount_min,
        amount_max=query.amount_max,
        q=query.q,
        expiring=query.expiring,
        expired=query.expired,
    )
    contracts = selectors.contract_list(user=request.user, filters=filters)
    return {
        "count": contracts.count(),
        "items": list(contracts[query.offset : query.offset + query.limit]),
    }


@router.post(
    "/contracts",
    response={201: ContractOut, 200: ContractOut},
    summary="Draft a contract from its template, a customer and orders (honours "
    "Idempotency-Key; a replay answers 200)",
)
def contract_create_api(request, payload: ContractCreateIn):
    data = payload.dict(include=set(TERMS), exclude_none=True)

    def create() -> Contract:
        return services.contract_draft(
            actor=request.user,
            contract_type_id=payload.contract_type,
            customer_id=payload.customer,
            order_ids=payload.orders,
            data=data,
            parent_id=payload.parent,
        )

    contract, replayed = idempotent_create(
        request,
        CREATE_SCOPE,
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _contract(request, pk),
    )
    return Status(200 if replayed else 201, _contract(request, contract.pk))


@router.get(ITEM, response=ContractOut, summary="One contract with its available actions")
def contract_get_api(request, contract_id: int):
    return _contract(request, contract_id)


@router.patch(ITEM, response=ContractOut, summary="Change a draft (409 once submitted)")
def contract_update_api(request, contract_id: int, payload: ContractPatchIn):
    current = _contract(request, contract_id)
    # PATCH keeps the dates it does not name; the terms check reads both together.
    data = {"start_date": current.start_date, "end_date": current.end_date}
    data.update(payload.dict(include=set(TERMS), exclude_unset=True))
    services.contract_update(actor=request.user, contract_id=contract_id, data=data)
    return _contract(request, contract_id)


@router.post(f"{ITEM}/submit", response=ContractOut, summary="Submit for countersign review")
def contract_submit_api(request, contract_id: int, payload: NoteIn | None = None):
    services.contract_submit(
        actor=request.user, contract_id=contract_id, note=payload.note if payload else ""
    )
    return _contract(request, contract_id)


@router.post(f"{ITEM}/approve", response=ContractOut, summary="Approve as a pending reviewer")
def contract_approve_api(request, contract_id: int, payload: CommentIn | None = None):
    services.contract_review(
        actor=request.user,
        contract_id=contract_id,
        approve=True,
        comment=payload.comment if payload else "",
    )
    return _contract(request, contract_id)


@router.post(
    f"{ITEM}/reject",
    response=ContractOut,
    summary="Reject with a comment; the draft returns to its drafter",
)
def contract_reject_api(request, contract_id: int, payload: CommentIn):
    services.contract_review(
        actor=request.user, contract_id=contract_id, approve=False, comment=payload.comment
    )
    return _contract(request, contract_id)


@router.post(f"{ITEM}/start-signing", response=ContractOut, summary="Choose how it is signed")
def contract_start_signing_api(request, contract_id: int, payload: StartSigningIn):
    services.contract_start_signing(actor=request.user, contract_id=contract_id, **payload.dict())
    return _contract(request, contract_id)


@router.post(f"{ITEM}/sign", response=ContractOut, summary="Record one party's signature")
def contract_sign_api(request, contract_id: int, payload: SignIn):
    services.contract_sign(actor=request.user, contract_id=contract_id, **payload.dict())
    return _contract(request, contract_id)


@router.post(
    f"{ITEM}/scan",
    response={201: AttachmentOut},
    summary="Attach the signed scan (multipart `file`: PDF or image)",
)
def contract_scan_api(request, contract_id: int, file: File[UploadedFile]):
    attachment = services.contract_attach_scan(
        actor=request.user, contract_id=contract_id, upload=file
    )
    return Status(201, attachment)


@router.post(
    f"{ITEM}/activate",
    response=ContractOut,
    summary="Activate (needs both signatures and the signed scan; 409 names what is missing)",
)
def contract_activate_api(request, contract_id: int):
    services.contract_activate(actor=request.user, contract_id=contract_id)
    return _contract(request, contract_id)


@router.post(
    f"{ITEM}/original-received", response=ContractOut, summary="The customer's original is back"
)
def contract_original_received_api(request, contract_id: int):
    services.contract_original_received(actor=request.user, contract_id=contract_id)
    return _contract(request, contract_id)


@router.post(f"{ITEM}/complete", response=ContractOut, summary="Complete (all obligations met)")
def contract_complete_api(request, contract_id: int, payload: NoteIn | None = None):
    services.contract_complete(
        actor=request.user, contract_id=contract_id, note=payload.note if payload else ""
    )
    return _contract(request, contract_id)


@router.post(f"{ITEM}/terminate", response=ContractOut, summary="Terminate with a reason")
def contract_terminate_api(request, contract_id: int, payload: ReasonIn):
    services.contract_terminate(actor=request.user, contract_id=contract_id, reason=payload.reason)
    return _contract(request, contract_id)


@router.post(f"{ITEM}/void", response=ContractOut, summary="Void before activation, with reason")
def contract_void_api(request, contract_id: int, payload: ReasonIn):
    services.contract_void(actor=request.user, contract_id=contract_id, reason=payload.reason)
    return _contract(request, contract_id)


@router.get(f"{ITEM}/reviews", response=list[ReviewOut], summary="Every review, every round")
def contract_reviews_api(request, contract_id: int):
    return list(selectors.contract_reviews(_contract(request, contract_id)))


@router.get(f"{ITEM}/versions", response=list[VersionOut], summary="Text versions with diffs")
def contract_versions_api(request, contract_id: int):
    return list(selectors.contract_versions(_contract(request, contract_id)))


@router.get(
    f"{ITEM}/obligations", response=list[ObligationOut], summary="The fulfilment table (K4.1)"
)
def contract_obligations_api(request, contract_id: int):
    contract = _contract(request, contract_id)
    return list(contract.obligations.select_related("fulfilled_by", "order"))


@router.post(
    "/obligations/{int:obligation_id}/fulfil",
    response=ObligationOut,
    summary="Record that an obligation was met",
)
def obligation_fulfil_api(request, obligation_id: int, payload: FulfilIn):
    services.obligation_fulfil(
        actor=request.user,
        obligation_id=obligation_id,
        fulfilled_on=payload.fulfilled_on,
        evidence=payload.evidence,
    )
    return Obligation.objects.select_related("fulfilled_by", "order").get(pk=obligation_id)


@router.get(f"{ITEM}/breaches", response=list[BreachOut], summary="Breaches of the contract")
def contract_breaches_api(request, contract_id: int):
    contract = _contract(request, contract_id)
    return list(contract.breaches.select_related("recorded_by"))


@router.post(f"{ITEM}/breaches", response={201: BreachOut}, summary="Record a breach (K4.2)")
def breach_record_api(request, contract_id: int, payload: BreachIn):
    breach = services.breach_record(
        actor=request.user,
        contract_id=contract_id,
        party=payload.party,
        description=payload.description,
        remedy=payload.remedy,
        obligation_id=payload.obligation,
    )
    return Status(201, breach)


@router.post("/breaches/{int:breach_id}/resolve", response=BreachOut, summary="Resolve a breach")
def breach_resolve_api(request, breach_id: int, payload: OutcomeIn):
    services.breach_resolve(actor=request.user, breach_id=breach_id, outcome=payload.outcome)
    return Breach.objects.select_related("recorded_by").get(pk=breach_id)


@router.get(f"{ITEM}/attachments", response=list[AttachmentOut], summary="The contract's files")
def contract_attachments_api(request, contract_id: int):
    contract = _contract(request, contract_id)
    return list(attachments_of(contract).select_related("uploaded_by"))


@router.get(
    f"{ITEM}/pdf",
    summary="The contract as a PDF (Chinese text, amount in capitals)",
    openapi_extra={"responses": {200: {"description": "A PDF file."}}},
)
def contract_pdf_api(request, contract_id: int):
    return contract_pdf_response(_contract(request, contract_id), get_language())


add_events_route(router, "/contracts", _contract)
