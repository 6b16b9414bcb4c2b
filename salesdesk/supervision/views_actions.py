"""Corrective-action pages (E1.1): assign from a finding, the list (mine or all), detail
with the owner's and the supervisors' actions and the timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.accounts.models import User
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.core.workflow import allowed_for
from salesdesk.supervision import selectors, services
from salesdesk.supervision.models import ActionStatus
from salesdesk.supervision.policies import INSPECT
from salesdesk.supervision.workflow import ACTION

SORTS = {"number": "number", "due": "due_date", "status": "status", "owner": "owner__username"}
COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("owner", gettext_lazy("Owner")),
    ("due", gettext_lazy("Due date")),
    ("status", gettext_lazy("Status")),
)
EXPORT_HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Finding"),
    gettext_lazy("Inspection plan"),
    gettext_lazy("Action required"),
    gettext_lazy("Owner"),
    gettext_lazy("Due date"),
    gettext_lazy("Status"),
    gettext_lazy("Overdue"),
)


def _overdue(action) -> bool:
    return action.status == ActionStatus.OPEN and action.due_date < timezone.localdate()


@login_required
def action_list_view(request):
    """Corrective actions the user may see: their own, or all for the supervision group."""
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    overdue, mine = request.GET.get("overdue") == "1", request.GET.get("mine") == "1"
    actions = selectors.action_list(
        user=request.user,
        q=q,
        status=status if status in ActionStatus.values else "",
        owner_id=request.user.pk if mine else None,
        overdue=overdue,
    )
    actions, sort = sort_queryset(actions, request.GET.get("sort", "due"), SORTS, "due")
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                a.number,
                a.finding.number,
                a.finding.plan.number,
                a.description,
                str(a.owner),
                a.due_date,
                a.get_status_display(),
                _("yes") if _overdue(a) else "",
            ]
            for a in actions
        )
        stamp = timezone.localdate().isoformat()
        return xlsx_response(
            f"corrective-actions-{stamp}", EXPORT_HEADERS, rows, sheet=_("Corrective actions")
        )
    context = paginate(request, actions)
    for action in context["page_obj"]:
        action.is_overdue = _overdue(action)
    context.update(
        q=q,
        status=status,
        overdue=overdue,
        mine=mine,
        statuses=ActionStatus.choices,
        columns=sort_columns(request, sort, COLUMNS),
        export_query=query_without(request, "page", "export"),
    )
    return render(request, "supervision/action_list.html", context)


@login_required
def action_create_view(request, finding_id: int):
    if not request.user.has_perm(INSPECT):
        raise PageForbidden
    try:
        finding = selectors.finding_get(user=request.user, finding_id=finding_id)
    except NotFound:
        raise Http404 from None
    errors = {}
    if request.method == "POST":
        try:
            action = services.action_create(
                actor=request.user, finding_id=finding.pk, data=request.POST.dict()
            )
        except DomainError as exc:
            errors = exc.extra.get("fields", {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Corrective action %(n)s assigned.") % {"n": action.number})
            return redirect("supervision:plan_detail", plan_id=finding.plan_id)
    people = (
        User.objects.filter(
            is_active=True,
            is_system=False,
            groups__permissions__codename="work_correctiveaction",
            groups__permissions__content_type__app_label="supervision",
        )
        .select_related("department")
        .distinct()
        .order_by("username")
    )
    return render(
        request,
        "supervision/action_form.html",
        {"finding": finding, "data": request.POST, "errors": errors, "people": people},
    )


@login_required
def action_detail_view(request, action_id: int):
    try:
        action = selectors.action_get(user=request.user, action_id=action_id)
    except NotFound:
        raise Http404 from None
    action.is_overdue = _overdue(action)
    return render(
        request,
        "supervision/action_detail.html",
        {"action": action, "transitions": allowed_for(ACTION, action, request.user)},
    )


@login_required
@require_POST
def action_transition_view(request, action_id: int, transition: str):
    try:
        services.action_transition(
            actor=request.user,
            action_id=action_id,
            transition=transition.replace("-", "_"),
            note=request.POST.get("note", ""),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("supervision:action_detail", action_id=action_id)
