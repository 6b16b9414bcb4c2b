"""Keeping the cuboids current (A1.1, A2.2): a set-based rebuild and per-order deltas.

Bulk loads (history import, `rollups_rebuild_range`) rebuild whole calendar years with one
INSERT … SELECT … GROUP BY per cuboid and grain, each read from the smallest cuboid already
built that keeps it exact (or from the facts). Live orders change a few facts at a time: their
old facts are subtracted and their new facts added cell by cell with an upsert, so the worker's
refresh costs what the changed orders cost, not what the history costs.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from salesdesk.analytics.cube import (
    CUBOIDS,
    CUSTOMER_CUBOID,
    GRAIN_DIMENSION,
    GRAINS,
    LAYOUT_STATE,
    PER_YEAR,
    Cuboid,
    grain_next,
    grain_start,
)
from salesdesk.analytics.cube_flags import (
    CELLS,
    FACTS,
    FIRSTS,
    FLAGS,
    first_cells_rebuild,
    flags_refresh,
    new_flags_rebuild,
    retained_rebuild,
)
from salesdesk.analytics.models import (
    ROLLUP_KEY,
    CustomerFirstOrder,
    RefreshState,
    SalesCell,
    SalesFact,
)
from salesdesk.analytics.slicing import SLICE_COLUMNS

MEASURES = (
    "orders",
    "first_lines",
    "quantity",
    "revenue",
    "cost",
    "lines",
    "delivered_lines",
    "on_time_lines",
)
DIMENSION_OF = {column: dim for dim, column in SLICE_COLUMNS.items()}
KEY_COLUMNS = ("grain", "cuboid", "period", *ROLLUP_KEY)
FACT_MEASURES = {
    "orders": "COUNT(DISTINCT order_number)",
    "first_lines": "SUM(CASE WHEN is_first_line THEN 1 ELSE 0 END)",
    "quantity": "SUM(quantity)",
    "revenue": "SUM(revenue)",
    "cost": "COALESCE(SUM(cost), 0)",
    "lines": "COUNT(*)",
    "delivered_lines": "SUM(CASE WHEN delivery_date IS NOT NULL THEN 1 ELSE 0 END)",
    "on_time_lines": "SUM(CASE WHEN delivery_date <= promised_date THEN 1 ELSE 0 END)",
}
# "%%" survives the cursor's parameter substitution as a literal "%".
SQLITE_TRUNC = {
    "m": "date({x}, 'start of month')",
    "q": "date({x}, 'start of month', "
    "'-' || ((CAST(strftime('%%m', {x}) AS INTEGER) - 1) %% 3) || ' months')",
    "y": "date({x}, 'start of year')",
}


def _trunc(grain: str, column: str) -> str:
    if grain == "d":
        return column
    if connection.vendor == "sqlite":
        return SQLITE_TRUNC[grain].replace("{x}", column)
    return f"CAST(date_trunc('{GRAIN_DIMENSION[grain]}', {column}) AS date)"


def _targets() -> list[tuple[Cuboid, str]]:
    """Every (cuboid, grain), finest first, so each can read a finer one already built."""
    targets = [(cuboid, grain) for cuboid in CUBOIDS for grain in cuboid.grains]
    return sorted(targets, key=lambda t: (-len(t[0].dims), GRAINS.index(t[1]), t[0].id))


def _source(cuboid: Cuboid, grain: str, built: list[tuple[Cuboid, str]]):
    """The smallest built (cuboid, grain) this one can be summed from exactly, or None."""
    best, best_cost = None, None
    for source, source_grain in built:
        if not cuboid.dims <= source.dims:
            continue
        if GRAINS.index(source_grain) > GRAINS.index(grain):
            continue
        if cuboid.line_dims and source.line_dims != cuboid.line_dims:
            continue
        cost = source.weight * PER_YEAR[source_grain]
        if best_cost is None or cost < best_cost:
            best, best_cost = (source, source_grain), cost
    return best


def _insert(cuboid: Cuboid, grain: str, source, start: date, end: date) -> None:
    kept = [column for column in ROLLUP_KEY if DIMENSION_OF[column] in cuboid.dims]
    keys = [column if column in kept else "''" for column in ROLLUP_KEY]
    if source is None:
        table, date_column, where, params = FACTS, "order_date", "", []
        measures = [FACT_MEASURES[m] for m in MEASURES]
    else:
        table, date_column = CELLS, "period"
        where = "grain = %s AND cuboid = %s AND "
        params = [source[1], source[0].id]
        orders = "SUM(orders)" if cuboid.line_dims else "SUM(first_lines)"
        measures = [orders, *(f"SUM({m})" for m in MEASURES[1:])]
    period = _trunc(grain, date_column)
    # Only constants and column names of our own models are interpolated.
    sql = (
        f"INSERT INTO {CELLS} ({', '.join((*KEY_COLUMNS, *MEASURES, *FLAGS))}) "  # noqa: S608
        f"SELECT '{grain}', {cuboid.id}, {period}, {', '.join(keys)}, {', '.join(measures)}, "
        f"{', '.join('0' for _flag in FLAGS)} "
        f"FROM {table} WHERE {where}{date_column} >= %s AND {date_column} <= %s "
        f"GROUP BY {', '.join([period, *kept])}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, start, end])


def cells_rebuild(first: date, last: date) -> None:
    """Rebuild every cell of the calendar years first..last from the facts (bulk loads)."""
    _cells_rebuild(first, last)
    statistics_refresh()


def statistics_refresh() -> None:
    """Let the query planner see the new facts and cells (ANALYZE). Without statistics
    SQLite reads a salesperson's customers by scanning every cell of the period (measured:
    500 ms instead of 175 ms for "My sales" at 6 million facts).

    On PostgreSQL the rebuild's deletes and flag updates leave dead row versions between the
    cells (the table measured 2.7 GB, 0.66 GB once rewritten) and a period's cells scattered
    over it, so that reading a year of customer cells scanned the whole table (585 ms instead
    of 48 ms): CLUSTER rewrites it in (cuboid, grain, period) order. It locks the table while
    it runs (30 s at 4.6 million cells), which a bulk rebuild may."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CLUSTER {CELLS} USING analytics_cell_period_cust")
        for table in (FACTS, CELLS, FIRSTS):
            cursor.execute(f"ANALYZE {table}")


def _cells_rebuild(first: date, last: date) -> None:
    start, end = date(first.year, 1, 1), date(last.year, 12, 31)
    with transaction.atomic():
        cells = SalesCell.objects.all()
        if cells.filter(period__lt=start).exists() or cells.filter(period__gt=end).exists():
            cells.filter(period__gte=start, period__lte=end).delete()
        else:
            with connection.cursor() as cursor:  # no WHERE: SQLite truncates at once
                cursor.execute(f"DELETE FROM {CELLS}")  # noqa: S608
        built: list[tuple[Cuboid, str]] = []
        for cuboid, grain in _targets():
            _insert(cuboid, grain, _source(cuboid, grain, built), start, end)
            built.append((cuboid, grain))
        first_orders_rebuild()
        retained_rebuild(start, end)
        new_flags_rebuild()
        first_cells_rebuild(start, end)
        span = SalesFact.objects.aggregate(first=Min("order_date"), last=Max("order_date"))
        if span["first"] is None or (start <= span["first"] and span["last"] <= end):
            layout_mark()


def cells_rebuild_all() -> tuple[date, date] | None:
    """Rebuild the cells of every year with facts (after an upgrade changed the cuboids);
    returns the years' first and last day, or None without facts."""
    span = SalesFact.objects.aggregate(first=Min("order_date"), last=Max("order_date"))
    if span["first"] is None:
        layout_mark()
        return None
    cells_rebuild(span["first"], span["last"])
    return date(span["first"].year, 1, 1), date(span["last"].year, 12, 31)


def layout_mark() -> None:
    """Record that the cells hold every cuboid of this layout (cube.cells_built)."""
    RefreshState.objects.filter(name__startswith="cells:").exclude(name=LAYOUT_STATE).delete()
    RefreshState.objects.update_or_create(name=LAYOUT_STATE, defaults={"watermark": timezone.now()})


def first_orders_rebuild() -> None:
    """Every customer's first order day (and its month, quarter, year), from the facts."""
    CustomerFirstOrder.objects.all().delete()
    first = "MIN(order_date)"
    sql = (
        f"INSERT INTO {FIRSTS} (customer_code, day, month, quarter, year) "  # noqa: S608
        f"SELECT customer_code, {first}, {_trunc('m', first)}, {_trunc('q', first)}, "
        f"{_trunc('y', first)} FROM {FACTS} GROUP BY customer_code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [])


def _contributions(facts: Iterable[Any], sign: int, deltas: dict) -> None:
    by_order: dict[str, list] = defaultdict(list)
    for fact in facts:
        by_order[fact.order_number].append(fact)
    for order_facts in by_order.values():
        for cuboid in CUBOIDS:
            for grain in cuboid.grains:
                touched = set()
                for fact in order_facts:
                    key = (
                        grain,
                        cuboid.id,
                        grain_start(grain, fact.order_date),
                        *(
                            getattr(fact, column) if DIMENSION_OF[column] in cuboid.dims else ""
                            for column in ROLLUP_KEY
                        ),
                    )
                    delta = deltas[key]
                    delivered = fact.delivery_date is not None
                    on_time = delivered and fact.promised_date is not None
                    on_time = on_time and fact.delivery_date <= fact.promised_date
                    delta[1] += sign * int(fact.is_first_line)
                    delta[2] += sign * fact.quantity
                    delta[3] += sign * fact.revenue
                    delta[4] += sign * (fact.cost or 0)
                    delta[5] += sign
                    delta[6] += sign * int(delivered)
                    delta[7] += sign * int(on_time)
                    touched.add(key)
                for key in touched:
                    deltas[key][0] += sign


def cells_apply(old: list[Any], new: list[Any]) -> None:
    """Subtract the old facts of some orders and add their new ones, cell by cell."""
    deltas: dict[tuple, list] = defaultdict(
        lambda: [0, 0, Decimal(0), Decimal(0), Decimal(0), 0, 0, 0]
    )
    _contributions(old, -1, deltas)
    _contributions(new, 1, deltas)
    rows = [(*key, *values) for key, values in deltas.items() if any(values)]
    if not rows:
        return
    columns = (*KEY_COLUMNS, *MEASURES, *FLAGS)
    updates = ", ".join(f"{m} = {CELLS}.{m} + excluded.{m}" for m in MEASURES)
    sql = (
        f"INSERT INTO {CELLS} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * (len(columns) - len(FLAGS)))}{', 0' * len(FLAGS)}) "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    days = [row[2] for row in rows]
    SalesCell.objects.filter(period__gte=min(days), period__lte=max(days), lines=0).delete()
    codes = sorted({fact.customer_code for fact in [*old, *new]})
    first_orders_refresh(codes)
    flags_refresh(codes)


def first_orders_refresh(codes: list[str]) -> None:
    """Recompute the first order of these customers: first month from cells, then the day."""
    CustomerFirstOrder.objects.filter(customer_code__in=codes).delete()
    months = (
        SalesCell.objects.filter(cuboid=CUSTOMER_CUBOID.id, grain="m", customer_code__in=codes)
        .values("customer_code")
        .annotate(first=Min("period"))
        .order_by()
    )
    firsts = []
    for row in months:
        day = SalesFact.objects.filter(
            customer_code=row["customer_code"],
            order_date__gte=row["first"],
            order_date__lt=grain_next("m", row["first"]),
        ).aggregate(day=Min("order_date"))["day"]
        firsts.append(
            CustomerFirstOrder(
                customer_code=row["customer_code"],
                day=day,
                month=grain_start("m", day),
                quarter=grain_start("q", day),
                year=grain_start("y", day),
            )
        )
    CustomerFirstOrder.objects.bulk_create(firsts)
