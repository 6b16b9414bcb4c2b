"""Create, edit, verify and move customers through their stages (C1.1–C2.2)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.selectors import team_member_ids
from salesdesk.audit.services import event_record
from salesdesk.core import numbering
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied
from salesdesk.core.workflow import apply_transition
from salesdesk.customers import completeness, duplicates
from salesdesk.customers.inputs import clean_contact, clean_customer
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.policies import can_edit, visible_to
from salesdesk.customers.workflow import STAGES

CUSTOMER_DOCUMENT = numbering.register_document_type("customer", "CU", _("Customer"))


@dataclass
class Saved:
    customer: Customer
    warnings: list[dict] = field(default_factory=list)


def _require_acknowledged(warnings: list[dict], acknowledged: bool) -> None:
    if warnings and not acknowledged:
        raise Conflict(
            _("Possible duplicate customers found. Check them, then confirm to save anyway."),
            code="possible_duplicate",
            extra={"duplicates": warnings},
        )


def _check_owner_change(actor: Any, owner: Any, current_owner_id: int | None) -> None:
    if owner is None or owner.pk == current_owner_id:
        return
    if current_owner_id is None and owner.pk == actor.pk:
        return
    if actor.has_perm("customers.transfer_customer"):
        return
    if not actor.has_perm("customers.view_team_customers") or owner.pk not in team_member_ids(
        actor
    ):
        raise PermissionDenied(
            _("You may not give a customer to another owner."), extra={"field": "owner"}
        )


def _apply(customer: Customer, cleaned: dict) -> None:
    for name, value in cleaned.items():
        setattr(customer, name, value)
    customer.name_folded, customer.core_name_folded = duplicates.name_search_keys(
        customer.legal_name, customer.short_name
    )


def refresh_completeness(customer: Customer) -> int:
    score, _missing = completeness.evaluate(customer)
    if score != customer.completeness:
        Customer.objects.filter(pk=customer.pk).update(completeness=score)
        customer.completeness = score
    return score


def customer_create(
    *,
    actor: Any,
    data: dict,
    contacts: list[dict] | None = None,
    acknowledge_warnings: bool = False,
) -> Saved:
    """Record a new prospect or customer with its contacts (C1.1–C1.4)."""
    if not actor.has_perm("customers.add_customer"):
        raise PermissionDenied(_("You may not create customers."))
    cleaned = clean_customer(data, actor=actor)
    cleaned_contacts = [clean_contact(c) for c in contacts or []]
    _check_owner_change(actor, cleaned["owner"], None)
    with transaction.atomic():
        duplicates.refuse_same_tax_id(cleaned["tax_id"])
        warnings = duplicates.warnings_for(cleaned, cleaned_contacts)
        _require_acknowledged(warnings, acknowledge_warnings)
        customer = Customer(created_by=actor, code=numbering.next_number("customer"))
        _apply(customer, cleaned)
        customer.last_verified_at = timezone.now()
        customer.save()
        for values in cleaned_contacts:
            Contact.objects.create(customer=customer, **values)
        refresh_completeness(customer)
        event_record(
            actor=actor,
            verb="customer.created",
            subject=customer,
            to_state=customer.stage,
            data={"contacts": len(cleaned_contacts), "warnings": len(warnings)},
        )
    return Saved(customer, warnings)


def customer_get_for_edit(*, actor: Any, customer_id: int, lock: bool = True) -> Customer:
    customers = Customer.objects.filter(visible_to(actor))
    if lock:
        customers = customers.select_for_update()
    customer = customers.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    if not can_edit(actor, customer):
        raise PermissionDenied(_("You may not change this customer."))
    return customer


AUDITED_FIELDS = (
    "kind",
    "legal_name",
    "short_name",
    "tax_id",
    "country",
    "province",
    "city",
    "district",
    "street",
    "industry",
    "potential",
    "annual_capacity",
    "intention_level",
    "source",
)


def customer_update(
    *, actor: Any, customer_id: int, data: dict, acknowledge_warnings: bool = False
) -> Saved:
    """Change a customer's fields; the event keeps a before/after of each changed field."""
    with transaction.atomic():
        customer = customer_get_for_edit(actor=actor, customer_id=customer_id)
        cleaned = clean_customer(data, actor=actor, instance=customer)
        _check_owner_change(actor, cleaned["owner"], customer.owner_id)
        duplicates.refuse_same_tax_id(cleaned["tax_id"], exclude_pk=customer.pk)
        warnings = []
        if {"legal_name", "short_name"} & set(data):
            warnings = duplicates.similar_name_matches(
                cleaned["legal_name"], cleaned["short_name"], customer.pk
            )
        _require_acknowledged(warnings, acknowledge_warnings)
        before = {f: getattr(customer, f) for f in (*AUDITED_FIELDS, "owner_id")}
        _apply(customer, cleaned)
        changes = {
            f: [str(before[f]), str(getattr(customer, f))]
            for f in before
            if before[f] != getattr(customer, f)
        }
        if not changes and not cleaned.get("tax_id_override_reason"):
            return Saved(customer, warnings)
        customer.save()
        refresh_completeness(customer)
        verb = "customer.transferred" if set(changes) == {"owner_id"} else "customer.updated"
        event_record(actor=actor, verb=verb, subject=customer, data={"changes": changes})
    return Saved(customer, warnings)


def customer_transition(*, actor: Any, customer_id: int, action: str, note: str = "") -> Customer:
    """Move a customer to another cooperation stage (C2.1); one event per change."""
    customer = Customer.objects.filter(visible_to(actor), pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    return apply_transition(
        customer, action.replace("-", "_"), workflow=STAGES, actor=actor, note=note
    )


def customer_verify(*, actor: Any, customer_id: int, note: str = "") -> Customer:
    """Confirm the record is still accurate (C2.2): resets its verification clock."""
    with transaction.atomic():
        customer = customer_get_for_edit(actor=actor, customer_id=customer_id)
        customer.last_verified_at = timezone.now()
        customer.save(update_fields=["last_verified_at", "updated_at"])
        event_record(actor=actor, verb="customer.verified", subject=customer, note=note)
    return customer


CREDIT_FIELDS = ("grade", "credit_limit", "default_payment_terms", "is_blocked", "blocked_reason")


def customer_credit_set(*, actor: Any, customer_id: int, data: dict, note: str = "") -> Customer:
    """Finance sets a customer's grade, credit limit, default terms or block (O2.1, O2.2)."""
    from salesdesk.customers.inputs import clean_credit

    if not actor.has_perm("customers.change_credit"):
        raise PermissionDenied(_("You may not change credit settings."))
    with transaction.atomic():
        customer = (
            Customer.objects.select_for_update().filter(visible_to(actor), pk=customer_id).first()
        )
        if customer is None:
            raise NotFound(_("No such customer."))
        cleaned = clean_credit(data, instance=customer)
        changes = {
            f: [str(getattr(customer, f)), str(v)]
            for f, v in cleaned.items()
            if getattr(customer, f) != v
        }
        if not changes:
            return customer
        for name, value in cleaned.items():
            setattr(customer, name, value)
        customer.save(update_fields=[*cleaned, "updated_at"])
        event_record(
            actor=actor,
            verb="customer.credit_changed",
            subject=customer,
            note=note,
            data={"changes": changes},
        )
    return customer
