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
    if cube.FORCE_FACTS or not cube.cells_built():
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
    counts = _before_and_lost(sales_slice, grain, dim, others, before_first, period)
    # Groups with sales now but no customers before still get a row (value None).
    current = []
    if others:
        current = grouped(
            _cells(sales_slice, grain, period.start, period.end),
            "period",
            [dim, *others],
            SLICE_COLUMNS,
            native=dim,
            m_lines=Count("pk"),
        )
    elif grouped_by_time:  # only which buckets have sales: the cheapest source tells
        source = cube.source_for(sales_slice, period, [dim])
        current = source.group([dim], m_lines=Count("pk"))
    values = {
        key: (Decimal(lost) / Decimal(before)).quantize(RATE)
        for key, (before, lost) in counts.items()
        if before
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


def _before_and_lost(
    sales_slice: Slice, grain: str, dim: str, others: list[str], first, period: Period
) -> dict[tuple, tuple[int, int]]:
    """Per (bucket, group): customers of the bucket before, and how many of them are lost.

    Without customer attributes each customer has one flagged cell per bucket and `retained`
    says whether they ordered in the next one: two sums. With attributes, a stable cell (the
    customer's only one, alike in the next bucket) is retained in its group exactly when the
    customer is: sums again; the few other customers (whose attributes changed) are compared
    as sets, so a customer who moved from one region to another is lost to the first."""
    cells = _cells(sales_slice, grain, first, _last_before(dim, period))
    simple = cube.needed_dimensions(sales_slice, [dim, *others]) <= {"customer"}
    if not simple:
        cells = cells.filter(stable=1)
    flag = "first_cell" if simple else "stable"
    rows = grouped(
        cells,
        "period",
        [dim, *others],
        SLICE_COLUMNS,
        native=dim,
        m_before=Sum(flag),
        m_lost=Sum(flag, filter=LOST),
    )
    counts = {
        (bucket_next(dim, row[dim]), *key_of(row, others)): (
            row["m_before"] or 0,
            row["m_lost"] or 0,
        )
        for row in rows
    }
    if simple:
        return counts
    columns = ["customer_code", "period", *(SLICE_COLUMNS[d] for d in others)]
    moved = list(
        _cells(sales_slice, grain, first, _last_before(dim, period))
        .filter(stable=0)
        .values_list(*columns)
        .distinct()
    )
    if not moved:
        return counts
    codes = {row[0] for row in moved}
    later = set(
        _cells(sales_slice, grain, period.start, period.end)
        .filter(customer_code__in=codes)
        .values_list(*columns)
    )
    before_sets: dict[tuple, set] = {}
    lost_sets: dict[tuple, set] = {}
    for code, start, *values in moved:
        following = bucket_next(dim, start)
        key = (following, *values)
        before_sets.setdefault(key, set()).add(code)
        if (code, following, *values) not in later:
            lost_sets.setdefault(key, set()).add(code)
    for key, customers in before_sets.items():
        before, lost = counts.get(key, (0, 0))
        counts[key] = (before + len(customers), lost + len(lost_sets.get(key, ())))
    return counts


def _last_before(dim: str, period: Period):
    """The last day of the buckets compared with the period's buckets."""
    return buckets(dim, period)[-1] - timedelta(days=1)
