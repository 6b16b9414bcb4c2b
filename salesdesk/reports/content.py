"""The figures of a report pack, all taken from the one metric definitions (A3.1, A2.2).

Nothing here computes a metric: every number comes from `analytics.metrics` over the whole
company (a pack is a company document; who may read it is decided by the pack permission).
What this module adds is the choice of periods and slices, and the differences between two
values of the same metric. The result is JSON-ready: decimals as strings, None as null.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from salesdesk.analytics.metrics import metric_get
from salesdesk.analytics.slicing import Period, Slice, buckets
from salesdesk.catalog.models import Product
from salesdesk.customers.models import Customer
from salesdesk.reports import periods

SUMMARY_METRICS = (
    "revenue",
    "gross_margin",
    "gross_margin_rate",
    "order_count",
    "average_order_value",
    "customer_count",
    "new_customers",
    "churn_rate",
    "on_time_delivery_rate",
    "satisfaction",
)
# Metrics that compare a period with another: asked per bucket so that a month compares with
# the previous calendar month (docs/metrics.md, "Previous period").
BUCKETED = {"churn_rate", "growth_rate", "growth_rate_yoy"}
# Changes of ratios and scores are differences (points); of amounts and counts, growth rates.
DIFFERENCE_UNITS = {"ratio", "score"}
BREAKDOWNS = ("region", "category", "salesperson", "channel")
TOP = {"customer": 10, "product": 10}
RULE_SEGMENTS = ("region", "category", "salesperson", "customer")
DELIVERY_SLICES = ("ship_mode", "region")
TREND_MONTHS = 12


def metric_value(metric: str, period: Period, bucket: str) -> Decimal | None:
    """One metric over the whole company for one period (a month or a quarter)."""
    definition = metric_get(metric)
    if metric in BUCKETED:
        rows = definition.compute(Slice(), period, [bucket])
        return rows[0]["value"] if rows else None
    return definition.compute(Slice(), period, [])[0]["value"]


def metric_by(metric: str, period: Period, dimension: str) -> dict[str, Decimal | None]:
    """One metric per value of a dimension, e.g. revenue per region."""
    rows = metric_get(metric).compute(Slice(), period, [dimension])
    return {row[dimension]: row["value"] for row in rows}


def change(current: Decimal | None, before: Decimal | None, unit: str) -> Decimal | None:
    """Points for ratios and scores, a growth rate for amounts and counts."""
    if current is None or before is None:
        return None
    if unit in DIFFERENCE_UNITS:
        return current - before
    if not before:
        return None
    return ((current - before) / before).quantize(Decimal("0.0001"))


@dataclass
class Figures:
    """Everything the pack shows and the rules read, for one kind and period."""

    kind: str
    period: Period
    previous: Period
    year_before: Period
    metrics: list[dict[str, Any]] = field(default_factory=list)
    breakdowns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    top: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trend: list[dict[str, Any]] = field(default_factory=list)
    # For the rules: per dimension, {segment: (current, previous)}.
    segments: dict[str, dict[str, tuple]] = field(default_factory=dict)
    margin_rates: dict[str, dict[str, tuple]] = field(default_factory=dict)
    delivery: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)

    def metric(self, name: str) -> dict[str, Any]:
        return next(row for row in self.metrics if row["metric"] == name)


def _summary(figures: Figures) -> list[dict[str, Any]]:
    bucket = periods.BUCKET[figures.kind]
    rows = []
    for name in SUMMARY_METRICS:
        definition = metric_get(name)
        value = metric_value(name, figures.period, bucket)
        before = metric_value(name, figures.previous, bucket)
        year_ago = metric_value(name, figures.year_before, bucket)
        if name == "revenue":  # revenue growth is itself a metric: take it, not a recount
            change_previous = metric_value("growth_rate", figures.period, bucket)
            change_year = metric_value("growth_rate_yoy", figures.period, bucket)
        else:
            change_previous = change(value, before, definition.unit)
            change_year = change(value, year_ago, definition.unit)
        rows.append(
            {
                "metric": name,
                "unit": definition.unit,
                "value": value,
                "previous": before,
                "year_ago": year_ago,
                "change_previous": change_previous,
                "change_year": change_year,
            }
        )
    return rows


def _breakdown(figures: Figures, dimension: str) -> list[dict[str, Any]]:
    revenue = metric_by("revenue", figures.period, dimension)
    before = metric_by("revenue", figures.previous, dimension)
    margin = metric_by("gross_margin", figures.period, dimension)
    rate = metric_by("gross_margin_rate", figures.period, dimension)
    total = sum(revenue.values(), Decimal(0))
    rows = [
        {
            "key": key,
            "revenue": revenue.get(key, Decimal("0.00")),
            "previous": before.get(key, Decimal("0.00")),
            "change": change(revenue.get(key), before.get(key), "money"),
            "gross_margin": margin.get(key, Decimal("0.00")),
            "gross_margin_rate": rate.get(key),
            "share": (revenue.get(key, 0) / total).quantize(Decimal("0.0001")) if total else None,
        }
        for key in set(revenue) | set(before)
    ]
    rows.sort(key=lambda row: (-row["revenue"], -row["previous"], str(row["key"])))
    figures.segments[dimension] = {row["key"]: (row["revenue"], row["previous"]) for row in rows}
    return rows


def _names(dimension: str, keys: list[str]) -> dict[str, str]:
    if dimension == "customer":
        found = Customer.objects.filter(code__in=keys).values_list("code", "legal_name")
    else:
        found = Product.objects.filter(sku__in=keys).values_list("sku", "name")
    return dict(found)


def _trend(figures: Figures) -> list[dict[str, Any]]:
    window = periods.trailing_months(figures.period, TREND_MONTHS)
    revenue = metric_by("revenue", window, "month")
    margin = metric_by("gross_margin", window, "month")
    return [
        {
            "month": month,
            "revenue": revenue.get(month, Decimal("0.00")),
            "gross_margin": margin.get(month, Decimal("0.00")),
        }
        for month in buckets("month", window)
    ]


def collect(kind: str, period: Period) -> Figures:
    """Compute every figure of the pack of `kind` for `period` (A3.1)."""
    figures = Figures(
        kind=kind,
        period=period,
        previous=periods.previous(kind, period),
        year_before=periods.year_before(kind, period),
    )
    figures.metrics = _summary(figures)
    for dimension in BREAKDOWNS:
        figures.breakdowns[dimension] = _breakdown(figures, dimension)
    for dimension, count in TOP.items():
        rows = _breakdown(figures, dimension)
        rows = [row for row in rows if row["revenue"] > 0][:count]
        names = _names(dimension, [row["key"] for row in rows])
        figures.top[dimension] = [{**row, "name": names.get(row["key"], "")} for row in rows]
    figures.margin_rates = {
        "category": _pairs("gross_margin_rate", figures, "category"),
    }
    for dimension in DELIVERY_SLICES:
        figures.delivery[dimension] = metric_by("on_time_delivery_rate", figures.period, dimension)
    figures.trend = _trend(figures)
    return figures


def _pairs(metric: str, figures: Figures, dimension: str) -> dict[str, tuple]:
    current = metric_by(metric, figures.period, dimension)
    before = metric_by(metric, figures.previous, dimension)
    return {key: (current.get(key), before.get(key)) for key in set(current) | set(before)}


def to_json(value: Any) -> Any:
    """Decimals and dates as strings, recursively: what the JSON fields store."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value
