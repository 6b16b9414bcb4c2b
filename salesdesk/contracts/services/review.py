"""Countersign review (會簽, K1.2): legal and finance in parallel, more by amount or customer
grade; a rejection returns the draft; resubmission goes only to those who rejected, unless
the text changed since the others approved it — then everyone reviews again."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.contracts.models import Contract, ContractReview, ContractStatus
from salesdesk.contracts.models import ReviewDecision as D
from salesdesk.contracts.policies import visible_to
from salesdesk.contracts.services.drafting import contract_for_drafting
from salesdesk.contracts.workflow import CONTRACT
from salesdesk.core import policies
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition, check_transition


def required_roles(contract: Contract) -> list[str]:
    """The reviewing roles the policies ask for this contract (K1.2, R2.3)."""
    roles = list(policies.value("contracts.reviewers"))
    if contract.amount > Decimal(policies.value("contracts.management_review_above")) or (
        contract.customer.grade in policies.value("contracts.extra_review_grades")
    ):
        roles.append("management")
    from salesdesk.risk.responses import contract_extra_reviewers  # R2.3 hook

    roles += contract_extra_reviewers(contract.customer)
    return list(dict.fromkeys(roles))


def _plan_round(contract: Contract) -> dict[str, ContractReview | None]:
    """Role → the approval carried over from the last round, or None (must review)."""
    previous = {r.role: r for r in contract.reviews.filter(round=contract.review_round)}
    plan = {}
    for role in required_roles(contract):
        last = previous.get(role)
        keep = last is not None and last.decision == D.APPROVED and last.version == contract.version
        plan[role] = last if keep else None
    return plan


def contract_submit(*, actor: Any, contract_id: int, note: str = "") -> Contract:
    """Send the draft to its reviewers; each pending review is a work item with an SLA."""
    with transaction.atomic():
        contract = contract_for_drafting(actor, contract_id)
        check_transition(CONTRACT, contract, "submit", actor)
        plan = _plan_round(contract)
        contract.review_round += 1
        contract.save(update_fields=["review_round"])
        due = timezone.now() + timedelta(hours=policies.value("contracts.review_sla_hours"))
        for role, approval in plan.items():
            ContractReview.objects.create(
                contract=contract,
                round=contract.review_round,
                role=role,
                version=contract.version,
                decision=D.APPROVED if approval else D.PENDING,
                reviewer=approval.reviewer if approval else None,
                comment=approval.comment if approval else "",
                decided_at=approval.decided_at if approval else None,
                due_at=None if approval else due,
            )
        contract = apply_transition(
            contract,
            "submit",
            workflow=CONTRACT,
            actor=actor,
            note=note,
            data={
                "round": contract.review_round,
                "reviewers": sorted(r for r, a in plan.items() if a is None),
                "carried_over": sorted(r for r, a in plan.items() if a is not None),
            },
        )
        _approve_if_complete(contract, actor)
    return contract


def _approve_if_complete(contract: Contract, actor: Any) -> None:
    reviews = contract.reviews.filter(round=contract.review_round)
    if reviews.exists() and not reviews.exclude(decision=D.APPROVED).exists():
        apply_transition(
            contract,
            "approve",
            workflow=CONTRACT,
            actor=actor,
            data={"round": contract.review_round},
        )


def contract_review(
    *, actor: Any, contract_id: int, approve: bool, comment: str = ""
) -> ContractReview:
    """A reviewer of a pending role approves or rejects, with comments (K1.2)."""
    if not approve and not (comment or "").strip():
        raise ValidationFailed(_("Say what must change."), extra={"field": "comment"})
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update().filter(visible_to(actor), pk=contract_id).first()
        )
        if contract is None:
            raise NotFound(_("No such contract."))
        if contract.status != ContractStatus.IN_REVIEW:
            raise Conflict(_("The contract is not in review."), code="not_in_review")
        roles = set(actor.groups.values_list("name", flat=True))
        review = (
            contract.reviews.select_for_update()
            .filter(round=contract.review_round, decision=D.PENDING, role__in=roles)
            .first()
        )
        if review is None or not actor.has_perm("contracts.review_contract"):
            raise PermissionDenied(_("No review of this contract waits for you."))
        if contract.drafter_id == actor.pk:
            raise PermissionDenied(_("The drafter does not review their own contract."))
        review.decision = D.APPROVED if approve else D.REJECTED
        review.reviewer, review.comment = actor, (comment or "").strip()
        review.decided_at = timezone.now()
        review.save()
        event_record(
            actor=actor,
            verb="contract.reviewed",
            subject=contract,
            note=comment,
            data={"role": review.role, "decision": review.decision, "round": review.round},
        )
        if approve:
            _approve_if_complete(contract, actor)
        else:
            apply_transition(
                contract,
                "return_to_drafter",
                workflow=CONTRACT,
                actor=actor,
                note=comment,
                data={"role": review.role},
            )
    return review
