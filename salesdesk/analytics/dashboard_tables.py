"""The dashboards' tables and chart data (A2.1, U11): built once, rendered and exported.

Each table is `{"id", "title", "export", "headers": [{"label", "num"}], "rows": [[cell]]}`
with cells `{"value", "text", "num"}`: the page shows `text`, the Excel export writes `value`,
so both hold the same rows in the same order.
"""

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.analytics.dashboard import TOP_DIMENSIONS, DashboardPeriod, Tile
from salesdesk.catalog.models import Product
from salesdesk.customers.models import Customer

DASH = "—"


def format_value(value: Any, unit: str) -> str:
    if value is None:
        return DASH
    if unit == "money":
        return number_format(value, 2, force_grouping=True)
    if unit == "ratio":
        return f"{number_format(value * 100, 1)} %"
    if unit == "score":
        return number_format(value, 2)
    if unit == "count":
        return number_format(value, 0, force_grouping=True)
    return str(value)


def format_change(value: Decimal | None, unit: str) -> str:
    """Relative change in percent; ratios in percentage points and scores in points."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else ""
    if unit == "ratio":
        return _("%(value)s pt") % {"value": f"{sign}{number_format(value * 100, 1)}"}
    if unit == "score":
        return f"{sign}{number_format(value, 2)}"
    return f"{sign}{number_format(value * 100, 1)} %"


def cell(value: Any, text: str | None = None, *, num: bool = False) -> dict[str, Any]:
    return {"value": value, "text": text if text is not None else str(value), "num": num}


def _header(label: Any, num: bool = False) -> dict[str, Any]:
    return {"label": label, "num": num}


def _value_text(tile: Tile) -> str:
    if tile.unavailable:
        return _("not available with these filters")
    return format_value(tile.value, tile.unit)


def kpi_table(tiles: list[Tile]) -> dict[str, Any]:
    """The KPI tiles as a table: value, comparison values and changes."""
    rows = []
    for tile in tiles:
        unit = tile.unit
        rows.append(
            [
                cell(str(tile.label)),
                cell(tile.value, _value_text(tile), num=True),
                cell(tile.previous, format_value(tile.previous, unit), num=True),
                cell(tile.change_previous, format_change(tile.change_previous, unit), num=True),
                cell(tile.year_ago, format_value(tile.year_ago, unit), num=True),
                cell(tile.change_year_ago, format_change(tile.change_year_ago, unit), num=True),
            ]
        )
    return {
        "id": "kpis",
        "title": _("Key figures"),
        "export": "kpis",
        "headers": [
            _header(_("Figure")),
            _header(_("This period"), True),
            _header(_("Previous period"), True),
            _header(_("Change"), True),
            _header(_("A year earlier"), True),
            _header(_("Change"), True),
        ],
        "rows": rows,
        "tiles": tiles,
    }


def _bucket_label(period: DashboardPeriod) -> str:
    return _("Day") if period.trend_bucket == "day" else _("Month")


def trend_table(trend: list[dict[str, Any]], period: DashboardPeriod) -> dict[str, Any]:
    """Revenue, gross margin and orders per day or month: the charts' text alternative."""
    pattern = "Y-m-d" if period.trend_bucket == "day" else "Y-m"

    rows = [
        [
            cell(row["bucket"], date_format(row["bucket"], pattern)),
            cell(row["revenue"], format_value(row["revenue"], "money"), num=True),
            cell(row["gross_margin"], format_value(row["gross_margin"], "money"), num=True),
            cell(row["orders"], format_value(row["orders"], "count"), num=True),
        ]
        for row in trend
    ]
    return {
        "id": "trend",
        "title": _("Trend"),
        "export": "trend",
        "headers": [
            _header(_bucket_label(period)),
            _header(_("Revenue"), True),
            _header(_("Gross margin"), True),
            _header(_("Orders"), True),
        ],
        "rows": rows,
    }


def _names(dimension: str, keys: list[Any]) -> dict[Any, str]:
    """Display names of the shown keys only (one query per table)."""
    if dimension == "customer":
        rows = Customer.objects.filter(code__in=keys).values_list(
            "code", "short_name", "legal_name"
        )
        return {code: short or legal for code, short, legal in rows}
    if dimension == "product":
        return dict(Product.objects.filter(sku__in=keys).values_list("sku", "name"))
    if dimension == "salesperson":
        rows = get_user_model().objects.filter(username__in=keys)
        return {user.username: user.get_full_name() for user in rows}
    return {}


KEY_LABELS = {
    "customer": (gettext_lazy("Customer number"), gettext_lazy("Customer")),
    "product": (gettext_lazy("SKU"), gettext_lazy("Product")),
    "salesperson": (gettext_lazy("Username"), gettext_lazy("Salesperson")),
    "region": (gettext_lazy("Region"), None),
}


def top_table(dimension: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One top-N table: rank, key, name (where there is one) and revenue."""
    names = _names(dimension, [row["key"] for row in rows])
    key_label, name_label = KEY_LABELS[dimension]
    headers = [_header(_("Rank"), True), _header(key_label)]
    if name_label:
        headers.append(_header(name_label))
    headers.append(_header(_("Revenue"), True))
    table_rows = []
    for row in rows:
        key = row["key"] or ""
        cells = [cell(row["rank"], num=True), cell(key, key or _("(none)"))]
        if name_label:
            cells.append(cell(names.get(key, "")))
        cells.append(cell(row["revenue"], format_value(row["revenue"], "money"), num=True))
        table_rows.append(cells)
    return {
        "id": f"top-{dimension}",
        "title": str(TOP_DIMENSIONS[dimension]),
        "export": f"top-{dimension}",
        "headers": headers,
        "rows": table_rows,
    }


def chart_data(trend: list[dict[str, Any]], period: DashboardPeriod) -> dict[str, Any]:
    """What dashboard.js plots: x values and the series, as strings (no float rounding here)."""
    return {
        "x": [row["bucket"].isoformat() for row in trend],
        "xKind": period.trend_bucket,
        "money": [
            {"name": _("Revenue"), "type": "bar", "y": [str(r["revenue"]) for r in trend]},
            {
                "name": _("Gross margin"),
                "type": "scatter",
                "y": [str(r["gross_margin"]) for r in trend],
            },
        ],
        "orders": [{"name": _("Orders"), "type": "bar", "y": [r["orders"] for r in trend]}],
    }
