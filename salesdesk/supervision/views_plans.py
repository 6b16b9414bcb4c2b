"""Inspection pages (E1.1): list, plan form with the requirement-ID checklist, detail with
checklist results, findings, corrective actions and the timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.accounts.models import User
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.core.workflow import allowed_for
from salesdesk.supervision import requirements, selectors, services
from salesdesk.supervision.models import CheckResult, PlanStatus, Severity
from salesdesk.supervision.policies import INSPECT, sees_inspections
from salesdesk.supervision.workflow import PLAN

SORTS = {"number": "number", "period": "period_start", "status": "status", "title": "title"}
COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("title", gettext_lazy("Title")),
    ("period", gettext_lazy("Period")),
    ("status", gettext_lazy("Status")),
)
EXPORT_HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Title"),
    gettext_lazy("Period from"),
    gettext_lazy("Period to"),
    gettext_lazy("Lead inspector"),
    gettext_lazy("Status"),
    gettext_lazy("Findings"),
)


def _viewer(request) -> None:
    if not sees_inspections(request.user):
        raise PageForbidden


def _plan_or_404(request, plan_id: int):
    try:
        return selectors.plan_get(user=request.user, plan_id=plan_id)
    except NotFound:
        raise Http404 from None


@login_required
def plan_list_view(request):
    _viewer(request)
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    plans = selectors.plan_list(
        user=request.user, q=q, status=status if status in PlanStatus.values else ""
    )
    plans, sort = sort_queryset(plans, request.GET.get("sort", "-period"), SORTS, "-period")
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                p.number,
                p.title,
                p.period_start,
                p.period_end,
                str(p.lead),
                p.get_status_display(),
                p.finding_count,
            ]
            for p in plans
        )
        stamp = timezone.localdate().isoformat()
        return xlsx_response(f"inspections-{stamp}", EXPORT_HEADERS, rows, sheet=_("Inspections"))
    context = paginate(request, plans)
    context.update(
        q=q,
        status=status,
        statuses=PlanStatus.choices,
        columns=sort_columns(request, sort, COLUMNS),
        export_query=query_without(request, "page", "export"),
        can_inspect=request.user.has_perm(INSPECT),
        members=User.objects.filter(groups__name="supervisor", is_active=True)
        .select_related("department")
        .order_by("department__code", "username"),
    )
    return render(request, "supervision/plan_list.html", context)


def _people():
    return User.objects.filter(is_active=True, is_system=False).order_by("username")


@login_required
def plan_create_view(request):
    """Plan an inspection: title, scope, period, lead and the requirement IDs to check."""
    if not request.user.has_perm(INSPECT):
        raise PageForbidden
    errors, data = {}, request.POST if request.method == "POST" else {}
    if request.method == "POST":
        payload = {
            **{
                k: request.POST.get(k, "")
                for k in ("title", "scope", "period_start", "period_end", "lead")
            },
            "checklist": [
                *request.POST.getlist("checklist"),
                *request.POST.get("checklist_more", "").replace(",", " ").split(),
            ],
        }
        try:
            plan = services.plan_create(actor=request.user, data=payload)
        except DomainError as exc:
            errors = exc.extra.get("fields", {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Inspection %(n)s planned.") % {"n": plan.number})
            return redirect("supervision:plan_detail", plan_id=plan.pk)
    areas = [
        {"code": code, "label": label, "ids": requirements.REQUIREMENTS[code]}
        for code, label in requirements.AREAS.items()
    ]
    return render(
        request,
        "supervision/plan_form.html",
        {
            "data": data,
            "errors": errors,
            "areas": areas,
            "chosen": set(data.getlist("checklist")) if data else set(),
            "people": _people(),
        },
    )


@login_required
def plan_detail_view(request, plan_id: int):
    _viewer(request)
    plan = _plan_or_404(request, plan_id)
    findings = plan.findings.prefetch_related("actions__owner")
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "checklist": plan.checklist.all(),
            "results": CheckResult.choices,
            "findings": findings,
            "transitions": allowed_for(PLAN, plan, request.user),
            "can_inspect": request.user.has_perm(INSPECT)
            and plan.status in (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS),
        },
    )


@login_required
@require_POST
def plan_transition_view(request, plan_id: int, transition: str):
    _plan_or_404(request, plan_id)
    try:
        services.plan_transition(
            actor=request.user,
            plan_id=plan_id,
            action=transition.replace("-", "_"),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("supervision:plan_detail", plan_id=plan_id)


@login_required
@require_POST
def checklist_record_view(request, item_id: int):
    _viewer(request)
    try:
        item = services.checklist_record(actor=request.user, item_id=item_id, data=request.POST)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("supervision:plans")
    url = reverse("supervision:plan_detail", args=[item.plan_id])
    return redirect(f"{url}#check-{item.pk}")


@login_required
def finding_create_view(request, plan_id: int):
    """Record a finding: severity, requirement, description and evidence links."""
    if not request.user.has_perm(INSPECT):
        raise PageForbidden
    plan = _plan_or_404(request, plan_id)
    errors = {}
    if request.method == "POST":
        evidence = [
            {"url": url.strip(), "label": label.strip()}
            for url, label in zip(
                request.POST.getlist("evidence_url"),
                request.POST.getlist("evidence_label"),
                strict=False,
            )
            if url.strip()
        ]
        payload = {**request.POST.dict(), "evidence": evidence}
        try:
            finding = services.finding_create(actor=request.user, plan_id=plan.pk, data=payload)
        except DomainError as exc:
            errors = exc.extra.get("fields", {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Finding %(n)s recorded.") % {"n": finding.number})
            return redirect("supervision:plan_detail", plan_id=plan.pk)
    return render(
        request,
        "supervision/finding_form.html",
        {
            "plan": plan,
            "data": request.POST,
            "errors": errors,
            "severities": Severity.choices,
            "requirement_ids": [c.requirement for c in plan.checklist.all()],
        },
    )
