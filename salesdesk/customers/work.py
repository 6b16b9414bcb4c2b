"""Work items: customers whose data is due for a check wait in their owner's queue (C2.2)."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.customers.models import Customer
from salesdesk.workqueue.registry import WorkItem, provider

MAX_ITEMS = 20


@provider
def customers_to_verify(user):
    """Owned customers not verified within the policy period (or about to be)."""
    if not user.has_perm("customers.change_customer"):
        return []
    days = policies.value("customers.verify_days")
    notice = policies.value("customers.verify_warning_days")
    threshold = timezone.now() - timedelta(days=days - notice)
    stale = (
        Customer.objects.filter(owner=user)
        .filter(Q(last_verified_at__lt=threshold) | Q(last_verified_at__isnull=True))
        .exclude(stage="lost")
        .order_by("last_verified_at")
    )
    total = stale.count()
    if total > MAX_ITEMS:
        oldest = stale.first()
        due = (oldest.last_verified_at or oldest.created_at) + timedelta(days=days)
        return [
            WorkItem(
                key="customers.verify:many",
                title=_("%(n)s customers need their data checked") % {"n": total},
                url=reverse("customers:list") + "?verify=due",
                kind=_("Customer data"),
                due_at=due,
                assignee=str(user),
            )
        ]
    return [
        WorkItem(
            key=f"customers.verify:{c.pk}",
            title=_("Check the data of %(name)s") % {"name": c},
            url=reverse("customers:detail", args=[c.pk]),
            kind=_("Customer data"),
            due_at=(c.last_verified_at or c.created_at) + timedelta(days=days),
            assignee=str(user),
            detail=c.code,
        )
        for c in stale
    ]
