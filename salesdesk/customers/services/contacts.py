"""Contacts, ship-to addresses and invoicing details of a customer (C1.2, C1.3)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core.errors import NotFound
from salesdesk.customers.inputs import Errors, _choice, _text, clean_contact
from salesdesk.customers.models import Contact, Country, InvoicingDetails, ShipToAddress
from salesdesk.customers.services.customers import customer_get_for_edit, refresh_completeness
from salesdesk.customers.validators import check_tax_id, parse_phone


def _contact_for_edit(actor: Any, contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id, erased_at__isnull=True).first()
    if contact is None:
        raise NotFound(_("No such contact."))
    customer_get_for_edit(actor=actor, customer_id=contact.customer_id)
    return contact


def contact_add(*, actor: Any, customer_id: int, data: dict) -> Contact:
    """Add a person to a customer; their personal data is encrypted at rest (C3.2)."""
    with transaction.atomic():
        customer = customer_get_for_edit(actor=actor, customer_id=customer_id)
        contact = Contact.objects.create(customer=customer, **clean_contact(data))
        refresh_completeness(customer)
        event_record(
            actor=actor, verb="contact.added", subject=customer, data={"contact_id": contact.pk}
        )
    return contact


def contact_update(*, actor: Any, contact_id: int, data: dict) -> Contact:
    with transaction.atomic():
        contact = _contact_for_edit(actor, contact_id)
        cleaned = clean_contact(data, instance=contact)
        changed = sorted(f for f, v in cleaned.items() if getattr(contact, f) != v)
        for name, value in cleaned.items():
            setattr(contact, name, value)
        contact.save()
        refresh_completeness(contact.customer)
        # Field names only: personal values never go into the event log.
        event_record(
            actor=actor,
            verb="contact.updated",
            subject=contact.customer,
            data={"contact_id": contact.pk, "fields": changed},
        )
    return contact


def contact_deactivate(*, actor: Any, contact_id: int, note: str = "") -> Contact:
    """A person who left the customer: kept for history, no longer offered."""
    with transaction.atomic():
        contact = _contact_for_edit(actor, contact_id)
        contact.is_active = False
        contact.save(update_fields=["is_active", "updated_at"])
        refresh_completeness(contact.customer)
        event_record(
            actor=actor,
            verb="contact.deactivated",
            subject=contact.customer,
            note=note,
            data={"contact_id": contact.pk},
        )
    return contact


def _clean_address(data: dict) -> dict:
    errors = Errors()
    cleaned = {
        "label": _text(data, "label", errors, max_length=60, required=True),
        "recipient": _text(data, "recipient", errors, max_length=100),
        "country": _choice(data, "country", Country.choices, errors, Country.CN),
        "province": _text(data, "province", errors, max_length=40),
        "city": _text(data, "city", errors, max_length=40),
        "district": _text(data, "district", errors, max_length=40),
        "street": _text(data, "street", errors, max_length=200, required=True),
        "postal_code": _text(data, "postal_code", errors, max_length=12),
        "is_default": str(data.get("is_default", "")).lower() in {"1", "true", "on", "yes"},
    }
    phone = _text(data, "recipient_phone", errors, max_length=40)
    parsed = parse_phone(phone) if phone else ""
    if phone and parsed is None:
        errors.add("recipient_phone", _("Not a valid phone number."))
    cleaned["recipient_phone"] = parsed or ""
    errors.raise_if_any()
    return cleaned


def address_add(*, actor: Any, customer_id: int, data: dict) -> ShipToAddress:
    with transaction.atomic():
        customer = customer_get_for_edit(actor=actor, customer_id=customer_id)
        cleaned = _clean_address(data)
        if cleaned["is_default"] or not customer.addresses.filter(is_active=True).exists():
            customer.addresses.update(is_default=False)
            cleaned["is_default"] = True
        address = ShipToAddress.objects.create(customer=customer, **cleaned)
        refresh_completeness(customer)
        event_record(
            actor=actor,
            verb="address.added",
            subject=customer,
            data={"address_id": address.pk, "label": address.label},
        )
    return address


def address_update(*, actor: Any, address_id: int, data: dict) -> ShipToAddress:
    with transaction.atomic():
        address = ShipToAddress.objects.filter(pk=address_id).first()
        if address is None:
            raise NotFound(_("No such address."))
        customer = customer_get_for_edit(actor=actor, customer_id=address.customer_id)
        current = {
            f: getattr(address, f)
            for f in (
                "label",
                "recipient",
                "recipient_phone",
                "country",
                "province",
                "city",
                "district",
                "street",
                "postal_code",
                "is_default",
            )
        }
        cleaned = _clean_address({**current, **data})
        if "is_active" in data:
            address.is_active = str(data["is_active"]).lower() in {"1", "true", "on", "yes"}
        if cleaned["is_default"]:
            customer.addresses.exclude(pk=address.pk).update(is_default=False)
        for name, value in cleaned.items():
            setattr(address, name, value)
        address.save()
        refresh_completeness(customer)
        event_record(
            actor=actor, verb="address.updated", subject=customer, data={"address_id": address.pk}
        )
    return address


def invoicing_set(*, actor: Any, customer_id: int, data: dict) -> InvoicingDetails:
    """Create or replace the customer's invoicing details (開票信息)."""
    errors = Errors()
    cleaned = {
        "invoice_title": _text(data, "invoice_title", errors, max_length=200, required=True),
        "registered_address": _text(data, "registered_address", errors, max_length=200),
        "registered_phone": _text(data, "registered_phone", errors, max_length=40),
        "bank_name": _text(data, "bank_name", errors, max_length=100),
        "bank_account": _text(data, "bank_account", errors, max_length=40).replace(" ", ""),
        "tax_id": _text(data, "tax_id", errors, max_length=30).upper().replace(" ", ""),
    }
    if cleaned["tax_id"] and not check_tax_id(cleaned["tax_id"]).well_formed:
        errors.add("tax_id", _("Not a valid tax ID."))
    if cleaned["bank_account"] and not cleaned["bank_account"].replace("-", "").isdigit():
        errors.add("bank_account", _("A bank account has digits only."))
    errors.raise_if_any()
    with transaction.atomic():
        customer = customer_get_for_edit(actor=actor, customer_id=customer_id)
        details, created = InvoicingDetails.objects.update_or_create(
            customer=customer, defaults=cleaned
        )
        refresh_completeness(customer)
        event_record(
            actor=actor, verb="invoicing.updated", subject=customer, data={"created": created}
        )
    return details
