"""Top-N of a metric (A2.1): the n largest groups, ranked in SQL where the metric is a sum."""

from decimal import Decimal

from salesdesk.analytics.cube import source_for
from salesdesk.analytics.metrics import Rows, _money, metric_get
from salesdesk.analytics.slicing import Period, Slice

# Metrics whose top-N can be taken in SQL: (measure, options of source_for, value of a row).
TOP_IN_SQL = {
    "revenue": ("revenue", {}, lambda v: _money(v)),
    "quantity": ("quantity", {}, lambda v: Decimal(v or 0)),
    "order_count": ("orders", {"orders": True}, lambda v: Decimal(v or 0)),
    "customer_count": ("customers", {"customers": True}, lambda v: Decimal(v or 0)),
}


def metric_top(name: str, sales_slice: Slice, period: Period, group_by: list[str], n: int) -> Rows:
    """The n groups with the largest value, largest first (A2.1 top-N).

    Summed metrics rank in SQL, so a year of 150,000 customers returns n rows, not all of
    them; the others are computed in full and ranked here. Groups without a value come last."""
    if name in TOP_IN_SQL and group_by:
        measure, options, value = TOP_IN_SQL[name]
        source = source_for(sales_slice, period, group_by, **options)
        rows = source.group(group_by, rank="m_top", limit=n, m_top=source.measure(measure))
        return [{**{d: r[d] for d in group_by}, "value": value(r["m_top"])} for r in rows]
    rows = metric_get(name).compute(sales_slice, period, group_by)
    rows.sort(key=lambda r: [str(r[d]) for d in group_by])
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0)))
    return rows[:n]
