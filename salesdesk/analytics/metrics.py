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

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.churn import churn_from_flags
from salesdesk.analytics.cube import CUSTOMER_CUBOID, source_for
from salesdesk.analytics.market import market_share
from salesdesk.analytics.models import CustomerFirstOrder
from salesdesk.analytics.satisfaction import satisfaction
from salesdesk.analytics.slicing import (
    TIME_DIMENSIONS,
    Period,
    Slice,
    bucket_next,
    bucket_shift,
    buckets,
    key_of,
    time_dimension,
)
from salesdesk.core.errors import ValidationFailed

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


def _money(total: Any) -> Decimal:
    if total is None:
        return Decimal("0.00")
    return (total if isinstance(total, Decimal) else Decimal(total)).quantize(MONEY)


def _count(total: Any) -> Decimal:
    return Decimal(total or 0)


def _margin(revenue: Any, cost: Any) -> Decimal:
    return Decimal(revenue or 0) - Decimal(cost or 0)


def _per_order(orders: Any, revenue: Any) -> Decimal | None:
    if not orders:
        return None
    return (Decimal(revenue) / orders).quantize(MONEY)


@dataclass(frozen=True)
class Summed:
    """A metric read off summed measures (cube.Source.measure) of one source: `value` takes
    the measures' totals, in the order named."""

    measures: tuple[str, ...]
    value: Callable[..., Any]
    orders: bool = False
    customers: bool = False


SUMMED = {
    "revenue": Summed(("revenue",), _money),
    "quantity": Summed(("quantity",), _count),
    "gross_margin": Summed(("revenue", "cost"), lambda rev, cost: _money(_margin(rev, cost))),
    "gross_margin_rate": Summed(
        ("revenue", "cost"), lambda rev, cost: _ratio(_margin(rev, cost), rev)
    ),
    "order_count": Summed(("orders",), _count, orders=True),
    "average_order_value": Summed(("orders", "revenue"), _per_order, orders=True),
    "customer_count": Summed(("customers",), _count, customers=True),
    "on_time_delivery_rate": Summed(
        ("delivered", "on_time"), lambda delivered, on_time: _ratio(on_time, delivered)
    ),
}


def summed_many(
    names: list[str], sales_slice: Slice, period: Period, group_by: list[str]
) -> dict[str, Rows]:
    """Several summed metrics, with one query per distinct source rather than per metric
    (a dashboard asks for five at once). Each metric reads the cheapest source that answers
    it exactly; metrics whose sources coincide share the query."""
    batches: dict[tuple, tuple[Any, list[str]]] = {}
    for name in names:
        spec = SUMMED[name]
        source = source_for(
            sales_slice, period, group_by, orders=spec.orders, customers=spec.customers
        )
        key = (source.cuboid, source.grain)
        batches.setdefault(key, (source, []))[1].append(name)
    result = {}
    for source, batch in batches.values():
        measures: dict[str, Any] = {}
        for name in batch:
            for measure in SUMMED[name].measures:
                measures.setdefault(f"m_{measure}", source.measure(measure))
        # Tuples (groups, then measures): a year by customer is 100,000 rows.
        rows = source.group(group_by, tuples=True, **measures)
        at = {name: len(group_by) + i for i, name in enumerate(measures)}
        for name in batch:
            spec = SUMMED[name]
            places = [at[f"m_{measure}"] for measure in spec.measures]
            result[name] = _keyed(group_by, rows, spec.value, places)
    return result


def _keyed(group_by: list[str], rows: list[tuple], value: Callable, places: list[int]) -> Rows:
    """Rows as the API gives them: the group's dimensions by name, then "value" (computed
    from the measures at `places`). One dimension and one measure, the large case (a year by
    customer), is built in one pass."""
    if len(group_by) == 1 and len(places) == 1:
        (dim,), (place,) = group_by, places
        return [{dim: row[0], "value": value(row[place])} for row in rows]
    return [
        {**dict(zip(group_by, row, strict=False)), "value": value(*(row[p] for p in places))}
        for row in rows
    ]


def _summed(name: str) -> Callable[[Slice, Period, list[str]], Rows]:
    def compute(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
        return summed_many([name], sales_slice, period, group_by)[name]

    compute.__name__ = name
    return compute


revenue = _summed("revenue")
quantity = _summed("quantity")
gross_margin = _summed("gross_margin")
gross_margin_rate = _summed("gross_margin_rate")
order_count = _summed("order_count")
average_order_value = _summed("average_order_value")
customer_count = _summed("customer_count")
on_time_delivery_rate = _summed("on_time_delivery_rate")


CUSTOMER_LEVEL = set(CUSTOMER_CUBOID.dims) | set(TIME_DIMENSIONS)


def new_customers(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    """Customers whose first order ever falls in the period, in the groups of their orders on
    that first day (customer attributes: their one group)."""
    source = source_for(sales_slice, period, group_by, customers=True)
    if not source.is_facts and source.cuboid != CUSTOMER_CUBOID:
        # Only the customer cuboid carries the flag; other cells are not days.
        source = source_for(sales_slice, period, group_by, customers=True, grains=())
    rows = source.queryset
    if source.cuboid == CUSTOMER_CUBOID:
        rows = rows.filter(is_new=1)
    else:
        first_day = CustomerFirstOrder.objects.filter(
            customer_code=OuterRef("customer_code"), day=OuterRef(source.date_column)
        )
        # The period's new customers first, then their facts through the customer index.
        firsts = CustomerFirstOrder.objects.filter(day__gte=period.start, day__lte=period.end)
        rows = rows.filter(Exists(first_day), customer_code__in=firsts.values("customer_code"))
    result = source.group(group_by, rows, m_new=Count("customer_code", distinct=True))
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
    source = source_for(sales_slice, period, group_by)
    rows = source.group(group_by, m_revenue=source.measure("revenue"))
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
    dims = group_by if "customer" in group_by else [*group_by, "customer"]
    source = source_for(sales_slice, period, dims, customers=True)
    rows = source.group(dims, m_lines=source.measure("lines"))
    result: dict[tuple, set] = {}
    for row in rows:
        result.setdefault(key_of(row, group_by), set()).add(row["customer"])
    return result


def _churn(current: set | None, before: set | None) -> Decimal | None:
    if not before:
        return None
    return _ratio(len(before - (current or set())), len(before))


def churn_rate(sales_slice: Slice, period: Period, group_by: list[str]) -> Rows:
    rows = churn_from_flags(sales_slice, period, group_by)
    if rows is not None:
        return rows
    return _compare(
        sales_slice, period, group_by, year=False, collect=_customers_by_key, combine=_churn
    )


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
            "market_share",
            _("Market share"),
            _("revenue ÷ market size of the same segment, region and period"),
            "ratio",
            market_share,
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
