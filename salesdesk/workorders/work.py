"""Each department's queue: open and running work orders for members of its role (O3.1)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from salesdesk.core.dates import end_of_day
from salesdesk.workorders.models import WorkOrder, WorkStatus
from salesdesk.workqueue.registry import WorkItem, provider


def _url(work: WorkOrder) -> str:
    try:
        return reverse("workorders:detail", args=[work.pk])
    except NoReverseMatch:
        return f"/api/v1/work-orders/{work.pk}"


@provider
def department_work(user):
    roles = list(user.groups.values_list("name", flat=True))
    if not user.has_perm("workorders.work_workorder") or not roles:
        return []
    works = (
        WorkOrder.objects.filter(
            role__in=roles,
            status__in=[WorkStatus.OPEN, WorkStatus.ACCEPTED, WorkStatus.IN_PROGRESS],
        )
        .select_related("order", "product")
        .order_by("needed_by")[:100]
    )
    return [
        WorkItem(
            key=f"workorders:{w.pk}",
            title=_("%(kind)s %(number)s") % {"kind": w.get_kind_display(), "number": w.number},
            url=_url(w),
            kind=_("Work order"),
            due_at=end_of_day(w.promised_date or w.needed_by),
            assignee=w.assignee or w.role,
            detail=" · ".join(str(x) for x in (w.order, w.product, w.quantity) if x),
        )
        for w in works
    ]
