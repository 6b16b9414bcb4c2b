"""Dashboard pages (A2.1, A2.2, A4): the management overview and a salesperson's own view.

The figures come from `analytics.dashboard` (which calls `selectors.metric_rows`, scoped to
the viewer); the tables here are built once and both rendered and exported, so an export
holds exactly the rows on screen.
"""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.accounts.selectors import team_member_ids
from salesdesk.analytics import dashboard
from salesdesk.analytics.dashboard_tables import (
    chart_data,
    kpi_table,
    top_table,
    trend_table,
)
from salesdesk.catalog.models import Product
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.exports import xlsx_response
from salesdesk.customers.models import Customer
from salesdesk.orders.models import Channel

CHOICES_LIMIT = 500


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DashboardFilterForm(forms.Form):
    """Period, slice filters and the size of the top-N tables (the page and its exports)."""

    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=list(dashboard.PRESETS.items()),
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    region = forms.CharField(label=gettext_lazy("Region"), required=False, max_length=40)
    industry = forms.CharField(label=gettext_lazy("Industry"), required=False, max_length=60)
    category = forms.CharField(label=gettext_lazy("Category"), required=False, max_length=60)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    salesperson = forms.ChoiceField(label=gettext_lazy("Salesperson"), required=False)
    top = forms.TypedChoiceField(
        label=gettext_lazy("Rows per table"),
        required=False,
        coerce=int,
        empty_value=dashboard.DEFAULT_TOP,
        choices=[(size, size) for size in dashboard.TOP_SIZES],
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def __init__(self, *args, salespeople=None, industries=(), categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" as in the metrics API; not valid Python attribute names.
        fields = list(self.fields.items())
        dates = [("from", _date(gettext_lazy("From"))), ("to", _date(gettext_lazy("To")))]
        self.fields = dict([fields[0], *dates, *fields[1:]])
        self.fields["channel"].choices = [("", _("All")), *Channel.choices]
        if salespeople is None:
            del self.fields["salesperson"]
        else:
            self.fields["salesperson"].choices = [("", _("All")), *salespeople]
        for name, values in (("industry", industries), ("category", categories)):
            self.fields[name].widget.attrs["list"] = f"dashboard-{name}-list"
            self.fields[name].values = values


def sees_beyond_own(user: Any) -> bool:
    return user.has_perm("customers.view_all_customers") or user.has_perm(
        "customers.view_team_customers"
    )


def _salespeople(user: Any) -> list[tuple[str, str]]:
    owners = Customer.objects.values("owner_id")
    people = get_user_model().objects.filter(pk__in=owners)
    if not user.has_perm("customers.view_all_customers"):
        people = people.filter(pk__in=team_member_ids(user))
    rows = people.order_by("username").values_list("username", "first_name", "last_name")
    return [(name, f"{name} {first} {last}".strip()) for name, first, last in rows[:CHOICES_LIMIT]]


def _distinct(queryset, column: str) -> list[str]:
    rows = queryset.exclude(**{column: ""}).values_list(column, flat=True).distinct()
    return list(rows.order_by(column)[:CHOICES_LIMIT])


def _form(request, *, mine: bool) -> DashboardFilterForm:
    data = request.GET.copy()
    dated = data.get("from") or data.get("to")  # a range alone, as the API takes it
    preset = "custom" if dated else dashboard.DEFAULT_PRESET
    for name, default in (("period", preset), ("top", dashboard.DEFAULT_TOP)):
        if not data.get(name):
            data[name] = str(default)
    return DashboardFilterForm(
        data,
        salespeople=None if mine else _salespeople(request.user),
        industries=_distinct(Customer.objects.all(), "industry"),
        categories=_distinct(Product.objects.all(), "category"),
    )


def _choices(form: DashboardFilterForm) -> tuple[dashboard.DashboardPeriod, dict, int]:
    """The chosen period, filters and top size; invalid input falls back to the defaults and
    the errors stay on the form."""
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    try:
        period = dashboard.period_resolve(
            data.get("period") or dashboard.DEFAULT_PRESET,
            data["from"].isoformat() if data.get("from") else "",
            data["to"].isoformat() if data.get("to") else "",
            today=today,
        )
    except ValidationFailed as exc:
        field = exc.extra.get("field") if exc.extra.get("field") in ("from", "to") else None
        form.add_error(field, str(exc.message))
        period = dashboard.period_resolve(dashboard.DEFAULT_PRESET, today=today)
    return period, dashboard.clean_filters(data), data.get("top") or dashboard.DEFAULT_TOP


def _export(request, name: str, period, filters: dict, size: int, top_dimensions):
    user = request.user
    if name == "kpis":
        table = kpi_table(dashboard.dashboard_tiles(user=user, period=period, filters=filters))
    elif name == "trend":
        table = trend_table(
            dashboard.dashboard_trend(user=user, period=period, filters=filters), period
        )
    elif name.startswith("top-") and name[4:] in top_dimensions:
        dimension = name[4:]
        rows = dashboard.dashboard_top(
            user=user, period=period, filters=filters, dimension=dimension, size=size
        )
        table = top_table(dimension, rows)
    else:
        return None
    stamp = f"{period.current.start.isoformat()}_{period.current.end.isoformat()}"
    return xlsx_response(
        f"dashboard-{name}-{stamp}",
        [header["label"] for header in table["headers"]],
        ([cell["value"] for cell in row] for row in table["rows"]),
        sheet=table["title"],
    )


def _page(request, *, mine: bool):
    user = request.user
    form = _form(request, mine=mine)
    period, filters, size = _choices(form)
    if mine and sees_beyond_own(user):
        filters["salesperson"] = user.username
    top_dimensions = ("customer", "product") if mine else tuple(dashboard.TOP_DIMENSIONS)
    export = request.GET.get("export")
    if export:
        response = _export(request, export, period, filters, size, top_dimensions)
        if response is not None:
            return response
    overview = dashboard.dashboard_overview(
        user=user, period=period, filters=filters, top_size=size, top_dimensions=top_dimensions
    )
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "analytics/dashboard.html",
        {
            "mine": mine,
            "form": form,
            "overview": overview,
            "tiles": kpi_table(overview.tiles),
            "trend": trend_table(overview.trend, period),
            "tops": [top_table(d, rows) for d, rows in overview.tops.items()],
            "chart": chart_data(overview.trend, period),
            "export_query": query.urlencode(),
            "can_see_overview": sees_beyond_own(user),
        },
    )


@login_required
def dashboard_overview_view(request):
    """Management overview (A2.1, A2.2, A4): managers and roles that see every customer;
    salespeople are sent to their own view."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    if not sees_beyond_own(request.user):
        query = request.GET.urlencode()
        return redirect(f"{reverse('analytics:mine')}{'?' + query if query else ''}")
    return _page(request, mine=False)


@login_required
def dashboard_mine_view(request):
    """A salesperson's own figures: only the customers they may see (A2.1, C3.3)."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    return _page(request, mine=True)
