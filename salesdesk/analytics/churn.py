"""Churn from the customer cuboid's "ordered again next period" flags (A2.2).

Churn compares two sets of customers. Fetching both sets for a year of 150,000 customers is
too slow, so each customer cell carries `retained` (the customer ordered in the next period of
the same grain): churn of a bucket is then the share of the previous bucket's customers whose
flag is 0, one grouped query. It answers requests sliced by time and customer attributes only
(a customer is in exactly one group of those); metrics.churn_rate falls back to set
comparison for everything else. tests/test_cube.py checks both ways agree.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum

from salesdesk.analytics import cube
from salesdesk.analytics.models import SalesCell
from salesdesk.analytics.slicing import (
    SLICE_COLUMNS,
    TIME_DIMENSIONS,
    Period,
    Slice,
    apply_slice,
    bucket_next,
    bucket_shift,
    bucket_start,
    buckets,
    grouped,
    key_of,
    time_dimension,
)

GRAIN_OF = {"month": "m", "quarter": "q", "year": "y"}
RATE = Decimal("0.0001")
LOST = Q(retained=0)


def _single_bucket(period: Period) -> str | None:
    for dim in ("month", "quarter", "year"):
        start = bucket_start(dim, period.start)
        if start == period.start and bucket_next(dim, start) - timedelta(days=1) == period.end:
            return dim
    return None


def _cells(sales_slice: Slice, grain: str, first, last):
    cells = SalesCell.objects.filter(
        cuboid=cube.CUSTOMER_CUBOID.id, grain=grain, period__gte=first, period__lte=last
    )
    return apply_slice(cells, sales_slice, SLICE_COLUMNS)


def churn_from_flags(sales_slice: Slice, period: Period, group_by: list[str]) -> list | None:
    """Churn per group and bucket from the flags, or None if the request needs the sets."""
    if cube.FORCE_FACTS:
        return None
    if not cube.needed_dimensions(sales_slice, group_by) <= cube.CUSTOMER_CUBOID.dims:
        return None
    dim = time_dimension(group_by)
    grouped_by_time = dim is not None
    dim = dim or _single_bucket(period)
    if dim not in GRAIN_OF or not cube.aligned(period, GRAIN_OF[dim]):
        return None
    grain = GRAIN_OF[dim]
    others = [d for d in group_by if d not in TIME_DIMENSIONS]
    starts = buckets(dim, period)
    before_first = bucket_shift(dim, starts[0], year=False)
    # Without customer attributes each customer has one flagged cell per period: sums count
    # customers; with them a customer may sit in several cells of a group: count distinct.
    if cube.needed_dimensions(sales_slice, group_by) <= {"customer"}:
        measures = {"m_before": Sum("first_cell"), "m_lost": Sum("first_cell", filter=LOST)}
    else:
        measures = {
            "m_before": Count("customer_code", distinct=True),
            "m_lost": Count("customer_code", distinct=True, filter=LOST),
        }
    before = grouped(
        _cells(sales_slice, grain, before_first, starts[-1] - timedelta(days=1)),
        "period",
        [dim, *others],
        SLICE_COLUMNS,
        **measures,
    )
    # Groups with sales now but no customers before still get a row (value None).
    current = []
    if others:
        current = grouped(
            _cells(sales_slice, grain, period.start, period.end),
            "period",
            [dim, *others],
            SLICE_COLUMNS,
            m_lines=Count("pk"),
        )
    elif grouped_by_time:  # only which buckets have sales: the cheapest source tells
        source = cube.source_for(sales_slice, period, [dim])
        current = grouped(
            source.queryset, source.date_column, [dim], SLICE_COLUMNS, m_lines=Count("pk")
        )
    values = {
        (bucket_next(dim, row[dim]), *key_of(row, others)): (
            (Decimal(row["m_lost"] or 0) / Decimal(row["m_before"])).quantize(RATE)
        )
        for row in before
        if row["m_before"]
    }
    keys = set(values) | {(row[dim], *key_of(row, others)) for row in current}
    if not grouped_by_time:
        if not others:
            return [{"value": values.get((period.start,))}]
        keys = {key for key in keys if key[0] == period.start}
    rows = []
    for key in sorted(keys, key=lambda k: (k[0], [str(v) for v in k[1:]])):
        row = {dim: key[0], **dict(zip(others, key[1:], strict=True))}
        rows.append({d: row[d] for d in group_by} | {"value": values.get(key)})
    return rows
