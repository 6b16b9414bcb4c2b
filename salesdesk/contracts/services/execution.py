"""Execution (K4) and clean-up (K3.3): obligations, fulfilment, breaches, overdue alerts,
expiry, completion, termination and voiding — nothing is deleted."""

import calendar
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.contracts.models import (
    Breach,
    BreachStatus,
    Contract,
    ContractStatus,
    Obligation,
    ObligationKind,
    Party,
)
from salesdesk.contracts.policies import visible_to
from salesdesk.contracts.workflow import CONTRACT
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition

NET_DAYS = {"cash_on_delivery": 0, "net_30": 30, "net_60": 60, "net_90": 90}


def payment_due(terms: str, delivery: date, start: date) -> date:
    """When the customer must pay under the order's payment terms (K4.1)."""
    if terms == "prepayment":
        return min(start, delivery)
    if terms == "monthly_statement":
        last = calendar.monthrange(delivery.year, delivery.month)[1]
        return delivery.replace(day=last) + timedelta(days=30)
    return delivery + timedelta(days=NET_DAYS.get(terms, 30))


def derive_obligations(contract: Contract, actor: Any) -> list[Obligation]:
    """Delivery by us and payment by the customer for every linked order (K4.1)."""
    created = []
    start = contract.start_date or timezone.localdate()
    for order in contract.orders.all():
        delivery = order.expected_delivery_date or order.requested_delivery_date
        created.append(
            Obligation.objects.create(
                contract=contract,
                party=Party.COMPANY,
                kind=ObligationKind.DELIVERY,
                description=str(_("Deliver order %(n)s") % {"n": order.number}),
                amount=order.gross_amount,
                due_on=delivery,
                responsible_role="logistics",
                order=order,
            )
        )
        created.append(
            Obligation.objects.create(
                contract=contract,
                party=Party.CUSTOMER,
                kind=ObligationKind.PAYMENT,
                description=str(_("Pay order %(n)s") % {"n": order.number}),
                amount=order.gross_amount,
                due_on=payment_due(order.payment_terms, delivery, start),
                responsible_role="finance",
                order=order,
            )
        )
    if created:
        event_record(
            actor=actor,
            verb="contract.obligations_derived",
            subject=contract,
            data={"count": len(created)},
        )
    return created


def _contract(actor: Any, contract_id: int) -> Contract:
    contract = (
        Contract.objects.select_for_update().filter(visible_to(actor), pk=contract_id).first()
    )
    if contract is None:
        raise NotFound(_("No such contract."))
    return contract


def obligation_fulfil(
    *, actor: Any, obligation_id: int, fulfilled_on: Any = None, evidence: str = ""
) -> Obligation:
    """Record by hand that an obligation was met (shipments and payments will do it, #6)."""
    day = (
        fulfilled_on
        if isinstance(fulfilled_on, date)
        else (parse_date(str(fulfilled_on)) if fulfilled_on else timezone.localdate())
    )
    if day is None or day > timezone.localdate():
        raise ValidationFailed(
            _("Enter the date it was fulfilled (not in the future)."),
            extra={"field": "fulfilled_on"},
        )
    with transaction.atomic():
        obligation = Obligation.objects.select_for_update().filter(pk=obligation_id).first()
        if obligation is None:
            raise NotFound(_("No such obligation."))
        contract = _contract(actor, obligation.contract_id)
        if not (
            actor.has_perm("contracts.sign_contract")
            or actor.groups.filter(name=obligation.responsible_role).exists()
        ):
            raise PermissionDenied(_("You may not record this obligation."))
        if obligation.fulfilled_on is not None:
            raise Conflict(_("Already fulfilled."), code="already_fulfilled")
        obligation.fulfilled_on, obligation.fulfilled_by = day, actor
        obligation.evidence = (evidence or "")[:200]
        obligation.save()
        event_record(
            actor=actor,
            verb="contract.obligation_fulfilled",
            subject=contract,
            data={"obligation": obligation.pk, "on_time": day <= obligation.due_on},
        )
    return obligation


def breach_record(
    *,
    actor: Any,
    contract_id: int,
    party: str,
    description: str,
    remedy: str = "",
    obligation_id: int | None = None,
) -> Breach:
    """A breach by either party, with the remedy sought (K4.2)."""
    fields = {}
    if party not in Party.values:
        fields["party"] = [_("Choose the party.")]
    if not (description or "").strip():
        fields["description"] = [_("Describe the breach.")]
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), fields)
    if not actor.has_perm("contracts.sign_contract") and not actor.has_perm(
        "contracts.review_contract"
    ):
        raise PermissionDenied(_("You may not record breaches."))
    with transaction.atomic():
        contract = _contract(actor, contract_id)
        obligation = None
        if obligation_id is not None:
            obligation = contract.obligations.filter(pk=obligation_id).first()
            if obligation is None:
                raise ValidationFailed(
                    _("Not an obligation of this contract."), extra={"field": "obligation"}
                )
        breach = Breach.objects.create(
            contract=contract,
            party=party,
            obligation=obligation,
            description=description.strip(),
            remedy=remedy.strip(),
            recorded_by=actor,
        )
        event_record(
            actor=actor,
            verb="contract.breach_recorded",
            subject=contract,
            note=description,
            data={"breach": breach.pk, "party": party},
        )
    return breach


def breach_resolve(*, actor: Any, breach_id: int, outcome: str) -> Breach:
    if not (outcome or "").strip():
        raise ValidationFailed(_("Describe the outcome."), extra={"field": "outcome"})
    if not actor.has_perm("contracts.sign_contract") and not actor.has_perm(
        "contracts.review_contract"
    ):
        raise PermissionDenied(_("You may not resolve breaches."))
    with transaction.atomic():
        breach = Breach.objects.select_for_update().filter(pk=breach_id).first()
        if breach is None:
            raise NotFound(_("No such breach."))
        contract = _contract(actor, breach.contract_id)
        if breach.status == BreachStatus.RESOLVED:
            raise Conflict(_("Already resolved."), code="already_resolved")
        breach.status, breach.resolved_at = BreachStatus.RESOLVED, timezone.now()
        breach.remedy = f"{breach.remedy}\n{outcome.strip()}".strip()
        breach.save()
        event_record(
            actor=actor,
            verb="contract.breach_resolved",
            subject=contract,
            note=outcome,
            data={"breach": breach.pk},
        )
    return breach


def _end(actor: Any, contract_id: int, action: str, reason: str) -> Contract:
    if not (reason or "").strip():
        raise ValidationFailed(_("Give a reason."), extra={"field": "reason"})
    with transaction.atomic():
        contract = _contract(actor, contract_id)
        return apply_transition(
            contract,
            action,
            workflow=CONTRACT,
            actor=actor,
            note=reason,
            changes={"end_reason": reason.strip()[:200]},
        )


def contract_terminate(*, actor: Any, contract_id: int, reason: str) -> Contract:
    return _end(actor, contract_id, "terminate", reason)


def contract_void(*, actor: Any, contract_id: int, reason: str) -> Contract:
    return _end(actor, contract_id, "void", reason)


def contract_complete(*, actor: Any, contract_id: int, note: str = "") -> Contract:
    with transaction.atomic():
        contract = _contract(actor, contract_id)
        open_count = contract.obligations.filter(fulfilled_on__isnull=True).count()
        if open_count:
            raise Conflict(
                _("%(n)s obligations are still open.") % {"n": open_count}, code="obligations_open"
            )
        return apply_transition(contract, "complete", workflow=CONTRACT, actor=actor, note=note)


def contracts_expire(*, actor: Any, today: date | None = None) -> int:
    """Daily: active contracts past their end date become expired (K3.3)."""
    today = today or timezone.localdate()
    expired = 0
    for contract in Contract.objects.filter(status=ContractStatus.ACTIVE, end_date__lt=today):
        apply_transition(
            contract,
            "expire",
            workflow=CONTRACT,
            actor=actor,
            data={"end_date": contract.end_date.isoformat()},
        )
        expired += 1
    return expired


def obligations_alert(*, actor: Any, today: date | None = None) -> int:
    """Daily: tell the responsible department and sales admin of newly overdue obligations
    (K4.2); each obligation is announced once."""
    from django.contrib.auth import get_user_model

    from salesdesk.notifications.services import notification_send

    today = today or timezone.localdate()
    overdue = Obligation.objects.filter(
        fulfilled_on__isnull=True,
        due_on__lt=today,
        alerted_at__isnull=True,
        contract__status=ContractStatus.ACTIVE,
    )
    users = get_user_model().objects.filter(is_active=True)
    count = 0
    for obligation in overdue.select_related("contract"):
        recipients = users.filter(
            groups__name__in=[obligation.responsible_role, "sales_admin"]
        ).distinct()
        notification_send(
            recipients=recipients,
            actor=actor,
            email=True,
            title=str(
                _("Overdue under contract %(n)s: %(what)s")
                % {"n": obligation.contract.number, "what": obligation.description}
            ),
            body=str(_("Due on %(due)s.") % {"due": obligation.due_on}),
            url=f"/contracts/{obligation.contract_id}/",
        )
        Obligation.objects.filter(pk=obligation.pk).update(alerted_at=timezone.now())
        event_record(
            actor=actor,
            verb="contract.obligation_overdue",
            subject=obligation.contract,
            data={"obligation": obligation.pk},
        )
        count += 1
    return count


def obligations_settle(*, order: Any, kind: str, actor: Any, evidence: str) -> int:
    """Shipments and payments fulfil the contract obligations of their order (K4.1):
    delivery when the order is delivered, payment when its invoices are paid in full."""
    open_items = Obligation.objects.select_for_update().filter(
        order=order, kind=kind, fulfilled_on__isnull=True, contract__status=ContractStatus.ACTIVE
    )
    today = timezone.localdate()
    settled = 0
    for obligation in open_items.select_related("contract"):
        obligation.fulfilled_on, obligation.fulfilled_by = today, actor
        obligation.evidence = evidence[:200]
        obligation.save(update_fields=["fulfilled_on", "fulfilled_by", "evidence", "updated_at"])
        event_record(
            actor=actor,
            verb="contract.obligation_fulfilled",
            subject=obligation.contract,
            data={
                "obligation": obligation.pk,
                "on_time": today <= obligation.due_on,
                "evidence": evidence[:200],
            },
        )
        settled += 1
    return settled
