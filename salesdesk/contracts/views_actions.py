"""The contract page's buttons and small forms (K1.2–K4.2). Each calls one service; a refusal
comes back as a message on the contract page and changes nothing."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from salesdesk.contracts.forms import (
    BreachForm,
    FulfilForm,
    OutcomeForm,
    ReasonForm,
    ReviewForm,
    ScanForm,
    SignatureForm,
    StartSigningForm,
)
from salesdesk.contracts.models import Breach, Obligation
from salesdesk.contracts.pdf import contract_pdf_response
from salesdesk.contracts.services import (
    breach_record,
    breach_resolve,
    contract_activate,
    contract_attach_scan,
    contract_complete,
    contract_original_received,
    contract_review,
    contract_sign,
    contract_start_signing,
    contract_submit,
    contract_terminate,
    contract_void,
    obligation_fulfil,
)
from salesdesk.contracts.views_common import attempt, contract_or_404


def _cleaned(form) -> dict[str, Any]:
    form.is_valid()
    return getattr(form, "cleaned_data", {})


def _number(value: Any, default: int | None = None) -> int | None:
    text = str("" if value is None else value).strip()
    return int(text) if text.isdigit() else default


@login_required
@require_POST
def contract_transition_view(request, contract_id: str, action: str):
    """Submit, activate, mark received, complete, terminate or void (with a reason)."""
    contract_id, actor = int(contract_id), request.user
    reason = _cleaned(ReasonForm(request.POST)).get("reason", "")
    calls = {
        "submit": (
            lambda: contract_submit(actor=actor, contract_id=contract_id),
            _("Contract submitted for review."),
        ),
        "activate": (
            lambda: contract_activate(actor=actor, contract_id=contract_id),
            _("Contract activated."),
        ),
        "original-received": (
            lambda: contract_original_received(actor=actor, contract_id=contract_id),
            _("Customer's original recorded as received."),
        ),
        "complete": (
            lambda: contract_complete(actor=actor, contract_id=contract_id, note=reason),
            _("Contract completed."),
        ),
        "terminate": (
            lambda: contract_terminate(actor=actor, contract_id=contract_id, reason=reason),
            _("Contract terminated."),
        ),
        "void": (
            lambda: contract_void(actor=actor, contract_id=contract_id, reason=reason),
            _("Contract voided."),
        ),
    }
    call, success = calls[action]
    return attempt(request, contract_id, call, success)


@login_required
@require_POST
def contract_review_view(request, contract_id: str, decision: str):
    """A reviewer approves or rejects with a comment (會簽, K1.2)."""
    contract_id = int(contract_id)
    comment = _cleaned(ReviewForm(request.POST)).get("comment", "")
    approve = decision == "approve"
    return attempt(
        request,
        contract_id,
        lambda: contract_review(
            actor=request.user, contract_id=contract_id, approve=approve, comment=comment
        ),
        _("Approval recorded.") if approve else _("Rejection recorded; the draft goes back."),
    )


@login_required
@require_POST
def contract_start_signing_view(request, contract_id: int):
    """Choose the signing method and the number of originals (K2.1, K2.2)."""
    form = StartSigningForm(request.POST)
    form.is_valid()
    data = {**form.data.dict(), **getattr(form, "cleaned_data", {})}
    return attempt(
        request,
        contract_id,
        lambda: contract_start_signing(
            actor=request.user,
            contract_id=contract_id,
            method=data.get("method", ""),
            originals=_number(data.get("originals"), 2),
            esign_provider=data.get("esign_provider", ""),
            esign_reference=data.get("esign_reference", ""),
        ),
        _("Signing started."),
    )


@login_required
@require_POST
def contract_sign_view(request, contract_id: int):
    """Record one party's signatory, seal and date (K2.1, K2.2)."""
    form = SignatureForm(request.POST)
    form.is_valid()
    data = {**form.data.dict(), **getattr(form, "cleaned_data", {})}
    return attempt(
        request,
        contract_id,
        lambda: contract_sign(
            actor=request.user,
            contract_id=contract_id,
            party=data.get("party", ""),
            signatory=data.get("signatory", ""),
            title=data.get("title", ""),
            seal=data.get("seal", ""),
            signed_on=data.get("signed_on", ""),
            originals_held=_number(data.get("originals_held"), 1),
        ),
        _("Signature recorded."),
    )


@login_required
@require_POST
def contract_scan_view(request, contract_id: int):
    """Attach the signed scan (PDF or image) that activation needs (K2.1)."""
    upload = _cleaned(ScanForm(request.POST, request.FILES)).get("file")
    return attempt(
        request,
        contract_id,
        lambda: contract_attach_scan(actor=request.user, contract_id=contract_id, upload=upload),
        _("Signed scan attached."),
    )


@login_required
@require_POST
def obligation_fulfil_view(request, obligation_id: int):
    """Record by hand that an obligation was met (合同履行一覽表, K4.1)."""
    obligation = Obligation.objects.filter(pk=obligation_id).first()
    if obligation is None:
        raise Http404
    data = _cleaned(FulfilForm(request.POST))
    return attempt(
        request,
        obligation.contract_id,
        lambda: obligation_fulfil(
            actor=request.user,
            obligation_id=obligation.pk,
            fulfilled_on=data.get("fulfilled_on") or None,
            evidence=data.get("evidence", ""),
        ),
        _("Obligation fulfilled."),
    )


@login_required
@require_POST
def breach_record_view(request, contract_id: int):
    """Record a breach by either party with the remedy sought (K4.2)."""
    form = BreachForm(request.POST)
    form.is_valid()
    data = {**form.data.dict(), **getattr(form, "cleaned_data", {})}
    return attempt(
        request,
        contract_id,
        lambda: breach_record(
            actor=request.user,
            contract_id=contract_id,
            party=data.get("party", ""),
            description=data.get("description", ""),
            remedy=data.get("remedy", ""),
            obligation_id=_number(data.get("obligation")),
        ),
        _("Breach recorded."),
    )


@login_required
@require_POST
def breach_resolve_view(request, breach_id: int):
    """Close a breach with its outcome (K4.2)."""
    breach = Breach.objects.filter(pk=breach_id).first()
    if breach is None:
        raise Http404
    outcome = _cleaned(OutcomeForm(request.POST)).get("outcome", "")
    return attempt(
        request,
        breach.contract_id,
        lambda: breach_resolve(actor=request.user, breach_id=breach.pk, outcome=outcome),
        _("Breach resolved."),
    )


@login_required
@require_GET
def contract_pdf_view(request, contract_id: int):
    """The contract as a PDF with Chinese text and the amount in capitals (K3.1)."""
    contract = contract_or_404(request.user, contract_id)
    return contract_pdf_response(contract, request.LANGUAGE_CODE)
