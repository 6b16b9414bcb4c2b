"""Duplicate detection on create and edit (C1.4).

The same tax ID is refused. The same phone or e-mail (matched through the keyed hash) or a
similar name (Traditional/Simplified folded, company-form suffixes ignored) is a warning the
user must acknowledge; it names the other customer's number and owner, not its details.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.core.crypto import keyed_hash, normalize_email, normalize_phone
from salesdesk.core.errors import Conflict
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.validators import core_name, fold


def _describe(customer: Customer, reason: Any) -> dict:
    return {
        "customer_id": customer.pk,
        "code": customer.code,
        "name": str(customer),
        "owner": str(customer.owner),
        "reason": str(reason),
    }


def refuse_same_tax_id(tax_id: str, exclude_pk: int | None = None) -> None:
    if not tax_id:
        return
    other = Customer.objects.filter(tax_id=tax_id).exclude(pk=exclude_pk).first()
    if other is not None:
        raise Conflict(
            _("Customer %(code)s already has tax ID %(tax_id)s.")
            % {"code": other.code, "tax_id": tax_id},
            code="duplicate_tax_id",
            extra={"field": "tax_id", "duplicate": _describe(other, _("same tax ID"))},
        )


def similar_name_matches(legal_name: str, short_name: str, exclude_pk: int | None) -> list[dict]:
    names = {core_name(n) for n in (legal_name, short_name) if n and core_name(n)}
    if not names:
        return []
    matches = (
        Customer.objects.filter(Q(core_name_folded__in=names) | Q(name_folded__in=names))
        .exclude(pk=exclude_pk)
        .select_related("owner")[:10]
    )
    return [_describe(c, _("similar name")) for c in matches]


def contact_matches(contacts: list[dict], exclude_pk: int | None) -> list[dict]:
    phones = {keyed_hash(c.get(f), normalize_phone) for c in contacts for f in ("mobile", "phone")}
    emails = {keyed_hash(c.get("email"), normalize_email) for c in contacts}
    phones.discard("")
    emails.discard("")
    if not phones and not emails:
        return []
    found = (
        Contact.objects.filter(
            Q(mobile_hash__in=phones) | Q(phone_hash__in=phones) | Q(email_hash__in=emails),
            erased_at__isnull=True,
        )
        .exclude(customer_id=exclude_pk)
        .select_related("customer__owner")[:10]
    )
    results, seen = [], set()
    for contact in found:
        if contact.customer_id not in seen:
            seen.add(contact.customer_id)
            results.append(_describe(contact.customer, _("same phone or e-mail")))
    return results


def warnings_for(cleaned: dict, contacts: list[dict], exclude_pk: int | None = None) -> list[dict]:
    warnings = similar_name_matches(cleaned["legal_name"], cleaned["short_name"], exclude_pk)
    seen = {w["customer_id"] for w in warnings}
    for match in contact_matches(contacts, exclude_pk):
        if match["customer_id"] not in seen:
            warnings.append(match)
    return warnings


def name_search_keys(legal_name: str, short_name: str) -> tuple[str, str]:
    return fold(legal_name), core_name(legal_name)
