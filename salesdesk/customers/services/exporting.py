"""Export of a customer list, identical to the screen (U11), with its audit trail (C3.3, C3.4).

The same function serves the list page, the API and the outside-party export, so the
permission rules, the columns and the logging cannot drift apart:

- a masked export needs `customers.export_customer` and writes one `customer.exported` event;
- a full-detail export also needs `customers.reveal_contact` and a purpose, and writes one
  AccessLog row per exported contact (every row is already limited to customers the user may
  see, so the permission is the whole reveal rule; a per-row `contact_reveal` would cost four
  queries a row on long lists);
- an export for an outside party needs a valid NDA (`sharing_valid_agreement`), is always
  masked, and is logged as `customer.shared` on the agreement with the purpose.
"""

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import access_record, event_record
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.customers import rules
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.selectors import masked_contact
from salesdesk.customers.services.privacy import REVEALABLE

EXPORT_HEADERS = (
    _("Number"),
    _("Legal name"),
    _("Short name"),
    _("Kind"),
    _("Stage"),
    _("Purchase potential"),
    _("Industry"),
    _("Province/region"),
    _("City"),
    _("Source"),
    _("Owner"),
    _("Completeness %"),
    _("Last verified"),
    _("Created"),
    _("Contact"),
    _("Mobile"),
    _("Office phone"),
    _("E-mail"),
)


def with_current_contacts(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    current = Contact.objects.filter(is_active=True, erased_at__isnull=True)
    return customers.prefetch_related(
        Prefetch("contacts", queryset=current, to_attr="current_contacts")
    )


def primary_contact(customer: Customer) -> Contact | None:
    """The first active person (primary ones sort first)."""
    contacts = getattr(customer, "current_contacts", None)
    return contacts[0] if contacts else None


def export_row(customer: Customer, contact: Contact | None, reveal: bool) -> list[Any]:
    if contact is None:
        person = ["", "", "", ""]
    elif reveal:
        person = [contact.name, contact.mobile, contact.phone, contact.email]
    else:
        masked = masked_contact(contact)
        person = [masked["name"], masked["mobile"], masked["phone"], masked["email"]]
    return [
        customer.code,
        customer.legal_name,
        customer.short_name,
        customer.get_kind_display(),
        customer.get_stage_display(),
        customer.get_potential_display(),
        customer.industry,
        customer.province,
        customer.city,
        rules.source_label(customer.source),
        str(customer.owner),
        customer.completeness,
        customer.last_verified_at,
        customer.created_at,
        *person,
    ]


def _masked_rows(customers: QuerySet[Customer]) -> Iterator[list[Any]]:
    for customer in with_current_contacts(customers).iterator(chunk_size=500):
        yield export_row(customer, primary_contact(customer), reveal=False)


def customers_export(
    *,
    actor: Any,
    customers: QuerySet[Customer],
    filters: dict,
    fmt: str,
    purpose: str = "",
    reveal: bool = False,
    outside: bool = False,
    agreement_id: int | None = None,
) -> Iterator[list[Any]] | list[list[Any]]:
    """Check, log and return the rows of an export of `customers` (already scoped to actor)."""
    from salesdesk.customers.services.privacy import sharing_valid_agreement

    purpose = (purpose or "").strip()[:200]
    agreement = None
    if outside:
        agreement = sharing_valid_agreement(actor=actor, agreement_id=agreement_id)
        reveal = False
    elif not actor.has_perm("customers.export_customer"):
        raise PermissionDenied(_("You may not export customers."))
    if reveal and not actor.has_perm("customers.reveal_contact"):
        raise PermissionDenied(_("You may not reveal personal data."))
    if (reveal or agreement) and not purpose:
        raise ValidationFailed(_("Say why the data is exported."), extra={"field": "purpose"})
    data = {"count": 0, "filters": filters, "revealed": reveal, "format": fmt, "purpose": purpose}
    if not reveal:
        data["count"] = customers.count()
        rows: Iterator[list[Any]] | list[list[Any]] = _masked_rows(customers)
    else:
        rows = []
        with transaction.atomic():
            for customer in with_current_contacts(customers).iterator(chunk_size=500):
                contact = primary_contact(customer)
                rows.append(export_row(customer, contact, reveal=True))
                if contact is not None:
                    access_record(
                        actor=actor, subject=contact, fields=list(REVEALABLE), purpose=purpose
                    )
        data["count"] = len(rows)
    if agreement is not None:
        data["recipient"] = agreement.recipient
        event_record(
            actor=actor, verb="customer.shared", subject=agreement, note=purpose, data=data
        )
    else:
        event_record(actor=actor, verb="customer.exported", subject=actor, note=purpose, data=data)
    return rows
