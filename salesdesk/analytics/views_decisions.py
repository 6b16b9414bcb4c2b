"""The decision-support page (A4.1): at-risk customers, opportunities and the forecast.

Each table is built once as (headers, rows); the page shows it and the Excel export writes the
same cells (U11).
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics import decisions
from salesdesk.analytics.analysis import SUMMABLE, Query
from salesdesk.analytics.forecasting import HOLT, METHODS
from salesdesk.analytics.metrics import METRICS
from salesdesk.analytics.views_analysis import FilterMixin, form_error, percent, shown_table
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.exports import xlsx_response

METHOD_LABELS = {HOLT: _("Holt's linear trend"), "seasonal_naive": _("Seasonal naive")}
GRAIN_LABELS = {"month": _("Month"), "quarter": _("Quarter")}


class DecisionsForm(FilterMixin):
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    metric = forms.ChoiceField(label=_("Forecast metric"))
    grain = forms.ChoiceField(label=_("Forecast by"), choices=list(GRAIN_LABELS.items()))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(name, METRICS[name].label) for name in SUMMABLE]


def _defaults(query) -> Any:
    filled = query.copy()
    for key, value in (
        ("as_of", timezone.localdate().isoformat()),
        ("metric", "revenue"),
        ("grain", "month"),
    ):
        if not filled.get(key):
            filled[key] = value
    return filled


def at_risk_table(result: decisions.AtRisk) -> tuple[list, list]:
    headers = [
        _("Customer number"),
        _("Customer"),
        _("Salesperson"),
        _("Baseline revenue / month"),
        _("Recent revenue / month"),
        _("Revenue drop %"),
        _("Baseline orders / month"),
        _("Recent orders / month"),
        _("Orders drop %"),
        _("Last order"),
    ]
    rows = [
        [
            r.customer,
            r.name,
            r.salesperson,
            r.baseline_revenue,
            r.recent_revenue,
            percent(r.revenue_drop),
            r.baseline_orders,
            r.recent_orders,
            percent(r.orders_drop),
            r.last_order,
        ]
        for r in result.rows
    ]
    return headers, rows


def opportunities_table(rows: list[decisions.Opportunity]) -> tuple[list, list]:
    headers = [
        _("Opportunity"),
        _("Customer number"),
        _("Customer"),
        _("Salesperson"),
        _("Category"),
        _("Growth or peer share %"),
        _("Revenue / month at stake"),
    ]
    return headers, [
        [
            str(o.kind_label),
            o.customer,
            o.name,
            o.salesperson,
            o.category,
            percent(o.measure),
            o.value,
        ]
        for o in rows
    ]


def forecast_table(result: decisions.Forecast) -> tuple[list, list]:
    headers = [_("Period"), _("Forecast"), *(METHOD_LABELS[name] for name in METHODS)]
    rows = [[p.period, p.value, *(p.by_method[name] for name in METHODS)] for p in result.points]
    return headers, rows


def error_table(result: decisions.Forecast) -> tuple[list, list]:
    headers = [_("Method"), _("Used"), _("MAE"), _("MAPE %"), _("Forecasts tested")]
    rows = [
        [
            str(METHOD_LABELS[name]),
            str(_("yes")) if name == result.method else "",
            error.mae,
            percent(error.mape),
            error.count,
        ]
        for name, error in result.errors.items()
    ]
    return headers, rows


def backtest_table(result: decisions.Forecast) -> tuple[list, list]:
    headers = [
        _("Period"),
        _("Periods ahead"),
        _("Actual"),
        *(METHOD_LABELS[name] for name in METHODS),
    ]
    rows = [
        [r.period, r.horizon, r.actual, *(r.by_method[name] for name in METHODS)]
        for r in result.backtest
    ]
    return headers, rows


def _tables(form: DecisionsForm, request) -> tuple[dict, dict]:
    data = form.cleaned_data
    query = Query(request.user, "", "", form.slice_filters())
    at_risk = decisions.at_risk_customers(query, data["as_of"])
    result = decisions.forecast(query, data["metric"], data["grain"], data["as_of"])
    tables = {
        "at_risk": at_risk_table(at_risk),
        "opportunities": opportunities_table(decisions.opportunities(query, data["as_of"])),
        "forecast": forecast_table(result),
        "errors": error_table(result),
        "backtest": backtest_table(result),
    }
    facts = {
        "at_risk": at_risk,
        "method": METHOD_LABELS.get(result.method),
        "grain": GRAIN_LABELS[result.grain],
    }
    return tables, facts


@login_required
def decisions_view(request):
    """At-risk customers, opportunities and the forecast with its back-test error (A4.1)."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    form = DecisionsForm(_defaults(request.GET))
    tables: dict = {}
    facts: dict = {}
    if form.is_valid():
        try:
            tables, facts = _tables(form, request)
        except ValidationFailed as exc:
            form_error(form, exc)
    export = request.GET.get("export")
    if export in tables:
        headers, rows = tables[export]
        return xlsx_response(f"decisions-{export}", headers, rows, sheet=export)
    query = _defaults(request.GET)
    query.pop("export", None)
    context = {
        "form": form,
        "export_query": query.urlencode(),
        "tables": {name: shown_table(h, r) for name, (h, r) in tables.items()},
        "shown": 10**9,
        **facts,
    }
    return render(request, "analytics/decisions.html", context)
