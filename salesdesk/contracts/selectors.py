"""Reads of contracts, scoped to what the viewer may see (K1.2, K3.2, K3.3, K4.1).

The list page, its export and the API filter through `contract_list`, so none of them can
show a contract that `policies.visible_to` excludes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.contracts.models import (
    Contract,
    ContractReview,
    ContractStatus,
    Obligation,
    ReviewDecision,
)
from salesdesk.contracts.policies import can_draft, visible_to
from salesdesk.contracts.workflow import CONTRACT
from salesdesk.core import policies
from salesdesk.core.errors import NotFound
from salesdesk.core.workflow import available_actions

# Workflow transitions a person starts by hand; `expire` is the daily job's, and `approve` /
# `return_to_drafter` happen through a reviewer's decision (contract_review).
MANUAL_ACTIONS = ("submit", "start-signing", "activate", "complete", "terminate", "void")


class ObligationState:
    """The fulfilment table's status column (合同履行一覽表, K4.1)."""

    OPEN = "open"
    ON_TIME = "fulfilled_on_time"
    LATE = "fulfilled_late"
    OVERDUE = "overdue"

    LABELS = {
        OPEN: _("Open"),
        ON_TIME: _("Fulfilled on time"),
        LATE: _("Fulfilled late"),
        OVERDUE: _("Overdue"),
    }


@dataclass(frozen=True)
class ContractFilters:
    """The list filters of K3.2 and the expiring-soon / expired lists of K3.3."""

    customer_id: int | None = None
    contract_type_id: int | None = None
    status: str = ""
    signed_from: date | None = None
    signed_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    q: str = ""
    expiring: bool = False
    expired: bool = False


def expiry_window_end(today: date | None = None) -> date:
    """Active contracts ending on or before this date are expiring soon (K3.3)."""
    today = today or timezone.localdate()
    return today + timedelta(days=policies.value("contracts.expiry_warning_days"))


def expiring_condition(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        status=ContractStatus.ACTIVE,
        end_date__gte=today,
        end_date__lte=expiry_window_end(today),
    )


def expired_condition(today: date | None = None) -> Q:
    """Expired, or active past the end date until tonight's job expires it (K3.3)."""
    today = today or timezone.localdate()
    return Q(status=ContractStatus.EXPIRED) | Q(status=ContractStatus.ACTIVE, end_date__lt=today)


def contract_list(*, user: Any, filters: ContractFilters | None = None) -> QuerySet[Contract]:
    """The contracts `user` may see, narrowed by `filters` (K3.2)."""
    f = filters or ContractFilters()
    contracts = Contract.objects.filter(visible_to(user)).select_related(
        "customer", "contract_type", "parent"
    )
    exact = {
        "customer_id": f.customer_id,
        "contract_type_id": f.contract_type_id,
        "status": f.status or None,
        "signed_on__gte": f.signed_from,
        "signed_on__lte": f.signed_to,
        "amount__gte": f.amount_min,
        "amount__lte": f.amount_max,
    }
    contracts = contracts.filter(**{k: v for k, v in exact.items() if v is not None})
    if f.q.strip():
        term = f.q.strip()
        contracts = contracts.filter(Q(number__icontains=term) | Q(title__icontains=term))
    if f.expiring:
        contracts = contracts.filter(expiring_condition())
    if f.expired:
        contracts = contracts.filter(expired_condition())
    return contracts.order_by("-created_at", "-pk")


def contract_get(*, user: Any, contract_id: int) -> Contract:
    contract = (
        Contract.objects.filter(visible_to(user), pk=contract_id)
        .select_related("customer", "contract_type", "parent", "drafter")
        .first()
    )
    if contract is None:
        raise NotFound(_("No such contract."))
    return contract


def pending_review_for(user: Any, contract: Contract) -> ContractReview | None:
    """The review of this round that waits for one of `user`'s roles, if they may decide it."""
    if (
        contract.status != ContractStatus.IN_REVIEW
        or contract.drafter_id == user.pk
        or not user.has_perm("contracts.review_contract")
    ):
        return None
    roles = list(user.groups.values_list("name", flat=True))
    return contract.reviews.filter(
        round=contract.review_round, decision=ReviewDecision.PENDING, role__in=roles
    ).first()


def contract_actions(contract: Contract, user: Any) -> list[str]:
    """What `user` may do to the contract now, as API action names (`POST …/{action}`)."""
    actions = [a for a in available_actions(CONTRACT, contract, user) if a in MANUAL_ACTIONS]
    if pending_review_for(user, contract) is not None:
        actions += ["approve", "reject"]
    drafter = can_draft(user, contract)
    if contract.status == ContractStatus.SIGNING and drafter:
        actions += ["sign", "scan"]
    if (
        contract.status == ContractStatus.ACTIVE
        and contract.original_due_on is not None
        and contract.original_received_at is None
        and drafter
    ):
        actions.append("original-received")
    return actions


def reviews_waiting(*, user: Any) -> QuerySet[ContractReview]:
    """Pending reviews for `user`'s roles, soonest due (so overdue) first (K1.2)."""
    if not user.has_perm("contracts.review_contract"):
        return ContractReview.objects.none()
    roles = list(user.groups.values_list("name", flat=True))
    return (
        ContractReview.objects.filter(
            role__in=roles,
            decision=ReviewDecision.PENDING,
            contract__status=ContractStatus.IN_REVIEW,
            contract__in=Contract.objects.filter(visible_to(user)),
        )
        .filter(round=F("contract__review_round"))
        .exclude(contract__drafter=user)
        .select_related("contract__customer", "contract__contract_type", "contract__drafter")
        .order_by("due_at", "pk")
    )


def obligation_state(obligation: Obligation, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if obligation.fulfilled_on is not None:
        on_time = obligation.fulfilled_on <= obligation.due_on
        return ObligationState.ON_TIME if on_time else ObligationState.LATE
    return ObligationState.OVERDUE if obligation.due_on < today else ObligationState.OPEN


def contract_versions(contract: Contract) -> QuerySet:
    return contract.versions.select_related("author").order_by("-number")


def contract_reviews(contract: Contract) -> QuerySet[ContractReview]:
    return contract.reviews.select_related("reviewer").order_by("-round", "role")


def contract_family(contract: Contract) -> list[Contract]:
    """The main contract and all its supplementary agreements, oldest first (K3.1)."""
    root = contract.parent if contract.parent_id else contract
    return [root, *root.supplements.select_related("contract_type").order_by("created_at", "pk")]
