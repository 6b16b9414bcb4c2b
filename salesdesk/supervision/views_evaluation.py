"""Evaluation pages (E2.3): the list of runs with filters, sorting and Excel, "run now", and
a run's results per person, team and department, exported to Excel exactly as shown."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.core.workflow import allowed_for
from salesdesk.supervision import evaluation_selectors as selectors
from salesdesk.supervision import evaluation_services as services
from salesdesk.supervision.evaluation_models import RunKind, RunStatus, Scope
from salesdesk.supervision.evaluation_policies import sees_all_runs
from salesdesk.supervision.evaluation_workflow import EVALUATION, RUN

CENT = Decimal("0.01")
SORTS = {
    "number": "number",
    "period": "period_start",
    "kind": "kind",
    "status": "status",
    "created": "created_at",
}
COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("period", gettext_lazy("Period")),
    ("kind", gettext_lazy("Kind")),
    ("status", gettext_lazy("Status")),
    ("created", gettext_lazy("Created")),
)
LIST_HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Period from"),
    gettext_lazy("Period to"),
    gettext_lazy("Kind"),
    gettext_lazy("Status"),
    gettext_lazy("Created by"),
    gettext_lazy("Note"),
)
SCOPE_HEADERS = {
    Scope.PERSON: gettext_lazy("Person"),
    Scope.TEAM: gettext_lazy("Team"),
    Scope.DEPARTMENT: gettext_lazy("Department"),
}


def _number(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(CENT))


def outcome(met: bool | None) -> str:
    if met is None:
        return _("no data")
    return _("met") if met else _("missed")


def result_headers(scope: str) -> list:
    return [
        _("KPI"),
        SCOPE_HEADERS[scope],
        _("Value"),
        _("Unit"),
        _("Target"),
        _("Result"),
        _("Records"),
    ]


def result_cells(result) -> list:
    """One row of a results table: the page and the Excel export use the same cells."""
    return [
        result.kpi_label,
        result.group_label,
        _number(result.value),
        result.unit,
        _number(result.target),
        outcome(result.met),
        result.count,
    ]


@login_required
def evaluation_list_view(request):
    """Runs the user may see: all for the supervision group and management, else the
    published runs with the user's own results."""
    q = request.GET.get("q", "").strip()
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    year = request.GET.get("year", "")
    runs = selectors.run_list(
        user=request.user,
        q=q,
        kind=kind if kind in RunKind.values else "",
        status=status if status in RunStatus.values else "",
        year=int(year) if year.isdigit() else None,
    )
    runs, sort = sort_queryset(runs, request.GET.get("sort", "-period"), SORTS, "-period")
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                r.number,
                r.period_start,
                r.period_end,
                r.get_kind_display(),
                r.get_status_display(),
                str(r.created_by),
                r.note,
            ]
            for r in runs
        )
        stamp = timezone.localdate().isoformat()
        return xlsx_response(f"evaluations-{stamp}", LIST_HEADERS, rows, sheet=_("Evaluations"))
    context = paginate(request, runs)
    context.update(
        q=q,
        kind=kind,
        status=status,
        year=year,
        kinds=RunKind.choices,
        statuses=RunStatus.choices,
        columns=sort_columns(request, sort, COLUMNS),
        export_query=query_without(request, "page", "export"),
        sees_all=sees_all_runs(request.user),
    )
    return render(request, "supervision/evaluation_list.html", context)


@login_required
def evaluation_create_view(request):
    """Run an evaluation now for any period (ad hoc, E2.3)."""
    if not request.user.has_perm(RUN):
        raise PageForbidden
    errors = {}
    if request.method == "POST":
        try:
            run = services.run_create(actor=request.user, data=request.POST.dict())
        except DomainError as exc:
            errors = exc.extra.get("fields", {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Evaluation %(n)s computed.") % {"n": run.number})
            return redirect("supervision:evaluation_detail", run_id=run.pk)
    return render(
        request, "supervision/evaluation_form.html", {"data": request.POST, "errors": errors}
    )


def _run(request, run_id: int):
    try:
        return selectors.run_get(user=request.user, run_id=run_id)
    except NotFound:
        raise Http404 from None


@login_required
def evaluation_detail_view(request, run_id: int):
    run = _run(request, run_id)
    scopes = [Scope.PERSON, Scope.TEAM, Scope.DEPARTMENT]
    if not sees_all_runs(request.user):
        scopes = [Scope.PERSON]
    export = request.GET.get("export") == "xlsx"
    wanted = request.GET.get("scope", Scope.PERSON)
    if export and wanted in scopes:
        results = selectors.run_results(user=request.user, run=run, scope=wanted)
        return xlsx_response(
            f"{run.number}-{wanted}",
            result_headers(wanted),
            (result_cells(r) for r in results),
            sheet=str(SCOPE_HEADERS[wanted]),
        )
    can_record = request.user.has_perm(RUN) and run.status in (
        RunStatus.COMPUTED,
        RunStatus.PUBLISHED,
    )
    tables = []
    for scope in scopes:
        results = selectors.run_results(user=request.user, run=run, scope=scope)
        tables.append(
            {
                "scope": scope,
                "title": SCOPE_HEADERS[scope],
                "headers": result_headers(scope),
                "rows": [{"result": r, "cells": result_cells(r), "met": r.met} for r in results],
            }
        )
    return render(
        request,
        "supervision/evaluation_detail.html",
        {
            "run": run,
            "tables": tables,
            "measures": selectors.run_measures(user=request.user, run=run),
            "transitions": allowed_for(EVALUATION, run, request.user),
            "can_record": can_record,
            "sees_all": sees_all_runs(request.user),
        },
    )


@login_required
@require_POST
def evaluation_transition_view(request, run_id: int, transition: str):
    _run(request, run_id)
    try:
        services.run_transition(
            actor=request.user,
            run_id=run_id,
            action=transition,
            note=request.POST.get("note", ""),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("supervision:evaluation_detail", run_id=run_id)
