"""Commendation and corrective-measure form, and the process-improvement log (E3.1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.core import policies
from salesdesk.core.errors import DomainError, NotFound, PermissionDenied
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.supervision import evaluation_selectors as selectors
from salesdesk.supervision import evaluation_services as services
from salesdesk.supervision.evaluation_models import ChangeKind, MeasureKind, Scope
from salesdesk.supervision.evaluation_workflow import LOG_IMPROVEMENT, RUN
from salesdesk.supervision.models import Finding, PlanStatus
from salesdesk.supervision.policies import INSPECT
from salesdesk.supervision.views_evaluation import outcome

SORTS = {"number": "number", "changed": "changed_on", "finding": "finding__number"}
COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("changed", gettext_lazy("Changed on")),
    ("finding", gettext_lazy("Finding")),
)
HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Changed on"),
    gettext_lazy("Finding"),
    gettext_lazy("Change"),
    gettext_lazy("Policy"),
    gettext_lazy("Old value"),
    gettext_lazy("New value"),
    gettext_lazy("Description"),
    gettext_lazy("Requirements affected"),
    gettext_lazy("Recorded by"),
)


@login_required
def measure_create_view(request, run_id: int, result_id: int):
    """Commend or correct a person for one result; a corrective measure may assign a
    corrective action on a finding of an open inspection (E3.1)."""
    if not request.user.has_perm(RUN):
        raise PageForbidden
    try:
        run = selectors.run_get(user=request.user, run_id=run_id)
    except NotFound:
        raise Http404 from None
    result = run.results.filter(pk=result_id, scope=Scope.PERSON).first()
    if result is None:
        raise Http404
    errors = {}
    if request.method == "POST":
        try:
            services.measure_record(
                actor=request.user, run_id=run.pk, result_id=result.pk, data=request.POST.dict()
            )
        except DomainError as exc:
            errors = exc.extra.get("fields", {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Recorded."))
            return redirect("supervision:evaluation_detail", run_id=run.pk)
    findings = []
    if request.user.has_perm(INSPECT):
        findings = Finding.objects.filter(
            plan__status__in=(PlanStatus.PLANNED, PlanStatus.IN_PROGRESS)
        ).select_related("plan")
    return render(
        request,
        "supervision/evaluation_measure_form.html",
        {
            "run": run,
            "result": result,
            "outcome": outcome(result.met),
            "kinds": MeasureKind.choices,
            "findings": findings,
            "data": request.POST,
            "errors": errors,
        },
    )


@login_required
def improvement_list_view(request):
    q, kind = request.GET.get("q", "").strip(), request.GET.get("change_kind", "")
    try:
        entries = selectors.improvement_list(
            user=request.user, q=q, kind=kind if kind in ChangeKind.values else ""
        )
    except PermissionDenied:
        raise PageForbidden from None
    entries, sort = sort_queryset(entries, request.GET.get("sort", "-changed"), SORTS, "-changed")
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                e.number,
                e.changed_on,
                e.finding.number,
                e.get_change_kind_display(),
                e.policy_key,
                e.old_value,
                e.new_value,
                e.description,
                " ".join(e.requirements),
                str(e.recorded_by),
            ]
            for e in entries
        )
        stamp = timezone.localdate().isoformat()
        return xlsx_response(
            f"process-improvements-{stamp}", HEADERS, rows, sheet=_("Process improvements")
        )
    context = paginate(request, entries)
    context.update(
        q=q,
        change_kind=kind,
        kinds=ChangeKind.choices,
        columns=sort_columns(request, sort, COLUMNS),
        export_query=query_without(request, "page", "export"),
    )
    return render(request, "supervision/evaluation_improvement_list.html", context)


@login_required
def improvement_create_view(request):
    if not request.user.has_perm(LOG_IMPROVEMENT):
        raise PageForbidden
    errors = {}
    if request.method == "POST":
        data = request.POST.dict()
        data["requirements"] = request.POST.get("requirements", "")
        try:
            entry = services.improvement_record(actor=request.user, data=data)
        except DomainError as exc:
            errors = exc.extra.get("fields", {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Process improvement %(n)s logged.") % {"n": entry.number})
            return redirect("supervision:improvements")
    return render(
        request,
        "supervision/evaluation_improvement_form.html",
        {
            "data": request.POST or {"finding": request.GET.get("finding", "")},
            "errors": errors,
            "kinds": ChangeKind.choices,
            "findings": Finding.objects.select_related("plan").order_by("-created_at")[:500],
            "policy_keys": [d.key for d in policies.definitions()],
            "today": timezone.localdate().isoformat(),
        },
    )
