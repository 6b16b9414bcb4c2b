"""KPI pages (E2.1, E2.2): the dashboard (each KPI against its target, monthly trend, worst
performers) and one KPI's page with its groups and the records behind it (drill-down)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.core.errors import DomainError
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns
from salesdesk.supervision.accuracy import RULES
from salesdesk.supervision.grouping import DIMENSIONS, People
from salesdesk.supervision.kpis import CATALOGUE, kpi_overview
from salesdesk.supervision.selectors_kpis import kpi_drilldown, kpi_people, kpi_read, parse_period

GROUP_LABELS = {
    "person": gettext_lazy("Person"),
    "team": gettext_lazy("Team"),
    "department": gettext_lazy("Department"),
    "month": gettext_lazy("Month"),
}
SORTS = {"day": lambda f: f.day, "label": lambda f: f.label, "result": lambda f: f.in_numerator}
RECORD_COLUMNS = (
    ("day", gettext_lazy("Day")),
    ("label", gettext_lazy("Record")),
    ("result", gettext_lazy("Counted as")),
)


def _people(request) -> set[int] | None:
    """Everyone's facts, or a sales manager's team's; others may not see the pages."""
    try:
        return kpi_people(request.user)
    except DomainError:
        raise PageForbidden from None


def _period_or_default(request):
    try:
        return parse_period(request.GET.get("from"), request.GET.get("to")), None
    except DomainError as exc:
        return parse_period(None, None), str(exc.message)


@login_required
def dashboard_view(request):
    """Every KPI for the period vs its target, the last six months and who misses it most."""
    people = _people(request)
    period, error = _period_or_default(request)
    cards = [kpi_overview(kpi, period, people=people) for kpi in CATALOGUE]
    for card in cards:
        top = max((r["value"] for r in card["trend"] if r["value"] is not None), default=None)
        card["trend_max"] = top or 1
    return render(
        request,
        "supervision/dashboard.html",
        {"cards": cards, "period": period, "error": error, "team_only": people is not None},
    )


def _result_text(kpi, fact) -> str:
    if kpi.statistic != "ratio":
        return str(fact.value)
    if kpi.name == "collection_rate":
        return f"{fact.numerator} / {fact.denominator}"
    return _("met") if fact.in_numerator else _("missed")


def _group_key(key) -> str:
    if key is None:
        return "none"
    return key.strftime("%Y-%m") if hasattr(key, "strftime") else str(key)


def _explain(fact) -> str:
    failed = fact.detail.get("failed")
    if failed:
        return "; ".join(str(RULES[code]) for code in failed)
    return ""


@login_required
def kpi_detail_view(request, name: str):
    """One KPI grouped by person/team/department/month, and its records, filtered to one
    group, sorted, paged and exported to Excel."""
    people = _people(request)
    span, group_by = request.GET.get("span", ""), request.GET.get("group_by") or "person"
    group = request.GET.get("group")
    try:
        kpi, period, rows = kpi_read(
            user=request.user,
            name=name,
            span=span,
            group_by=group_by,
            start=request.GET.get("from"),
            end=request.GET.get("to"),
        )
        _kpi, _period, facts = kpi_drilldown(
            user=request.user,
            name=name,
            span=span,
            group_by=group_by if group not in (None, "") else "",
            group=group,
            start=request.GET.get("from"),
            end=request.GET.get("to"),
        )
    except DomainError as exc:
        return render(request, "supervision/kpi_error.html", {"message": exc.message}, status=422)
    requested = request.GET.get("sort", "day")
    key = requested.lstrip("-") if requested.lstrip("-") in SORTS else "day"
    facts = sorted(facts, key=SORTS[key], reverse=requested.startswith("-"))
    people = People.load(f.person_id for f in facts)
    records = [
        {
            "fact": f,
            "person": people.label("person", f.person_id),
            "result": _result_text(kpi, f),
            "why": _explain(f),
        }
        for f in facts
    ]
    if request.GET.get("export") == "xlsx":
        headers = [
            _("Day"),
            _("Kind"),
            _("Record"),
            _("Person"),
            _("Counted as"),
            _("Reason"),
            _("Link"),
        ]
        lines = (
            [
                r["fact"].day,
                r["fact"].kind,
                r["fact"].label,
                r["person"],
                r["result"],
                r["why"],
                request.build_absolute_uri(r["fact"].url) if r["fact"].url else "",
            ]
            for r in records
        )
        return xlsx_response(f"kpi-{kpi.key.replace(':', '-')}", headers, lines, sheet=kpi.name)
    for row in rows:
        row["group_key"] = _group_key(row.get(group_by))
    context = paginate(request, records)
    context.update(
        kpi=kpi,
        period=period,
        rows=rows,
        group_by=group_by,
        group=group,
        group_label=GROUP_LABELS.get(group_by, ""),
        team_only=people is not None,
        dimensions=[(d, GROUP_LABELS[d]) for d in DIMENSIONS],
        columns=sort_columns(request, requested, RECORD_COLUMNS),
        export_query=query_without(request, "page", "export"),
        base_query=query_without(request, "page", "export", "group", "sort"),
    )
    return render(request, "supervision/kpi_detail.html", context)
