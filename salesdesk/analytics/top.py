"""Top-N of a metric (A2.1): the n largest groups, ranked in SQL where the metric is a sum."""

from salesdesk.analytics.cube import source_for
from salesdesk.analytics.metrics import SUMMED, Rows, metric_get
from salesdesk.analytics.slicing import Period, Slice

# Summed metrics of one measure, whose value grows with it: ranked by that measure in SQL.
TOP_IN_SQL = ("revenue", "quantity", "order_count", "customer_count")


def metric_top(name: str, sales_slice: Slice, period: Period, group_by: list[str], n: int) -> Rows:
    """The n groups with the largest value, largest first (A2.1 top-N).

    Summed metrics rank in SQL, so a year of 150,000 customers returns n rows, not all of
    them; the others are computed in full and ranked here. Groups without a value come last."""
    if name in TOP_IN_SQL and group_by:
        spec = SUMMED[name]
        (measure,) = spec.measures
        options = {"orders": spec.orders, "customers": spec.customers}
        source = source_for(sales_slice, period, group_by, **options)
        column = f"m_{measure}"
        rows = source.group(group_by, rank=column, limit=n, **{column: source.measure(measure)})
        return [{**{d: r[d] for d in group_by}, "value": spec.value(r[column])} for r in rows]
    rows = metric_get(name).compute(sales_slice, period, group_by)
    rows.sort(key=lambda r: [str(r[d]) for d in group_by])
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0)))
    return rows[:n]
