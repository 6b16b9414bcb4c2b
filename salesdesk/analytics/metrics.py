"""Each sales metric defined once (A2.2): pages, the API and reports all compute through here.

A metric is `compute(sales_slice, period, group_by) -> rows`; every row carries the group's
dimension values and "value" (a Decimal, or None where the metric is undefined). Formulas,
units and edge cases are documented in docs/metrics.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.models import CustomerFirstOrder, DailySales, SalesFact
from salesdesk.analytics.slicing import (
    ORDER_LEVEL,
    SLICE_COLUMNS,
    TIME_DIMENSIONS,
    Period,
    Slice,
    apply_slice,
    bucket_next,
    bucket_shift,
    buckets,
    grouped,
    key_of,
    time_dimension,
)
from salesdesk.core.errors import ValidationFailed
from salesdesk.shipping.models import SurveyResponse

ZERO = Decimal(0)
MONEY = Decimal("0.01")
RATE = Decimal("0.0001")
Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Metric:
    """One metric: its name, label, formula text, unit and the function that computes it."""

    name: str
    label: Any
    formula: Any
    unit: str
    compute: Callable[[Slice, Period, list[str]], Rows]


def _ratio(numerator: Any, denominator: Any) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator or 0) / Decimal(denominator)).quantize(RATE)


def _rollup(sales_slice: Slice, period: Period):
    rows = DailySales.objects.filter(day__gte=period.start, day__lte=period.end)
    return apply_slice(rows, sales_slice, SLICE_COLUMNS)


def _sum_rows(sales_slice, period, group_by, measures, value) -> Rows:
    """Aggregate rollup measures per group; an ungrouped empty period still gives one row."""
    rows = grouped(_rollup(sales_slice, period), "day", group_by, SLICE_COLUMNS, **measures)
    if not group_by and not rows:
        rows = [dict.fromkeys(measures)]
    return [{**{d: row[d] for d in group_by}, "value": value(row)} for row in rows]


def _money(total: Any) -> Decimal:
    return Decimal(total or 0).quantize(MONEY)


def revenue(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    measures = {"m_revenue": Sum("revenue")}
    return _sum_rows(sales_slice, period, group_by, measures, lambda r: _money(r["m_revenue"]))


def quantity(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    measures = {"m_quantity": Sum("quantity")}
    return _sum_rows(
        sales_slice, period, group_by, measures, lambda r: Decimal(r["m_quantity"] or 0)
    )


def gross_margin(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    measures = {"m_margin": Sum(F("revenue") - F("cost"))}
    return _sum_rows(sales_slice, period, group_by, measures, lambda r: _money(r["m_margin"]))


def gross_margin_rate(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    measures = {"m_revenue": Sum("revenue"), "m_cost": Sum("cost")}
    return _sum_rows(
        sales_slice,
        period,
        group_by,
        measures,
        lambda r: _ratio((r["m_revenue"] or 0) - (r["m_cost"] or 0), r["m_revenue"]),
    )


def _orders_and_revenue(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    """Per group: orders and revenue. Order-level slices sum the rollup's first-line counts;
    product-level slices (product, category, ship mode) count distinct order numbers in facts."""
    if set(group_by) | sales_slice.dimensions() <= ORDER_LEVEL:
        measures = {"m_orders": Sum("orders"), "m_revenue": Sum("revenue")}
        return grouped(_rollup(sales_slice, period), "day", group_by, SLICE_COLUMNS, **measures)
    facts = SalesFact.objects.filter(order_date__gte=period.start, order_date__lte=period.end)
    facts = apply_slice(facts, sales_slice, SLICE_COLUMNS)
    measures = {
        "m_orders": Count("order_number", distinct=True),
        "m_revenue": Sum("revenue"),
    }
    return grouped(facts, "order_date", group_by, SLICE_COLUMNS, **measures)


def _with_empty(rows: Rows, group_by: list[str], **empty) -> Rows:
    return rows if group_by or rows else [empty]


def order_count(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    rows = _with_empty(_orders_and_revenue(sales_slice, period, group_by), group_by, m_orders=0)
    return [{**{d: r[d] for d in group_by}, "value": Decimal(r["m_orders"] or 0)} for r in rows]


def average_order_value(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    rows = _with_empty(
        _orders_and_revenue(sales_slice, period, group_by), group_by, m_orders=0, m_revenue=0
    )
    return [
        {
            **{d: r[d] for d in group_by},
            "value": (Decimal(r["m_revenue"]) / r["m_orders"]).quantize(MONEY)
            if r["m_orders"]
            else None,
        }
        for r in rows
    ]


def customer_count(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    measures = {"m_customers": Count("customer_code", distinct=True)}
    return _sum_rows(
        sales_slice, period, group_by, measures, lambda r: Decimal(r["m_customers"] or 0)
    )


def new_customers(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    """Customers whose first order ever (in any slice) falls in the period, counted on that day."""
    firsts = CustomerFirstOrder.objects.filter(day__gte=period.start, day__lte=period.end)
    first_day = CustomerFirstOrder.objects.filter(
        customer_code=OuterRef("customer_code"), day=OuterRef("day")
    )
    rows = _rollup(sales_slice, period).filter(
        Exists(first_day), customer_code__in=firsts.values("customer_code")
    )
    result = grouped(
        rows, "day", group_by, SLICE_COLUMNS, m_new=Count("customer_code", distinct=True)
    )
    return [{**{d: r[d] for d in group_by}, "value": Decimal(r["m_new"] or 0)} for r in result]


def _compare(sales_slice, period, group_by, *, year: bool, collect, combine) -> Rows:
    """Compare each group with the same group in the comparison period.

    Ungrouped by time, the comparison period is the previous period of equal length (or the
    same period a year earlier). Grouped by time, each bucket is compared with the whole
    previous bucket of the same kind (or the same bucket a year earlier)."""
    dim = time_dimension(group_by)
    others = [d for d in group_by if d not in TIME_DIMENSIONS]
    if dim is None:
        earlier = period.year_before() if year else period.previous()
        current = collect(sales_slice, period, others)
        before = collect(sales_slice, earlier, others)
        keys = sorted(set(current) | set(before), key=str)
        rows = [
            {
                **dict(zip(others, key, strict=True)),
                "value": combine(current.get(key), before.get(key)),
            }
            for key in keys
        ]
        return rows or ([] if others else [{"value": None}])
    starts = buckets(dim, period)
    shifted = [bucket_shift(dim, start, year=year) for start in starts]
    earlier = Period(shifted[0], bucket_next(dim, shifted[-1]) - timedelta(days=1))
    current = collect(sales_slice, period, [dim, *others])
    before = collect(sales_slice, earlier, [dim, *others])
    rows = []
    for start, compared in zip(starts, shifted, strict=True):
        keys = {k[1:] for k in current if k[0] == start} | {
            k[1:] for k in before if k[0] == compared
        }
        for key in sorted(keys, key=str):
            value = combine(current.get((start, *key)), before.get((compared, *key)))
            row = {dim: start, **dict(zip(others, key, strict=True))}
            rows.append({d: row[d] for d in group_by} | {"value": value})
    return rows


def _revenue_by_key(sales_slice: Slice, period: Period, group_by: list[str]) -> dict:
    rows = grouped(
        _rollup(sales_slice, period), "day", group_by, SLICE_COLUMNS, m_revenue=Sum("revenue")
    )
    return {key_of(row, group_by): row["m_revenue"] for row in rows}


def _growth(current: Any, before: Any) -> Decimal | None:
    if not before:
        return None
    return ((Decimal(current or 0) - Decimal(before)) / Decimal(before)).quantize(RATE)


def growth_rate(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    return _compare(
        sales_slice, period, group_by, year=False, collect=_revenue_by_key, combine=_growth
    )


def growth_rate_yoy(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    return _compare(
        sales_slice, period, group_by, year=True, collect=_revenue_by_key, combine=_growth
    )


def _customers_by_key(sales_slice: Slice, period: Period, group_by: list[str]) -> dict:
    rows = grouped(
        _rollup(sales_slice, period),
        "day",
        [*group_by, "customer"],
        SLICE_COLUMNS,
        m_lines=Sum("lines"),
    )
    result: dict[tuple, set] = {}
    for row in rows:
        result.setdefault(key_of(row, group_by), set()).add(row["customer"])
    return result


def _churn(current: set | None, before: set | None) -> Decimal | None:
    if not before:
        return None
    return _ratio(len(before - (current or set())), len(before))


def churn_rate(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    return _compare(
        sales_slice, period, group_by, year=False, collect=_customers_by_key, combine=_churn
    )


def on_time_delivery_rate(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    measures = {"m_delivered": Sum("delivered_lines"), "m_on_time": Sum("on_time_lines")}
    return _sum_rows(
        sales_slice, period, group_by, measures, lambda r: _ratio(r["m_on_time"], r["m_delivered"])
    )


# Survey answers know their customer and shipment, not the order line: no product slices.
SURVEY_COLUMNS = {
    "customer": "customer__code",
    "industry": "customer__industry",
    "country": "customer__country",
    "province": "customer__province",
    "salesperson": "customer__owner__username",
    "channel": "shipment__order__channel",
    "ship_mode": "shipment__mode",
}


def satisfaction(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    """Mean of (quality + timeliness + service) / 3 over survey answers created in the period."""
    for dim in [*group_by, *sales_slice.values]:
        if dim not in SURVEY_COLUMNS and dim not in TIME_DIMENSIONS:
            raise ValidationFailed(
                _("Satisfaction cannot be sliced by “%(name)s”.") % {"name": dim},
                code="unsupported_dimension",
                field=dim,
            )
    answers = SurveyResponse.objects.filter(
        created_at__date__gte=period.start, created_at__date__lte=period.end
    ).annotate(answered_on=TruncDate("created_at"))
    answers = apply_slice(answers, sales_slice, SURVEY_COLUMNS)
    score = (F("quality") + F("timeliness") + F("service")) * Decimal(1) / Decimal(3)
    measures = {"m_score": Avg(ExpressionWrapper(score, output_field=DecimalField()))}
    rows = grouped(answers, "answered_on", group_by, SURVEY_COLUMNS, **measures)
    rows = _with_empty(rows, group_by, m_score=None)
    return [
        {
            **{d: r[d] for d in group_by},
            "value": None if r["m_score"] is None else Decimal(r["m_score"]).quantize(RATE),
        }
        for r in rows
    ]


METRICS = {
    metric.name: metric
    for metric in (
        Metric(
            "revenue", _("Revenue"), _("Σ quantity × unit price × (1 − discount)"), "money", revenue
        ),
        Metric("quantity", _("Quantity"), _("Σ quantity"), "quantity", quantity),
        Metric(
            "gross_margin",
            _("Gross margin"),
            _("revenue − Σ quantity × unit cost"),
            "money",
            gross_margin,
        ),
        Metric(
            "gross_margin_rate",
            _("Gross margin rate"),
            _("gross margin ÷ revenue"),
            "ratio",
            gross_margin_rate,
        ),
        Metric("order_count", _("Orders"), _("number of distinct orders"), "count", order_count),
        Metric(
            "average_order_value",
            _("Average order value"),
            _("revenue ÷ orders"),
            "money",
            average_order_value,
        ),
        Metric(
            "customer_count",
            _("Customers"),
            _("customers with an order in the period"),
            "count",
            customer_count,
        ),
        Metric(
            "new_customers",
            _("New customers"),
            _("customers whose first order ever falls in the period"),
            "count",
            new_customers,
        ),
        Metric(
            "churn_rate",
            _("Churn rate"),
            _(
                "customers of the previous period without an order in this one ÷ customers of "
                "the previous period"
            ),
            "ratio",
            churn_rate,
        ),
        Metric(
            "growth_rate",
            _("Growth rate"),
            _("(revenue − revenue of the previous period) ÷ revenue of the previous period"),
            "ratio",
            growth_rate,
        ),
        Metric(
            "growth_rate_yoy",
            _("Growth rate year over year"),
            _("(revenue − revenue a year earlier) ÷ revenue a year earlier"),
            "ratio",
            growth_rate_yoy,
        ),
        Metric(
            "on_time_delivery_rate",
            _("On-time delivery rate"),
            _("delivered lines with delivery date ≤ promised date ÷ delivered lines"),
            "ratio",
            on_time_delivery_rate,
        ),
        Metric(
            "satisfaction",
            _("Customer satisfaction"),
            _("mean of (quality + timeliness + service) ÷ 3 over survey answers"),
            "score",
            satisfaction,
        ),
    )
}


def metric_get(name: str) -> Metric:
    """The one definition of a metric, or a 422 naming the unknown one (A2.2)."""
    if name not in METRICS:
        raise ValidationFailed(
            _("Unknown metric “%(name)s”.") % {"name": name}, code="unknown_metric", field="metric"
        )
    return METRICS[name]
