"""Writes of the risk register and the credit scores (R1.1, R1.2, R2.2).

Every write checks its permission here, locks what it changes, writes one event and
refuses bad input with ValidationFailed naming the field; a refusal changes nothing.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.audit.services import event_record
from salesdesk.core import numbering, policies
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition, check_transition
from salesdesk.risk import matrix as level_matrix
from salesdesk.risk.models import (
    ContingencyActivation,
    CreditScore,
    Risk,
    RiskCategory,
    RiskStatus,
)
from salesdesk.risk.policies import can_edit, visible_to
from salesdesk.risk.scoring import inputs_for, level_of_score, penalties, score_of
from salesdesk.risk.workflow import RISK

RISK_DOCUMENT = numbering.register_document_type("risk", "RSK", gettext_lazy("Risk"))
TEXT_FIELDS = {"title": 200, "description": 5000, "response_plan": 5000, "contingency_plan": 5000}
LINKS = ("customer", "order", "contract", "shipment")
EDITABLE = (*TEXT_FIELDS, "category", "owner", *LINKS)


def _fail(fields: dict[str, list]) -> ValidationFailed:
    return ValidationFailed.from_fields(_("Please correct the marked fields."), fields)


def _linked(actor: Any, name: str, raw: Any, fields: dict) -> Any:
    """The record `raw` names if `actor` may see it; else a field error."""
    if raw in (None, ""):
        return None
    from salesdesk.contracts.models import Contract
    from salesdesk.contracts.policies import visible_to as contracts_visible
    from salesdesk.customers.models import Customer
    from salesdesk.customers.policies import visible_to as customers_visible
    from salesdesk.orders.models import Order
    from salesdesk.orders.policies import visible_to as orders_visible
    from salesdesk.shipping.models import Shipment
    from salesdesk.shipping.policies import visible_to as shipments_visible

    model, visible = {
        "customer": (Customer, customers_visible),
        "order": (Order, orders_visible),
        "contract": (Contract, contracts_visible),
        "shipment": (Shipment, shipments_visible),
    }[name]
    pk = getattr(raw, "pk", raw)
    found = model.objects.filter(visible(actor), pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        fields[name] = [_("No such record, or you may not see it.")]
    return found


def _customer_of(record: Any) -> Any:
    if record is None:
        return None
    if hasattr(record, "customer"):
        return record.customer
    return record.order.customer  # a shipment


def _clean(actor: Any, data: dict, current: Risk | None) -> dict[str, Any]:
    """Validated values for the fields present in `data` (all of them on create)."""
    fields: dict[str, list] = {}
    clean: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data or current is None:
            value = str(data.get(name) or "").strip()
            if len(value) > limit:
                fields[name] = [_("At most %(n)s characters.") % {"n": limit}]
            clean[name] = value
    if "title" in clean and not clean["title"]:
        fields["title"] = [_("Give the risk a title.")]
    if "category" in data or current is None:
        clean["category"] = data.get("category") or ""
        if clean["category"] not in RiskCategory.values:
            fields["category"] = [_("Choose a category.")]
    if "owner" in data or current is None:
        default = current.owner_id if current is not None else actor.pk
        owner_id = getattr(data.get("owner"), "pk", data.get("owner")) or default
        owner = get_user_model().objects.filter(pk=owner_id, is_active=True).first()
        if owner is None or not owner.has_perm("risk.change_risk"):
            fields["owner"] = [_("Choose an active user who may work on risks.")]
        clean["owner"] = owner
    for name in LINKS:
        if name in data or current is None:
            clean[name] = _linked(actor, name, data.get(name), fields)
    if not fields:
        _fill_customer(clean, current, fields)
    if fields:
        raise _fail(fields)
    return clean


def _fill_customer(clean: dict, current: Risk | None, fields: dict) -> None:
    """A risk on an order, contract or shipment belongs to that record's customer too."""
    links = {name: clean[name] if name in clean else getattr(current, name) for name in LINKS}
    owners = {c.pk: c for c in map(_customer_of, [links[n] for n in LINKS[1:]]) if c}
    if len(owners) > 1:
        fields["customer"] = [_("The linked records belong to different customers.")]
    elif owners:
        customer = next(iter(owners.values()))
        if links["customer"] is not None and links["customer"].pk != customer.pk:
            fields["customer"] = [_("The linked record belongs to another customer.")]
        clean["customer"] = customer


def risk_create(*, actor: Any, data: dict) -> Risk:
    """Identify a risk with category, owner, linked record and plans (R1.1)."""
    if not actor.has_perm("risk.add_risk"):
        raise PermissionDenied(_("You may not record risks."))
    values = _clean(actor, data, None)
    with transaction.atomic():
        risk = Risk.objects.create(
            number=numbering.next_number(RISK_DOCUMENT.doc_type),
            created_by=actor,
            status=RiskStatus.IDENTIFIED,
            **values,
        )
        event_record(
            actor=actor,
            verb="risk.created",
            subject=risk,
            to_state=risk.status,
            data={"category": risk.category, "owner": risk.owner.username},
        )
    return risk


def risk_for_update(actor: Any, risk_id: int) -> Risk:
    """The locked risk if `actor` may see it (NotFound) and edit it (PermissionDenied)."""
    risk = Risk.objects.select_for_update().filter(visible_to(actor), pk=risk_id).first()
    if risk is None:
        raise NotFound(_("No such risk."))
    if not can_edit(actor, risk):
        raise PermissionDenied(_("You may not change this risk."))
    return risk


def risk_update(*, actor: Any, risk_id: int, data: dict) -> Risk:
    """Edit an open risk's description, links and plans; the event lists what changed."""
    with transaction.atomic():
        risk = risk_for_update(actor, risk_id)
        if risk.status == RiskStatus.CLOSED:
            raise Conflict(_("A closed risk cannot be edited; reopen it first."), code="closed")
        values = _clean(actor, {k: v for k, v in data.items() if k in EDITABLE}, risk)
        changed = [name for name, value in values.items() if getattr(risk, name) != value]
        if not changed:
            return risk
        for name in changed:
            setattr(risk, name, values[name])
        risk.save()
        event_record(actor=actor, verb="risk.updated", subject=risk, data={"fields": changed})
    return risk


def _rating(name: str, raw: Any, scale: int, fields: dict) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= scale:
        fields[name] = [_("Choose from 1 to %(scale)s.") % {"scale": scale}]
    return value


def risk_assess(*, actor: Any, risk_id: int, likelihood: Any, impact: Any, note: str = "") -> Risk:
    """Rate likelihood and impact; the level comes from the configured matrix (R1.2)."""
    scale, cells = level_matrix.current()
    fields: dict[str, list] = {}
    rated = {
        "likelihood": _rating("likelihood", likelihood, scale, fields),
        "impact": _rating("impact", impact, scale, fields),
    }
    if fields:
        raise _fail(fields)
    level = level_matrix.level_for(rated["likelihood"], rated["impact"], scale=scale, matrix=cells)
    with transaction.atomic():
        risk = risk_for_update(actor, risk_id)
        previous = risk.level
        return apply_transition(
            risk,
            "assess",
            workflow=RISK,
            actor=actor,
            note=note,
            data={**rated, "level": level, "previous_level": previous, "scale": scale},
            changes={**rated, "level": level, "assessed_at": timezone.now()},
        )


def risk_transition(*, actor: Any, risk_id: int, action: str, note: str = "") -> Risk:
    """Treat (needs a response plan), monitor, close or reopen (a note is required to close
    or reopen) — through the declared table (R1.1)."""
    note = (note or "").strip()
    if action == "assess":
        raise ValidationFailed(_("Assess with likelihood and impact."), field="action")
    with transaction.atomic():
        risk = risk_for_update(actor, risk_id)
        check_transition(RISK, risk, action, actor)
        if action == "treat" and not risk.response_plan.strip():
            raise ValidationFailed(
                _("Write a response plan before treating the risk."), field="response_plan"
            )
        if action in ("close", "reopen") and not note:
            raise ValidationFailed(_("Give a reason."), field="note")
        return apply_transition(risk, action, workflow=RISK, actor=actor, note=note)


def contingency_activate(*, actor: Any, risk_id: int, note: str) -> ContingencyActivation:
    """Put the contingency plan into action and record who, when and what (R2.2)."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.from_fields(
            _("Please correct the marked fields."), {"note": [_("Say what was done.")]}
        )
    with transaction.atomic():
        risk = risk_for_update(actor, risk_id)
        if risk.status == RiskStatus.CLOSED:
            raise Conflict(_("The risk is closed."), code="closed")
        if not risk.contingency_plan.strip():
            raise Conflict(_("The risk has no contingency plan."), code="no_contingency_plan")
        activation = ContingencyActivation.objects.create(
            risk=risk,
            activated_by=actor,
            activated_at=timezone.now(),
            note=note,
            plan=risk.contingency_plan,
        )
        event_record(
            actor=actor,
            verb="risk.contingency_activated",
            subject=risk,
            note=note,
            data={"activation": activation.pk},
        )
    if risk.owner_id != actor.pk:
        _tell_owner(risk, actor)
    return activation


def _tell_owner(risk: Risk, actor: Any) -> None:
    from django.urls import reverse

    from salesdesk.notifications.services import notification_send

    def send() -> None:
        notification_send(
            recipients=[risk.owner],
            title=_("Contingency plan of %(number)s activated") % {"number": risk.number},
            url=reverse("risk:detail", args=[risk.pk]),
            actor=actor,
        )

    transaction.on_commit(send)


def credit_score_compute(*, actor: Any, customer_id: int) -> CreditScore:
    """Compute and store a customer's score with its inputs; history is kept (R1.2)."""
    from salesdesk.customers.models import Customer
    from salesdesk.customers.policies import visible_to as customers_visible

    if not actor.has_perm("risk.recompute_credit_score"):
        raise PermissionDenied(_("You may not recompute credit scores."))
    customer = Customer.objects.filter(customers_visible(actor), pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    return _store_score(customer, actor)


def _store_score(customer: Any, actor: Any) -> CreditScore:
    """Store a new score; the customer's timeline shows it only when the level changes."""
    inputs = inputs_for(customer)
    score = score_of(inputs)
    points = {name: round(value, 2) for name, value in penalties(inputs).items()}
    with transaction.atomic():
        previous = CreditScore.objects.filter(customer=customer).values("level").first()
        result = CreditScore.objects.create(
            customer=customer,
            score=score,
            level=level_of_score(score),
            inputs={**inputs.as_dict(), "penalties": points},
            computed_at=timezone.now(),
            computed_by=actor,
        )
        if previous is None or previous["level"] != result.level:
            event_record(
                actor=actor,
                verb="credit_score.level_changed",
                subject=customer,
                from_state=previous["level"] if previous else "",
                to_state=result.level,
                data={"score": score},
            )
    return result


def credit_scores_recompute(*, actor: Any) -> int:
    """The worker's daily run: score every customer with orders or invoices (R1.2)."""
    from salesdesk.customers.models import Customer

    if not actor.has_perm("risk.recompute_credit_score"):
        raise PermissionDenied(_("You may not recompute credit scores."))
    customers = (
        Customer.objects.filter(Q(orders__isnull=False) | Q(invoices__isnull=False))
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(customers):
        _store_score(Customer.objects.get(pk=pk), actor)
        count += 1
    return count


def risk_matrix_set(*, actor: Any, scale: Any, rows: list) -> tuple[int, list[list[str]]]:
    """Store a new scale and level matrix after validating them together (R1.2)."""
    if not actor.has_perm("core.change_policy"):
        raise PermissionDenied(_("You may not change company policies."))
    size, cells = level_matrix.validate(scale, rows)
    with transaction.atomic():
        policies.policy_set(key="risk.scale", raw_value=size, actor=actor)
        policies.policy_set(
            key="risk.matrix", raw_value=[" ".join(row) for row in cells], actor=actor
        )
    return size, cells
