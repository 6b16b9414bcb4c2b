"""Department queue pages (O3.1, O4.1): each department sees the work orders of its roles,
overdue first; managers with `workorders.view_workorder` see every queue with a role filter.
Accept, progress, complete and decline each call one service."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.accounts.roles import role_label
from salesdesk.core.errors import DomainError
from salesdesk.core.listing import paginate
from salesdesk.core.workflow import allowed_for
from salesdesk.orders.policies import can_see as can_see_order
from salesdesk.workorders.models import WorkOrder, WorkStatus
from salesdesk.workorders.services import (
    work_order_accept,
    work_order_complete,
    work_order_decline,
    work_order_progress,
)
from salesdesk.workorders.workflow import WORK

ACTIVE = (WorkStatus.OPEN, WorkStatus.ACCEPTED, WorkStatus.IN_PROGRESS)
STATUS_FILTERS = ("active", "all", *WorkStatus.values)


def _roles(user: Any) -> list[str]:
    return list(user.groups.values_list("name", flat=True))


def visible_work_orders(user: Any) -> QuerySet[WorkOrder]:
    """The user's department queues, or every queue for those who oversee them."""
    works = WorkOrder.objects.select_related("order", "product", "assignee")
    if user.has_perm("workorders.view_workorder"):
        return works
    if user.has_perm("workorders.work_workorder"):
        return works.filter(role__in=_roles(user))
    return works.none()


def _queue(works: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Overdue first (active and past the promised or need-by date), then by that date."""
    today = timezone.localdate()
    works = works.annotate(due=Coalesce("promised_date", "needed_by"))
    late = Q(status__in=ACTIVE, due__lt=today)
    return works.annotate(
        late_rank=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("late_rank", "due", "created_at", "pk")


@login_required
def work_order_list_view(request):
    """A department's queue, filtered by status (and by role for overseers) (O3.1)."""
    user = request.user
    sees_all = user.has_perm("workorders.view_workorder")
    if not (sees_all or user.has_perm("workorders.work_workorder")):
        raise PageForbidden
    works = visible_work_orders(user)
    status = request.GET.get("status", "active")
    status = status if status in STATUS_FILTERS else "active"
    if status == "active":
        works = works.filter(status__in=ACTIVE)
    elif status != "all":
        works = works.filter(status=status)
    role = request.GET.get("role", "") if sees_all else ""
    if role:
        works = works.filter(role=role)
    found = WorkOrder.objects.values_list("role", flat=True).distinct() if sees_all else []
    roles = [(name, role_label(name)) for name in sorted(set(found))]
    context = paginate(request, _queue(works))
    today = timezone.localdate()
    context.update(
        rows=[
            {
                "work": w,
                "late": w.status in ACTIVE and w.due is not None and w.due < today,
                "department": role_label(w.role),
            }
            for w in context["page_obj"]
        ],
        status=status,
        statuses=[("active", _("Open and running")), ("all", _("All")), *WorkStatus.choices],
        role=role,
        roles=roles,
        my_roles=[role_label(name) for name in _roles(user)],
        sees_all=sees_all,
    )
    return render(request, "workorders/workorder_list.html", context)


def _work_or_404(user: Any, work_order_id: int) -> WorkOrder:
    work = visible_work_orders(user).filter(pk=work_order_id).first()
    if work is None:
        raise Http404
    return work


@login_required
def work_order_detail_view(request, work_order_id: int):
    """One work order with its actions and timeline (O4.1)."""
    user = request.user
    work = _work_or_404(user, work_order_id)
    actions = {t.name for t in allowed_for(WORK, work, user)}
    context = {
        "work": work,
        "can_accept": "accept" in actions,
        "can_progress": "complete" in actions,
        "can_complete": "complete" in actions,
        "can_decline": "decline" in actions,
        "order_link": work.order is not None and can_see_order(user, work.order),
        "department": role_label(work.role),
        "today": timezone.localdate(),
    }
    return render(request, "workorders/workorder_detail.html", context)


def _attempt(request, work_order_id: int, call: Callable[[], Any], success: str):
    _work_or_404(request.user, work_order_id)
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("workorders:detail", work_order_id=work_order_id)


@login_required
@require_POST
def work_order_accept_view(request, work_order_id: int):
    """Take the work and promise a date; the order hears back (O2.3)."""
    return _attempt(
        request,
        work_order_id,
        lambda: work_order_accept(
            actor=request.user,
            work_order_id=work_order_id,
            promised_date=request.POST.get("promised_date", ""),
            note=request.POST.get("note", "")[:500],
        ),
        _("Accepted."),
    )


@login_required
@require_POST
def work_order_progress_view(request, work_order_id: int):
    """Report progress 0–100 with a note (O4.1)."""
    return _attempt(
        request,
        work_order_id,
        lambda: work_order_progress(
            actor=request.user,
            work_order_id=work_order_id,
            progress=request.POST.get("progress", ""),
            note=request.POST.get("note", "")[:500],
        ),
        _("Progress saved."),
    )


@login_required
@require_POST
def work_order_complete_view(request, work_order_id: int):
    return _attempt(
        request,
        work_order_id,
        lambda: work_order_complete(
            actor=request.user,
            work_order_id=work_order_id,
            note=request.POST.get("note", "")[:500],
        ),
        _("Marked done."),
    )


@login_required
@require_POST
def work_order_decline_view(request, work_order_id: int):
    return _attempt(
        request,
        work_order_id,
        lambda: work_order_decline(
            actor=request.user,
            work_order_id=work_order_id,
            reason=request.POST.get("reason", "")[:500],
        ),
        _("Declined."),
    )
