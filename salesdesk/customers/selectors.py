"""Reads of customers, always scoped to what the viewer may see (C2.1, C3.3, U8)."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.core.crypto import (
    keyed_hash,
    mask_email,
    mask_name,
    mask_phone,
    normalize_email,
    normalize_phone,
)
from salesdesk.core.errors import NotFound
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.policies import visible_to
from salesdesk.customers.validators import check_tax_id, fold

FILTERS = (
    "kind",
    "industry",
    "potential",
    "stage",
    "source",
    "owner",
    "country",
    "province",
    "city",
)
SORTS = {
    "created": "created_at",
    "name": "name_folded",
    "code": "code",
    "stage": "stage",
    "completeness": "completeness",
    "verified": "last_verified_at",
}


@dataclass(frozen=True)
class CustomerFilters:
    q: str = ""
    kind: str = ""
    industry: str = ""
    potential: str = ""
    stage: str = ""
    source: str = ""
    owner: str = ""
    country: str = ""
    province: str = ""
    city: str = ""
    verify_due_before: date | None = None

    @classmethod
    def from_query(cls, params: Any) -> "CustomerFilters":
        values = {name: (params.get(name) or "").strip() for name in ("q", *FILTERS)}
        return cls(**values)

    def as_dict(self) -> dict:
        return {k: str(v) for k, v in self.__dict__.items() if v}


def _search(customers: QuerySet, q: str) -> QuerySet:
    """Name or short name (繁/简 alike), number, tax ID, exact phone, e-mail or contact name."""
    q = q.strip()
    if not q:
        return customers
    condition = Q(name_folded__contains=fold(q)) | Q(code__iexact=q)
    compact = q.upper().replace(" ", "")
    if check_tax_id(compact).well_formed:
        condition |= Q(tax_id=compact)
    hashes = {keyed_hash(q, "salesdesk.customers.validators.fold")}
    if "@" in q:
        hashes.add(keyed_hash(q, normalize_email))
    if re.fullmatch(r"[+\d\s()-]{6,}", q):
        hashes.add(keyed_hash(q, normalize_phone))
    contact_match = Contact.objects.filter(
        Q(name_hash__in=hashes)
        | Q(mobile_hash__in=hashes)
        | Q(phone_hash__in=hashes)
        | Q(email_hash__in=hashes),
        customer=OuterRef("pk"),
    )
    return customers.filter(condition | Q(Exists(contact_match)))


def customer_list(
    *, user: Any, filters: CustomerFilters | None = None, sort: str = "-created"
) -> QuerySet[Customer]:
    """The customers `user` may see, filtered, searched and sorted."""
    filters = filters or CustomerFilters()
    customers = Customer.objects.filter(visible_to(user)).select_related("owner")
    for name in FILTERS:
        value = getattr(filters, name)
        if value:
            key = "owner__username" if name == "owner" else name
            customers = customers.filter(**{key: value})
    if filters.verify_due_before:
        customers = customers.filter(
            Q(last_verified_at__date__lt=filters.verify_due_before)
            | Q(last_verified_at__isnull=True)
        )
    customers = _search(customers, filters.q)
    key = sort.lstrip("-")
    field = SORTS.get(key, "created_at")
    return customers.order_by(f"-{field}" if sort.startswith("-") else field, "-pk")


def customer_counts(*, user: Any, filters: CustomerFilters | None = None) -> dict[str, list]:
    """Counts per value of each classification, for the filter bar (C2.1)."""
    base = customer_list(user=user, filters=filters).order_by()
    result = {}
    for name in ("kind", "stage", "potential", "source", "industry", "province"):
        rows = base.values(name).annotate(n=Count("pk")).order_by("-n")[:30]
        result[name] = [(row[name], row["n"]) for row in rows]
    rows = (
        base.values("owner__username", "owner__first_name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:50]
    )
    result["owner"] = [(r["owner__username"], r["n"]) for r in rows]
    return result


def customer_get(*, user: Any, customer_id: int) -> Customer:
    customer = (
        Customer.objects.filter(visible_to(user), pk=customer_id)
        .select_related("owner", "created_by")
        .first()
    )
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


def masked_contact(contact: Contact) -> dict[str, Any]:
    """What lists and details show without a reveal (C3.3)."""
    return {
        "id": contact.pk,
        "name": mask_name(contact.name) if contact.erased_at is None else str(_("[erased]")),
        "title": contact.title,
        "mobile": mask_phone(contact.mobile),
        "phone": mask_phone(contact.phone),
        "email": mask_email(contact.email),
        "is_decision_maker": contact.is_decision_maker,
        "is_influencer": contact.is_influencer,
        "is_primary": contact.is_primary,
        "is_active": contact.is_active,
        "legal_basis": contact.legal_basis,
        "erased": contact.erased_at is not None,
    }


def contact_list(*, user: Any, customer: Customer) -> list[dict[str, Any]]:
    customer_get(user=user, customer_id=customer.pk)
    return [masked_contact(c) for c in customer.contacts.all()]
