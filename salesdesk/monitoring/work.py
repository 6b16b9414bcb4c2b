"""Live warnings in their owners' work queue (R3.1, U5): critical first by due time.

Only the owner and the owner role's members get the item; people who merely see every
warning (management, supervision) use the warnings board instead.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import role_label
from salesdesk.monitoring.indicators import indicator
from salesdesk.monitoring.models import LIVE_STATUSES, EarlyWarning, WarningStatus
from salesdesk.monitoring.notify import plain
from salesdesk.monitoring.policies import may_view, role_names
from salesdesk.workqueue.registry import WorkItem, provider

MAX_ITEMS = 50


@provider
def warnings_to_handle(user):
    if not may_view(user):
        return []
    mine = Q(owner=user) | Q(owner_role__in=role_names(user), owner_role__gt="")
    warnings = (
        EarlyWarning.objects.filter(mine, status__in=LIVE_STATUSES)
        .select_related("owner")
        .order_by("level", "due_at")[:MAX_ITEMS]
    )
    items = []
    for warning in warnings:
        definition = indicator(warning.indicator)
        label = definition.label if definition else warning.indicator
        value = plain(warning.value)
        action = (
            _("Close warning: %(indicator)s")
            if warning.status == WarningStatus.ACKNOWLEDGED
            else _("Check warning: %(indicator)s")
        )
        items.append(
            WorkItem(
                key=f"monitoring.warning:{warning.pk}",
                title=action % {"indicator": label},
                url=reverse("monitoring:warning_detail", args=[warning.pk]),
                kind=_("Early warning"),
                due_at=warning.due_at,
                assignee=str(warning.owner) if warning.owner else role_label(warning.owner_role),
                detail=f"{warning.subject_label} · {warning.get_level_display()} {value}",
                extra={"level": warning.level},
            )
        )
    return items
