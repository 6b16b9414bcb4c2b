"""Contract work items: pending reviews (K1.2), originals due back (K2.2), contracts expiring
soon (K3.3) and overdue obligations for the responsible department (K4.2)."""

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.contracts.models import (
    Contract,
    ContractReview,
    ContractStatus,
    Obligation,
    ReviewDecision,
)
from salesdesk.core import policies
from salesdesk.core.dates import end_of_day
from salesdesk.workqueue.registry import WorkItem, provider


def _url(contract_id: int) -> str:
    try:
        return reverse("contracts:detail", args=[contract_id])
    except NoReverseMatch:
        return f"/api/v1/contracts/{contract_id}"


@provider
def reviews_waiting(user):
    if not user.has_perm("contracts.review_contract"):
        return []
    roles = list(user.groups.values_list("name", flat=True))
    reviews = (
        ContractReview.objects.filter(
            role__in=roles, decision=ReviewDecision.PENDING, contract__status="in_review"
        )
        .exclude(contract__drafter=user)
        .select_related("contract__customer")
        .order_by("due_at")[:50]
    )
    return [
        WorkItem(
            key=f"contracts.review:{r.pk}",
            title=_("Review contract %(n)s") % {"n": r.contract.number},
            url=_url(r.contract_id),
            kind=_("Contract review"),
            due_at=r.due_at,
            assignee=r.role,
            detail=str(r.contract.customer),
        )
        for r in reviews
    ]


@provider
def drafter_follow_ups(user):
    if not user.has_perm("contracts.draft_contract"):
        return []
    mine = Contract.objects.filter(drafter=user)
    items = [
        WorkItem(
            key=f"contracts.original:{c.pk}",
            title=_("Get the customer's signed original of %(n)s") % {"n": c.number},
            url=_url(c.pk),
            kind=_("Contract"),
            due_at=end_of_day(c.original_due_on),
            assignee=str(user),
            detail=str(c.customer),
        )
        for c in mine.filter(
            status=ContractStatus.ACTIVE,
            original_due_on__isnull=False,
            original_received_at__isnull=True,
        )[:50]
    ]
    window = timezone.localdate() + timedelta(days=policies.value("contracts.expiry_warning_days"))
    items += [
        WorkItem(
            key=f"contracts.expiring:{c.pk}",
            title=_("Contract %(n)s ends on %(d)s") % {"n": c.number, "d": c.end_date},
            url=_url(c.pk),
            kind=_("Contract"),
            due_at=end_of_day(c.end_date),
            assignee=str(user),
            detail=str(c.customer),
        )
        for c in mine.filter(status=ContractStatus.ACTIVE, end_date__lte=window)[:50]
    ]
    items += [
        WorkItem(
            key=f"contracts.draft:{c.pk}",
            title=_("Rework returned contract %(n)s") % {"n": c.number},
            url=_url(c.pk),
            kind=_("Contract"),
            assignee=str(user),
            detail=str(c.customer),
        )
        for c in mine.filter(status=ContractStatus.DRAFTING, review_round__gt=0)[:50]
    ]
    return items


@provider
def obligations_overdue(user):
    roles = list(user.groups.values_list("name", flat=True))
    if not roles or not user.has_perm("contracts.view_contract"):
        return []
    filters = {
        "fulfilled_on__isnull": True,
        "due_on__lt": timezone.localdate(),
        "contract__status": ContractStatus.ACTIVE,
    }
    if "sales_admin" not in roles:
        filters["responsible_role__in"] = roles
    overdue = Obligation.objects.filter(**filters).select_related("contract")[:50]
    return [
        WorkItem(
            key=f"contracts.obligation:{o.pk}",
            title=_("Overdue: %(what)s (%(n)s)") % {"what": o.description, "n": o.contract.number},
            url=_url(o.contract_id),
            kind=_("Contract execution"),
            due_at=end_of_day(o.due_on),
            assignee=o.responsible_role,
        )
        for o in overdue
    ]
