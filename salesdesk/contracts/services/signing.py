"""Signing (K2): method, signatures and seals, originals, and the signed scan before the
contract becomes active; obligations are derived on activation (K4.1)."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.contracts.models import Contract, ContractStatus, Party, Signature, SigningMethod
from salesdesk.contracts.services.drafting import contract_for_drafting
from salesdesk.contracts.services.execution import derive_obligations
from salesdesk.contracts.workflow import CONTRACT
from salesdesk.core import policies
from salesdesk.core.attachments import attachment_add, attachments_of
from salesdesk.core.errors import Conflict, ValidationFailed
from salesdesk.core.workflow import apply_transition

SCAN_TYPES = (".pdf", ".png", ".jpg", ".jpeg")


def contract_start_signing(
    *,
    actor: Any,
    contract_id: int,
    method: str,
    originals: int = 2,
    esign_provider: str = "",
    esign_reference: str = "",
) -> Contract:
    fields: dict[str, list] = {}
    if method not in SigningMethod.values:
        fields["method"] = [_("Choose how the contract is signed.")]
    if method == SigningMethod.ELECTRONIC and not (esign_provider and esign_reference):
        fields["esign_reference"] = [_("Name the e-signature provider and envelope.")]
    if not 1 <= int(originals or 0) <= 10:
        fields["originals"] = [_("Between 1 and 10 originals.")]
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), fields)
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        return apply_transition(
            contract,
            "start_signing",
            workflow=CONTRACT,
            actor=actor,
            data={"method": method},
            changes={
                "signing_method": method,
                "originals": int(originals),
                "esign_provider": esign_provider[:60],
                "esign_reference": esign_reference[:100],
            },
        )


def contract_sign(
    *,
    actor: Any,
    contract_id: int,
    party: str,
    signatory: str,
    signed_on: Any,
    title: str = "",
    seal: str = "",
    originals_held: int = 1,
) -> Signature:
    """Record one party's signature and seal (K2.1, K2.2)."""
    fields: dict[str, list] = {}
    day = signed_on if isinstance(signed_on, date) else parse_date(str(signed_on or ""))
    if party not in Party.values:
        fields["party"] = [_("Choose the party.")]
    if not (signatory or "").strip():
        fields["signatory"] = [_("This field is required.")]
    if day is None or day > timezone.localdate():
        fields["signed_on"] = [_("Enter the signing date (not in the future).")]
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), fields)
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        if contract.status != ContractStatus.SIGNING:
            raise Conflict(_("Signatures are recorded while signing."), code="not_signing")
        signature, _created = Signature.objects.update_or_create(
            contract=contract,
            party=party,
            defaults={
                "signatory": signatory.strip()[:100],
                "title": title[:60],
                "seal": seal[:100],
                "signed_on": day,
                "originals_held": originals_held,
            },
        )
        event_record(
            actor=actor,
            verb="contract.signature_recorded",
            subject=contract,
            data={"party": party, "signed_on": day.isoformat()},
        )
    return signature


def contract_attach_scan(*, actor: Any, contract_id: int, upload) -> Any:
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        if contract.status != ContractStatus.SIGNING:
            raise Conflict(_("The signed scan is attached while signing."), code="not_signing")
        return attachment_add(
            actor=actor, subject=contract, upload=upload, kind="signed_scan", allowed=SCAN_TYPES
        )


def contract_activate(*, actor: Any, contract_id: int) -> Contract:
    """Active only with both signatures and the signed scan (K2.1); obligations follow."""
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        missing = []
        if not attachments_of(contract).filter(kind="signed_scan").exists():
            missing.append(str(_("the signed scan")))
        parties = set(contract.signatures.values_list("party", flat=True))
        for party in Party:
            if party.value not in parties:
                missing.append(str(_("the signature of %(party)s") % {"party": party.label}))
        if missing:
            raise Conflict(
                _("Before activation the contract needs %(missing)s.")
                % {"missing": ", ".join(missing)},
                code="signing_incomplete",
                extra={"missing": missing},
            )
        signed_on = max(contract.signatures.values_list("signed_on", flat=True))
        due = None
        if contract.signing_method != SigningMethod.ELECTRONIC:
            due = signed_on + timedelta(days=policies.value("contracts.original_return_days"))
        contract = apply_transition(
            contract,
            "activate",
            workflow=CONTRACT,
            actor=actor,
            changes={
                "signed_on": signed_on,
                "original_due_on": due,
                "start_date": contract.start_date or signed_on,
            },
        )
        derive_obligations(contract, actor)
    return contract


def contract_original_received(*, actor: Any, contract_id: int) -> Contract:
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        if contract.original_received_at is not None:
            raise Conflict(
                _("The original is already recorded as received."), code="already_received"
            )
        contract.original_received_at = timezone.now()
        contract.save(update_fields=["original_received_at", "updated_at"])
        event_record(actor=actor, verb="contract.original_received", subject=contract)
    return contract
