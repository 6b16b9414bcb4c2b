"""Confidentiality (C3.1–C3.4): audited reveal, a person's data export and erasure, and
sharing with outside parties only under a valid NDA."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import access_record, event_record
from salesdesk.core.attachments import check_upload
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.models import Contact, Customer, DataSharingAgreement, InvoicingDetails
from salesdesk.customers.policies import can_reveal, visible_to

REVEALABLE = ("name", "mobile", "phone", "email")
NDA_TYPES = (".pdf", ".png", ".jpg", ".jpeg")
ERASED = "[erased]"


def _require_purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ValidationFailed(
            _("Say why you need to see this personal data."), extra={"field": "purpose"}
        )
    return purpose[:200]


def contact_reveal(
    *, actor: Any, contact_id: int, purpose: str, fields: tuple[str, ...] = REVEALABLE
) -> dict[str, str]:
    """Show a contact's personal data to a permitted user and log who, what and why (C3.3)."""
    purpose = _require_purpose(purpose)
    contact = Contact.objects.select_related("customer").filter(pk=contact_id).first()
    if (
        contact is None
        or not Customer.objects.filter(visible_to(actor), pk=contact.customer_id).exists()
    ):
        raise NotFound(_("No such contact."))
    if not can_reveal(actor, contact.customer):
        raise PermissionDenied(_("You may not reveal personal data."))
    if contact.erased_at is not None:
        raise Conflict(_("This person's data was erased."), code="erased")
    wanted = [f for f in fields if f in REVEALABLE]
    access_record(actor=actor, subject=contact, fields=wanted, purpose=purpose)
    return {f: getattr(contact, f) for f in wanted}


def invoicing_reveal(*, actor: Any, customer_id: int, purpose: str) -> str:
    """The full bank account, for finance and permitted users, logged (C3.3)."""
    purpose = _require_purpose(purpose)
    details = (
        InvoicingDetails.objects.select_related("customer").filter(customer_id=customer_id).first()
    )
    if details is None or not Customer.objects.filter(visible_to(actor), pk=customer_id).exists():
        raise NotFound(_("No invoicing details."))
    if not can_reveal(actor, details.customer):
        raise PermissionDenied(_("You may not reveal personal data."))
    access_record(actor=actor, subject=details, fields=["bank_account"], purpose=purpose)
    return details.bank_account


def contact_export_personal_data(*, actor: Any, contact_id: int, purpose: str) -> dict:
    """Everything stored about one person, for a data-subject request (C3.1); logged."""
    if not actor.has_perm("customers.erase_contact"):
        raise PermissionDenied(_("You may not handle personal-data requests."))
    data = contact_reveal(actor=actor, contact_id=contact_id, purpose=purpose)
    contact = Contact.objects.select_related("customer").get(pk=contact_id)
    data.update(
        {
            "customer": contact.customer.legal_name,
            "title": contact.title,
            "decision_maker": contact.is_decision_maker,
            "influencer": contact.is_influencer,
            "legal_basis": contact.legal_basis,
            "consent_note": contact.consent_note,
            "purpose": contact.purpose,
            "retain_until": contact.retain_until.isoformat() if contact.retain_until else None,
            "source": contact.source,
            "recorded_at": contact.created_at.isoformat(),
        }
    )
    event_record(
        actor=actor,
        verb="contact.data_exported",
        subject=contact.customer,
        note=purpose,
        data={"contact_id": contact.pk},
    )
    return data


def contact_erase(*, actor: Any, contact_id: int, reason: str) -> Contact:
    """Anonymise a person on request while keeping the business records (C3.1)."""
    if not actor.has_perm("customers.erase_contact"):
        raise PermissionDenied(_("You may not erase personal data."))
    reason = _require_purpose(reason)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
        if (
            contact is None
            or not Customer.objects.filter(visible_to(actor), pk=contact.customer_id).exists()
        ):
            raise NotFound(_("No such contact."))
        if contact.erased_at is not None:
            raise Conflict(_("This person's data was already erased."), code="erased")
        contact.name = ERASED
        contact.mobile = contact.phone = contact.email = ""
        contact.consent_note = contact.purpose = contact.source = ""
        contact.is_active = False
        contact.erased_at = timezone.now()
        contact.save()
        event_record(
            actor=actor,
            verb="contact.erased",
            subject=contact.customer,
            note=reason,
            data={"contact_id": contact.pk},
        )
    return contact


def sharing_register(
    *, actor: Any, recipient: str, scope: str, document, valid_from: date, valid_until: date
) -> DataSharingAgreement:
    """Register an NDA that allows sharing customer data with an outside party (C3.4)."""
    if not actor.has_perm("customers.share_customer"):
        raise PermissionDenied(_("You may not register data-sharing agreements."))
    fields: dict[str, list] = {}
    if not (recipient or "").strip():
        fields["recipient"] = [_("This field is required.")]
    if not (scope or "").strip():
        fields["scope"] = [_("This field is required.")]
    if document is None:
        fields["document"] = [_("Attach the signed NDA.")]
    else:
        try:
            check_upload(document, allowed=NDA_TYPES)
        except ValidationFailed as exc:
            fields["document"] = [exc.message]
    if valid_from and valid_until and valid_until < valid_from:
        fields["valid_until"] = [_("The end date must not be before the start date.")]
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), fields)
    with transaction.atomic():
        agreement = DataSharingAgreement.objects.create(
            recipient=recipient.strip(),
            scope=scope.strip(),
            document=document,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor,
        )
        event_record(actor=actor, verb="sharing.registered", subject=agreement)
    return agreement


def sharing_revoke(*, actor: Any, agreement_id: int, reason: str) -> DataSharingAgreement:
    if not actor.has_perm("customers.share_customer"):
        raise PermissionDenied(_("You may not revoke data-sharing agreements."))
    reason = _require_purpose(reason)
    with transaction.atomic():
        agreement = DataSharingAgreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None:
            raise NotFound(_("No such agreement."))
        if agreement.revoked_at is not None:
            raise Conflict(_("The agreement is already revoked."), code="already_revoked")
        agreement.revoked_at, agreement.revoked_reason = timezone.now(), reason
        agreement.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
        event_record(actor=actor, verb="sharing.revoked", subject=agreement, note=reason)
    return agreement


def sharing_valid_agreement(*, actor: Any, agreement_id: int | None) -> DataSharingAgreement:
    """The agreement an outside export relies on; refused unless valid today (C3.4)."""
    if not actor.has_perm("customers.share_customer"):
        raise PermissionDenied(_("You may not share customer data outside the company."))
    today = timezone.localdate()
    agreement = (
        DataSharingAgreement.objects.filter(pk=agreement_id).first() if agreement_id else None
    )
    if (
        agreement is None
        or agreement.revoked_at is not None
        or not agreement.valid_from <= today <= agreement.valid_until
    ):
        raise PermissionDenied(
            _("Sharing customer data with an outside party needs a valid, signed NDA."),
            code="nda_required",
            extra={"field": "agreement"},
        )
    return agreement
