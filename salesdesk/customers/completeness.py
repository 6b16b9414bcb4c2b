"""How complete a customer record is, and what is missing (C1.4)."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.customers.models import CustomerKind, InvoicingDetails


@dataclass(frozen=True)
class Check:
    key: str
    label: Any
    weight: int
    kinds: tuple[str, ...] = (CustomerKind.ENTERPRISE, CustomerKind.INDIVIDUAL)


CHECKS = (
    Check("legal_name", _("legal name"), 10),
    Check("short_name", _("short name"), 5),
    Check("tax_id", _("tax ID"), 10, (CustomerKind.ENTERPRISE,)),
    Check("address", _("address (province, city, street)"), 10),
    Check("industry", _("industry"), 5, (CustomerKind.ENTERPRISE,)),
    Check("business_scope", _("business scope"), 5, (CustomerKind.ENTERPRISE,)),
    Check("potential", _("purchase potential"), 5),
    Check("annual_capacity", _("annual purchasing capacity"), 5),
    Check("intention", _("purchase intention"), 5),
    Check("contact", _("a contact with a phone or e-mail"), 15),
    Check("decision_maker", _("a decision maker"), 10, (CustomerKind.ENTERPRISE,)),
    Check("ship_to", _("a ship-to address"), 5),
    Check("invoicing", _("invoicing details"), 10, (CustomerKind.ENTERPRISE,)),
)


def _present(customer, key: str, contacts: list, has_address: bool, has_invoicing: bool) -> bool:
    if key == "address":
        return bool(customer.province and customer.city and customer.street)
    if key == "potential":
        return customer.potential != "unknown"
    if key == "annual_capacity":
        return customer.annual_capacity is not None
    if key == "intention":
        return customer.intention_level != "none" or bool(customer.intention_note)
    if key == "contact":
        return any(c.mobile or c.phone or c.email for c in contacts)
    if key == "decision_maker":
        return any(c.is_decision_maker for c in contacts)
    if key == "ship_to":
        return has_address
    if key == "invoicing":
        return has_invoicing
    return bool(getattr(customer, key))


def evaluate(customer) -> tuple[int, list[Any]]:
    """(score 0–100, labels of what is missing) for a saved customer."""
    contacts = list(customer.contacts.filter(is_active=True, erased_at__isnull=True))
    has_address = customer.addresses.filter(is_active=True).exists()
    has_invoicing = InvoicingDetails.objects.filter(customer=customer).exists()
    checks = [c for c in CHECKS if customer.kind in c.kinds]
    total = sum(c.weight for c in checks)
    missing = [
        c for c in checks if not _present(customer, c.key, contacts, has_address, has_invoicing)
    ]
    score = round(100 * (total - sum(c.weight for c in missing)) / total)
    return score, [c.label for c in missing]
