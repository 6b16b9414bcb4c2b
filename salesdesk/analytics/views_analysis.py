"""The analysis page (A2.1): period comparison, top-N and revenue drivers, each exportable.

Each table is built once as (headers, rows); the page shows it and the Excel export writes the
same cells (U11).
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics import analysis
from salesdesk.analytics.analysis import SUMMABLE, Query
from salesdesk.analytics.drivers import EFFECTS, Drivers, revenue_drivers
from salesdesk.analytics.metrics import METRICS
from salesdesk.analytics.slicing import SLICE_COLUMNS
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate

HUNDRED = Decimal(100)
PERCENT = Decimal("0.01")
SHOWN = 50
DIMENSION_LABELS = {
    "customer": _("Customer"),
    "industry": _("Industry"),
    "country": _("Country/region"),
    "region": _("Region"),
    "province": _("Province"),
    "product": _("Product (SKU)"),
    "category": _("Category"),
    "salesperson": _("Salesperson"),
    "channel": _("Channel"),
    "ship_mode": _("Ship mode"),
}
EFFECT_LABELS = {
    "volume": _("Volume effect"),
    "mix": _("Mix effect"),
    "price": _("Price effect"),
    "new": _("New products"),
    "discontinued": _("Discontinued products"),
}
STATUS_LABELS = {
    "continuing": _("Continuing"),
    "new": _("New"),
    "discontinued": _("Discontinued"),
}
COMPARE_SORTS = {
    "key": _("Group"),
    "-current": _("Current, largest first"),
    "-change": _("Change, largest first"),
    "change": _("Change, smallest first"),
    "-change_rate": _("Change rate, largest first"),
    "change_rate": _("Change rate, smallest first"),
}


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


def dimension_choices(blank: Any = None) -> list[tuple[str, Any]]:
    choices = [(name, DIMENSION_LABELS[name]) for name in SLICE_COLUMNS]
    return [("", blank), *choices] if blank is not None else choices


class FilterMixin(forms.Form):
    filter_dimension = forms.ChoiceField(label=_("Only where"), required=False, choices=())
    filter_value = forms.CharField(label=_("is"), required=False, max_length=150)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filter_dimension"].choices = dimension_choices(_("(no filter)"))

    def slice_filters(self) -> dict[str, str]:
        data = self.cleaned_data
        if data.get("filter_dimension") and data.get("filter_value"):
            return {data["filter_dimension"]: data["filter_value"]}
        return {}


class AnalysisForm(FilterMixin):
    metric = forms.ChoiceField(label=_("Metric"))
    dimension = forms.ChoiceField(label=_("Break down by"))
    start = _date(_("From"))
    end = _date(_("To"))
    basis = forms.ChoiceField(
        label=_("Compare with"),
        choices=[("previous", _("Previous period")), ("year", _("Same period last year"))],
    )
    n = forms.IntegerField(label=_("Top"), min_value=1, max_value=analysis.MAX_TOP)
    sort = forms.ChoiceField(label=_("Sort comparison by"), required=False, choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.name, m.label) for m in METRICS.values()]
        self.fields["dimension"].choices = dimension_choices()
        self.fields["sort"].choices = list(COMPARE_SORTS.items())


def _defaults(query) -> Any:
    """The last complete month, revenue by category, where nothing is chosen."""
    filled = query.copy()
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    for key, value in (
        ("metric", "revenue"),
        ("dimension", "category"),
        ("start", last.replace(day=1).isoformat()),
        ("end", last.isoformat()),
        ("basis", "previous"),
        ("n", "10"),
        ("sort", "-change"),
    ):
        if not filled.get(key):
            filled[key] = value
    return filled


def percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * HUNDRED).quantize(PERCENT)


def _sorted(rows: list, sort: str) -> list:
    key = sort.lstrip("-")
    if key == "key":
        return sorted(rows, key=lambda row: [str(part) for part in row.key])
    present = [row for row in rows if getattr(row, key) is not None]
    missing = [row for row in rows if getattr(row, key) is None]
    present.sort(key=lambda row: getattr(row, key), reverse=sort.startswith("-"))
    return present + missing


def compare_table(result: analysis.Comparison, sort: str) -> tuple[list, list]:
    headers = [DIMENSION_LABELS[d] for d in result.group_by] or [_("Total")]
    headers += [_("Current"), _("Compared"), _("Change"), _("Change %")]
    rows = [
        [*(row.key or ("",)), row.current, row.previous, row.change, percent(row.change_rate)]
        for row in _sorted(result.rows, sort)
    ]
    return headers, rows


def top_table(result: analysis.Top) -> tuple[list, list]:
    headers = [_("Rank"), DIMENSION_LABELS[result.dimension], _("Value"), _("Share %")]
    rows = [[row.rank, row.key, row.value, percent(row.share)] for row in result.rows]
    if result.others is not None:
        others = result.others
        label = _("All others (%(count)s)") % {"count": others.groups}
        rows.append(["", label, others.value, percent(others.share)])
    rows.append(["", _("Total"), result.total, percent(Decimal(1) if result.total else None)])
    return headers, rows


def contributions_table(result: Drivers) -> tuple[list, list]:
    headers = [
        DIMENSION_LABELS[result.dimension],
        _("Compared revenue"),
        _("Revenue"),
        _("Contribution"),
        _("Share of change %"),
    ]
    rows = [[c.key, c.before, c.after, c.change, percent(c.share)] for c in result.contributions]
    rows.append([_("Total"), result.revenue_before, result.revenue_after, result.change, None])
    return headers, rows


def effects_table(result: Drivers) -> tuple[list, list]:
    headers = [_("Effect"), _("Amount"), _("Share of change %")]
    rows = [
        [EFFECT_LABELS[name], getattr(result.effects, name), percent(result.effect_share(name))]
        for name in EFFECTS
    ]
    rows.append([_("Change in revenue"), result.change, None])
    return headers, rows


def products_table(result: Drivers) -> tuple[list, list]:
    headers = [
        _("SKU"),
        _("Status"),
        _("Compared quantity"),
        _("Quantity"),
        _("Compared average price"),
        _("Average price"),
        _("Price effect"),
        _("Quantity effect"),
        _("Change in revenue"),
    ]
    rows = [
        [
            p.sku,
            STATUS_LABELS[p.status],
            p.quantity_before,
            p.quantity_after,
            p.price_before,
            p.price_after,
            p.price_effect,
            p.quantity_effect,
            p.change,
        ]
        for p in result.products
    ]
    return headers, rows


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def shown_table(headers: list, rows: list, limit: int | None = None) -> tuple[list, list, int]:
    """(headers, rows, row count) for the template: a column of numbers is right-aligned,
    its header and empty cells too."""
    numeric = {i for row in rows for i, value in enumerate(row) if _is_number(value)}
    head = [{"label": label, "num": i in numeric} for i, label in enumerate(headers)]
    body = [
        [{"value": value, "num": i in numeric} for i, value in enumerate(row)]
        for row in rows[:limit]
    ]
    return head, body, len(rows)


def form_error(form: forms.Form, exc: ValidationFailed) -> None:
    name = (exc.extra or {}).get("field")
    form.add_error(name if name in form.fields else None, str(exc.message))


def _tables(form: AnalysisForm, request) -> dict[str, tuple[list, list]]:
    data = form.cleaned_data
    query = Query(
        request.user, data["start"].isoformat(), data["end"].isoformat(), form.slice_filters()
    )
    dimension = data["dimension"]
    tables = {
        "compare": compare_table(
            analysis.compare(query, data["metric"], dimension, data["basis"]),
            data.get("sort") or "-change",
        )
    }
    if data["metric"] in SUMMABLE:
        tables["top"] = top_table(analysis.top_n(query, data["metric"], dimension, data["n"]))
    drivers = revenue_drivers(query, dimension, data["basis"])
    tables["contributions"] = contributions_table(drivers)
    tables["effects"] = effects_table(drivers)
    tables["products"] = products_table(drivers)
    return tables


@login_required
def analysis_view(request):
    """Comparison, top-N and driver analysis of the chosen metric and period (A2.1)."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    form = AnalysisForm(_defaults(request.GET))
    tables: dict[str, tuple[list, list]] = {}
    if form.is_valid():
        try:
            tables = _tables(form, request)
        except ValidationFailed as exc:
            form_error(form, exc)
    export = request.GET.get("export")
    if export in tables:
        headers, rows = tables[export]
        return xlsx_response(f"analysis-{export}", headers, rows, sheet=export)
    query = _defaults(request.GET)
    query.pop("export", None)
    shown = {name: shown_table(h, r, SHOWN) for name, (h, r) in tables.items()}
    compare = shown_table(*tables["compare"]) if tables else ([], [], 0)
    context = {
        "form": form,
        "export_query": query.urlencode(),
        "compare_headers": compare[0],
        **paginate(request, compare[1]),
        "tables": shown,
        "shown": SHOWN,
        "summable": ", ".join(SUMMABLE),
    }
    return render(request, "analytics/analysis.html", context)
