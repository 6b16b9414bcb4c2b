"""The carrier register (S2.1, S2.2): carriers with modes, service areas, rates and a tracking
push secret, their transport agreements, customers' preferred carriers; files on shipments."""

import re
import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core.attachments import attachment_add, check_upload
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.models import Attachment
from salesdesk.core.money import to_decimal
from salesdesk.customers.models import Customer
from salesdesk.shipping.models import Carrier, CarrierAgreement, CarrierPreference, Mode
from salesdesk.shipping.services.preparation import shipment_locked

EVENT_LABELS = {
    "carrier.created": _("Carrier added"),
    "carrier.changed": _("Carrier changed"),
    "carrier.secret_issued": _("Tracking push secret issued"),
    "carrier.agreement_added": _("Carrier agreement added"),
    "carrier.preference_set": _("Preferred carrier set"),
    "carrier.preference_cleared": _("Preferred carrier removed"),
}
CARRIER_FIELDS = (
    "code",
    "name",
    "modes",
    "service_areas",
    "base_rate",
    "rate_per_kg",
    "transit_days",
    "is_active",
)
FILE_KINDS = ("qc_report", "photo", "packing", "other")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,29}$")


def _require(actor: Any, permission: str, message: Any) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(message)


def _areas(value: Any) -> list[str]:
    items = re.split(r"[,，、;\n]+", value) if isinstance(value, str) else list(value or [])
    return sorted({str(item).strip()[:40] for item in items if str(item).strip()})


def clean_carrier(data: dict, *, partial: bool = False) -> dict[str, Any]:
    """Check a carrier's fields and report every bad one at once."""
    cleaned: dict[str, Any] = {}
    fields: dict[str, list] = {}
    present = [name for name in CARRIER_FIELDS if name in data or not partial]
    for name in present:
        value = data.get(name)
        if name == "code":
            code = str(value or "").strip().lower()
            if not _CODE.match(code):
                fields[name] = [_("Use 1–30 lowercase letters, digits, - or _.")]
            cleaned[name] = code
        elif name == "name":
            cleaned[name] = str(value or "").strip()[:100]
            if not cleaned[name]:
                fields[name] = [_("Give the carrier's name.")]
        elif name == "modes":
            modes = [value] if isinstance(value, str) else list(value or [])
            if not modes or any(m not in Mode.values for m in modes):
                fields[name] = [_("Choose at least one transport mode.")]
            cleaned[name] = [m for m in Mode.values if m in modes]
        elif name == "service_areas":
            cleaned[name] = _areas(value)
        elif name in ("base_rate", "rate_per_kg"):
            try:
                cleaned[name] = to_decimal(Decimal(0) if value in (None, "") else value)
                if cleaned[name] < 0:
                    raise ValueError
            except (ValidationFailed, ValueError, TypeError):
                fields[name] = [_("Enter an amount of 0 or more.")]
        elif name == "transit_days":
            try:
                cleaned[name] = int(str(value))
                if not 1 <= cleaned[name] <= 90:
                    raise ValueError
            except ValueError:
                fields[name] = [_("Enter whole days from 1 to 90.")]
        else:
            cleaned[name] = value in (True, "true", "True", "on", "1", 1) or value is None
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the carrier."), fields)
    return cleaned


def carrier_create(*, actor: Any, data: dict) -> tuple[Carrier, str]:
    """Add a carrier; its tracking push secret is returned once and stored encrypted (S2.1)."""
    _require(actor, "shipping.add_carrier", _("You may not add carriers."))
    cleaned = clean_carrier(data)
    with transaction.atomic():
        if Carrier.objects.filter(code=cleaned["code"]).exists():
            raise ValidationFailed.from_fields(
                _("Please correct the carrier."), {"code": [_("This code is taken.")]}
            )
        secret = secrets.token_urlsafe(32)
        carrier = Carrier.objects.create(webhook_secret=secret, **cleaned)
        event_record(
            actor=actor, verb="carrier.created", subject=carrier, data={"code": carrier.code}
        )
    return carrier, secret


def carrier_update(*, actor: Any, carrier_id: int, data: dict) -> Carrier:
    """Change a carrier's modes, areas, rates, transit days or activity; the code stays."""
    _require(actor, "shipping.change_carrier", _("You may not change carriers."))
    cleaned = clean_carrier({k: v for k, v in data.items() if k != "code"}, partial=True)
    cleaned.pop("code", None)
    with transaction.atomic():
        carrier = Carrier.objects.select_for_update().filter(pk=carrier_id).first()
        if carrier is None:
            raise NotFound(_("No such carrier."))
        changed = {k: str(v) for k, v in cleaned.items() if getattr(carrier, k) != v}
        for name, value in cleaned.items():
            setattr(carrier, name, value)
        carrier.save()
        event_record(actor=actor, verb="carrier.changed", subject=carrier, data=changed)
    return carrier


def carrier_secret_regenerate(*, actor: Any, carrier_id: int) -> tuple[Carrier, str]:
    """A new tracking push secret, shown once; the old one stops working at once (S3.2)."""
    _require(actor, "shipping.change_carrier", _("You may not change carriers."))
    with transaction.atomic():
        carrier = Carrier.objects.select_for_update().filter(pk=carrier_id).first()
        if carrier is None:
            raise NotFound(_("No such carrier."))
        secret = secrets.token_urlsafe(32)
        carrier.webhook_secret = secret
        carrier.save(update_fields=["webhook_secret", "updated_at"])
        event_record(actor=actor, verb="carrier.secret_issued", subject=carrier)
    return carrier, secret


def _day(value: Any, field: str, fields: dict) -> date | None:
    day = value if isinstance(value, date) else parse_date(str(value or ""))
    if day is None:
        fields[field] = [_("Enter a date as YYYY-MM-DD.")]
    return day


def agreement_add(
    *,
    actor: Any,
    carrier_id: int,
    reference: str,
    valid_from: Any,
    valid_until: Any,
    document=None,
) -> CarrierAgreement:
    """File a transport agreement with its validity and, optionally, the signed copy (S2.2)."""
    _require(actor, "shipping.add_carrieragreement", _("You may not file carrier agreements."))
    fields: dict[str, list] = {}
    reference = (reference or "").strip()[:60]
    if not reference:
        fields["reference"] = [_("Give the agreement's reference.")]
    start, end = _day(valid_from, "valid_from", fields), _day(valid_until, "valid_until", fields)
    if start and end and end < start:
        fields["valid_until"] = [_("The end must not come before the start.")]
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the agreement."), fields)
    if document is not None:
        check_upload(document, allowed=(".pdf", ".png", ".jpg", ".jpeg"))
    with transaction.atomic():
        carrier = Carrier.objects.select_for_update().filter(pk=carrier_id).first()
        if carrier is None:
            raise NotFound(_("No such carrier."))
        agreement = CarrierAgreement.objects.create(
            carrier=carrier,
            reference=reference,
            valid_from=start,
            valid_until=end,
            **({"document": document} if document is not None else {}),
        )
        event_record(
            actor=actor,
            verb="carrier.agreement_added",
            subject=carrier,
            data={"reference": reference, "from": str(start), "until": str(end)},
        )
    return agreement


def preference_set(
    *, actor: Any, customer_id: int, carrier_id: int | None
) -> CarrierPreference | None:
    """The carrier a customer asks for, suggested first (S2.1); None removes the wish."""
    _require(actor, "shipping.change_carrierpreference", _("You may not set preferred carriers."))
    with transaction.atomic():
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise ValidationFailed(_("Choose a customer."), extra={"field": "customer"})
        if carrier_id is None:
            CarrierPreference.objects.filter(customer=customer).delete()
            event_record(actor=actor, verb="carrier.preference_cleared", subject=customer)
            return None
        carrier = Carrier.objects.filter(pk=carrier_id, is_active=True).first()
        if carrier is None:
            raise ValidationFailed(_("Choose an active carrier."), extra={"field": "carrier"})
        preference, _created = CarrierPreference.objects.update_or_create(
            customer=customer, defaults={"carrier": carrier}
        )
        event_record(
            actor=actor,
            verb="carrier.preference_set",
            subject=customer,
            data={"carrier": carrier.code},
        )
    return preference


def shipment_file_add(
    *, actor: Any, shipment_id: int, upload, kind: str, note: str = ""
) -> Attachment:
    """Attach a QC report, photo or other file to a shipment (S1.2)."""
    if not any(
        actor.has_perm(p)
        for p in ("shipping.add_shipment", "shipping.prepare_shipment", "shipping.book_shipment")
    ):
        raise PermissionDenied(_("You may not add files to shipments."))
    if kind not in FILE_KINDS:
        raise ValidationFailed(_("Choose what kind of file it is."), extra={"field": "kind"})
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        return attachment_add(actor=actor, subject=shipment, upload=upload, kind=kind, note=note)
