"""Draft a contract from its template and an order, and keep every text change (K1.1, K3.1)."""

import difflib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.contracts.models import Contract, ContractStatus, ContractType, ContractVersion
from salesdesk.contracts.policies import can_draft, visible_to
from salesdesk.core import numbering, policies
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.money import amount_in_words, format_money
from salesdesk.customers.models import Customer
from salesdesk.customers.policies import visible_to as customers_visible_to
from salesdesk.orders.models import Order
from salesdesk.orders.policies import visible_to as orders_visible_to
from salesdesk.orders.rules import payment_term_label

CONTRACT_DOCUMENT = numbering.register_document_type("contract", "CT", _("Contract"))
# Templates are edited by admins: a plain engine with autoescape, no custom tags or loaders.
TEMPLATE_ENGINE = Engine(autoescape=True)


def render_template(contract_type: ContractType, context: dict) -> str:
    try:
        template = TEMPLATE_ENGINE.from_string(contract_type.template)
    except Exception as exc:  # a broken admin template must not crash drafting
        raise ValidationFailed(
            _("The contract template has an error: %(error)s") % {"error": exc},
            extra={"field": "template"},
        ) from None
    return template.render(Context(context))


def template_context(
    customer: Customer,
    orders: list[Order],
    *,
    amount: Decimal,
    payment_terms: str,
    start_date,
    end_date,
) -> dict:
    """What a template can use: parties, goods, prices, delivery, payment and amounts."""
    lines = [
        line
        for order in orders
        for line in order.lines.filter(is_cancelled=False).select_related("product")
    ]
    delivery = [o.expected_delivery_date or o.requested_delivery_date for o in orders]
    return {
        "company": {"name": getattr(settings, "COMPANY_NAME", "salesdesk")},
        "customer": customer,
        "orders": orders,
        "lines": lines,
        "amount": format_money(amount, ""),
        "amount_in_words": amount_in_words(amount, "hant"),
        "amount_in_words_hans": amount_in_words(amount, "hans"),
        "payment_terms": payment_term_label(payment_terms) if payment_terms else "",
        "delivery_date": max(delivery) if delivery else None,
        "start_date": start_date,
        "end_date": end_date,
    }


def _date(data: dict, field: str, errors: dict):
    value = data.get(field)
    if value in (None, ""):
        return None
    parsed = value if hasattr(value, "year") else parse_date(str(value))
    if parsed is None:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
    return parsed


def clean_terms(data: dict) -> dict:
    errors: dict[str, list] = {}
    # Only the fields given are cleaned: an edit that leaves out a date keeps it.
    cleaned = {
        field: _date(data, field, errors) for field in ("start_date", "end_date") if field in data
    }
    if (
        cleaned.get("start_date")
        and cleaned.get("end_date")
        and cleaned["end_date"] < cleaned["start_date"]
    ):
        errors["end_date"] = [_("The end date must not be before the start date.")]
    if "amount" in data:
        try:
            cleaned["amount"] = Decimal(str(data["amount"]).replace(",", ""))
            if cleaned["amount"] < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors["amount"] = [_("Enter an amount of zero or more.")]
    for field, length in (("title", 200), ("payment_terms", 30)):
        if field in data:
            cleaned[field] = str(data[field] or "").strip()[:length]
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = [_("This field is required.")]
    if "body" in data:
        cleaned["body"] = str(data["body"] or "")
        if not cleaned["body"].strip():
            errors["body"] = [_("The contract needs a text.")]
    if errors:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), errors)
    return cleaned


def _version(contract: Contract, actor: Any, previous: str = "") -> ContractVersion:
    diff = (
        "\n".join(
            difflib.unified_diff(
                previous.splitlines(), contract.body.splitlines(), "before", "after", lineterm=""
            )
        )
        if previous
        else ""
    )
    return ContractVersion.objects.create(
        contract=contract,
        number=contract.version,
        body=contract.body,
        amount=contract.amount,
        diff=diff,
        author=actor,
    )


def contract_draft(
    *,
    actor: Any,
    contract_type_id: int,
    customer_id: int,
    order_ids: list[int] | None = None,
    data: dict | None = None,
    parent_id: int | None = None,
) -> Contract:
    """Draft from a template, prefilled from the customer and orders, or from a parent
    contract as a supplementary agreement (K1.1, K3.1)."""
    if not actor.has_perm("contracts.draft_contract"):
        raise PermissionDenied(_("You may not draft contracts."))
    data = data or {}
    contract_type = ContractType.objects.filter(pk=contract_type_id, is_active=True).first()
    customer = Customer.objects.filter(customers_visible_to(actor), pk=customer_id).first()
    if contract_type is None or customer is None:
        raise NotFound(_("No such contract type or customer."))
    orders = list(
        Order.objects.filter(orders_visible_to(actor), pk__in=order_ids or [], customer=customer)
    )
    if len(orders) != len(set(order_ids or [])):
        raise ValidationFailed(
            _("Every linked order must be this customer's and visible to you."),
            extra={"field": "orders"},
        )
    parent = None
    if parent_id is not None:
        parent = Contract.objects.filter(visible_to(actor), pk=parent_id, customer=customer).first()
        if parent is None or parent.status != ContractStatus.ACTIVE:
            raise Conflict(
                _("A supplementary agreement amends an active contract of the same customer."),
                code="parent_not_active",
            )
    terms = clean_terms({**data, "title": data.get("title") or contract_type.name})
    amount = terms.get("amount", sum((o.gross_amount for o in orders), Decimal(0)))
    payment_terms = terms.get("payment_terms") or (orders[0].payment_terms if orders else "")
    with transaction.atomic():
        contract = Contract(
            number=numbering.next_number("contract"),
            contract_type=contract_type,
            customer=customer,
            parent=parent,
            title=terms["title"],
            amount=amount,
            payment_terms=payment_terms,
            start_date=terms.get("start_date"),
            end_date=terms.get("end_date"),
            drafter=actor,
        )
        # A contract is written in the company's contract language, whatever the drafter's
        # screen language is (policy contracts.language).
        with translation.override(policies.value("contracts.language")):
            contract.body = terms.get("body") or render_template(
                contract_type,
                template_context(
                    customer,
                    orders,
                    amount=amount,
                    payment_terms=payment_terms,
                    start_date=contract.start_date,
                    end_date=contract.end_date,
                ),
            )
        contract.save()
        contract.orders.set(orders)
        _version(contract, actor)
        event_record(
            actor=actor,
            verb="contract.drafted",
            subject=contract,
            to_state=contract.status,
            data={
                "orders": [o.number for o in orders],
                "parent": parent.number if parent else None,
            },
        )
    return contract


def contract_for_drafting(actor: Any, contract_id: int) -> Contract:
    contract = (
        Contract.objects.select_for_update().filter(visible_to(actor), pk=contract_id).first()
    )
    if contract is None:
        raise NotFound(_("No such contract."))
    if not can_draft(actor, contract):
        raise PermissionDenied(_("You may not change this contract."))
    return contract


def contract_update(*, actor: Any, contract_id: int, data: dict) -> Contract:
    """Edit while drafting; a change of text or amount is a new version with its diff."""
    cleaned = clean_terms(data)
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        if contract.status != ContractStatus.DRAFTING:
            raise Conflict(_("Only a draft can be edited."), code="not_drafting")
        previous = contract.body
        text_changed = cleaned.get("body", previous) != previous or (
            "amount" in cleaned and cleaned["amount"] != contract.amount
        )
        for name, value in cleaned.items():
            setattr(contract, name, value)
        if text_changed:
            contract.version += 1
        contract.save()
        if text_changed:
            _version(contract, actor, previous)
        event_record(
            actor=actor,
            verb="contract.edited",
            subject=contract,
            data={"fields": sorted(cleaned), "version": contract.version},
        )
    return contract
