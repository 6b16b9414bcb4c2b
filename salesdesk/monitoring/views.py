"""Monitoring pages (R3.1): the warnings board, a warning with its actions and timeline, the
indicators with thresholds and last run, and one indicator's history."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.accounts.roles import role_label
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.core.workflow import allowed_for
from salesdesk.monitoring import selectors, services
from salesdesk.monitoring.forms import NoteForm, WarningFilterForm
from salesdesk.monitoring.indicators import indicator
from salesdesk.monitoring.models import EarlyWarning
from salesdesk.monitoring.policies import RUN, may_view
from salesdesk.monitoring.trend import direction, sparkline
from salesdesk.monitoring.workflow import WARNING

SORTS = {
    "level": "level",
    "indicator": "indicator",
    "subject": "subject_label",
    "value": "value",
    "raised": "first_seen_at",
    "measured": "last_seen_at",
    "due": "due_at",
    "owner": "owner__username",
}
SORT_COLUMNS = (
    ("level", gettext_lazy("Level")),
    ("indicator", gettext_lazy("Indicator")),
    ("subject", gettext_lazy("Subject")),
    ("value", gettext_lazy("Value")),
    ("raised", gettext_lazy("Raised")),
    ("due", gettext_lazy("Respond by")),
    ("owner", gettext_lazy("Owner")),
)
EXPORT_HEADERS = (
    gettext_lazy("Level"),
    gettext_lazy("Indicator"),
    gettext_lazy("Subject"),
    gettext_lazy("Value"),
    gettext_lazy("Unit"),
    gettext_lazy("Threshold"),
    gettext_lazy("Trend"),
    gettext_lazy("Status"),
    gettext_lazy("Back within threshold since"),
    gettext_lazy("Owner"),
    gettext_lazy("Owner role"),
    gettext_lazy("Raised"),
    gettext_lazy("Last measured"),
    gettext_lazy("Respond by"),
    gettext_lazy("Closing note"),
)


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _require_view(user: Any) -> None:
    if not may_view(user):
        raise PageForbidden


def _labels(code: str) -> tuple[Any, Any]:
    definition = indicator(code)
    return (definition.label, definition.unit) if definition else (code, "")


def _row(warning: EarlyWarning, user: Any = None) -> dict[str, Any]:
    label, unit = _labels(warning.indicator)
    values = warning.trend_values
    actions = {t.name for t in allowed_for(WARNING, warning, user)} if user else set()
    return {
        "can_acknowledge": "acknowledge" in actions,
        "warning": warning,
        "indicator_label": label,
        "unit": unit,
        "owner_role_label": role_label(warning.owner_role) if warning.owner_role else "",
        "sparkline": sparkline(values),
        "trend_text": " → ".join(values),
        "direction": direction(values),
    }


def _export_row(warning: EarlyWarning) -> list[Any]:
    label, unit = _labels(warning.indicator)
    return [
        warning.get_level_display(),
        label,
        warning.subject_label,
        warning.value,
        unit,
        warning.threshold,
        " → ".join(warning.trend_values),
        warning.get_status_display(),
        warning.cleared_at,
        str(warning.owner) if warning.owner else "",
        role_label(warning.owner_role) if warning.owner_role else "",
        warning.first_seen_at,
        warning.last_seen_at,
        warning.due_at,
        warning.close_note,
    ]


@login_required
def warning_board_view(request):
    """Live warnings by level, filtered, sorted, paged and exported (R3.1, U11)."""
    _require_view(request.user)
    visible = selectors.warning_list(user=request.user, status="")
    form = WarningFilterForm(request.GET, owners=selectors.owners_of(visible))
    chosen = form.filters()
    warnings = selectors.warning_list(
        user=request.user,
        indicator=chosen.get("indicator", ""),
        level=chosen.get("level", ""),
        status=chosen.get("status", ""),
        owner_id=chosen.get("owner"),
        q=chosen.get("q", ""),
    )
    warnings, sort = sort_queryset(warnings, request.GET.get("sort", ""), SORTS, "level")
    if request.GET.get("export") == "xlsx":
        rows = (_export_row(w) for w in warnings.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        return xlsx_response(f"warnings-{stamp}", EXPORT_HEADERS, rows, sheet=_("Warnings"))
    context = paginate(request, warnings)
    context.update(
        form=form,
        rows=[_row(w, request.user) for w in context["page_obj"]],
        columns=sort_columns(request, sort, SORT_COLUMNS),
        here=request.get_full_path(),
        export_query=query_without(request, "page", "export"),
        can_run=request.user.has_perm(RUN),
    )
    return render(request, "monitoring/warning_board.html", context)


def _warning_or_404(user: Any, warning_id: int) -> EarlyWarning:
    try:
        return selectors.warning_get(user=user, warning_id=warning_id)
    except NotFound:
        raise Http404 from None


@login_required
def warning_detail_view(request, warning_id: int):
    _require_view(request.user)
    warning = _warning_or_404(request.user, warning_id)
    actions = {t.name for t in allowed_for(WARNING, warning, request.user)}
    row = _row(warning)
    return render(
        request,
        "monitoring/warning_detail.html",
        {
            **row,
            "definition": indicator(warning.indicator),
            "trend_points": [(_when(at), value) for at, value in reversed(warning.trend)],
            "can_acknowledge": "acknowledge" in actions,
            "can_close": "close" in actions,
            "note_form": NoteForm(),
        },
    )


def _act(request, warning_id: int, service, done: str):
    _require_view(request.user)
    _warning_or_404(request.user, warning_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else request.POST.get("note", "")
    try:
        service(actor=request.user, warning_id=warning_id, note=note)
    except DomainError as exc:
        fields = exc.extra.get("fields", {})
        detail = " ".join(m for messages_ in fields.values() for m in messages_)
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back.startswith("/monitoring/") and url_has_allowed_host_and_scheme(back, None):
        return redirect(back)
    return redirect("monitoring:warning_detail", warning_id=warning_id)


@login_required
@require_POST
def warning_acknowledge_view(request, warning_id: int):
    return _act(request, warning_id, services.warning_acknowledge, _("Warning acknowledged."))


@login_required
@require_POST
def warning_close_view(request, warning_id: int):
    return _act(request, warning_id, services.warning_close, _("Warning closed."))


@login_required
def indicator_list_view(request):
    """Each indicator: how it is measured, its thresholds and its last run (R3.1)."""
    _require_view(request.user)
    statuses = selectors.indicator_statuses(user=request.user)
    return render(
        request,
        "monitoring/indicator_list.html",
        {
            "statuses": statuses,
            "can_run": request.user.has_perm(RUN),
            "can_edit_policies": request.user.has_perm("core.change_policy"),
        },
    )


@login_required
def indicator_history_view(request, code: str):
    """One indicator's runs (a trend of how many subjects were beyond) and its warnings."""
    _require_view(request.user)
    try:
        status = selectors.indicator_status(user=request.user, code=code)
    except NotFound:
        raise Http404 from None
    warnings = selectors.indicator_history(user=request.user, code=code)
    if request.GET.get("export") == "xlsx":
        rows = (_export_row(w) for w in warnings.iterator(chunk_size=500))
        return xlsx_response(f"warnings-{code}", EXPORT_HEADERS, rows, sheet=_("Warnings"))
    stored = status.state.runs if status.state else []
    runs = [{**run, "at": _when(run["at"])} for run in reversed(stored)]
    context = paginate(request, warnings)
    context.update(
        status=status,
        runs=runs[:20],
        beyond_trend=sparkline([r["warning"] + r["critical"] for r in reversed(runs[:48])]),
        rows=[_row(w) for w in context["page_obj"]],
        export_query=query_without(request, "page", "export"),
    )
    return render(request, "monitoring/indicator_history.html", context)


@login_required
@require_POST
def monitoring_run_view(request):
    """Run the checks now (IT administrators), instead of waiting for the schedule."""
    try:
        results = services.monitoring_run(actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        raised = sum(r.raised for r in results)
        failed = [r.code for r in results if r.error]
        messages.success(
            request,
            _("Checks run: %(count)s indicators, %(raised)s new warnings.")
            % {"count": len(results), "raised": raised},
        )
        if failed:
            messages.error(request, _("Failed: %(codes)s") % {"codes": ", ".join(failed)})
    return redirect("monitoring:indicators")
