"""Keeping the cuboids current (A1.1, A2.2): a set-based rebuild and per-order deltas.

Bulk loads (history import, `rollups_rebuild_range`) rebuild whole calendar years with one
INSERT … SELECT … GROUP BY per cuboid and grain, each read from the smallest cuboid already
built that keeps it exact (or from the facts). Live orders change a few facts at a time: their
old facts are subtracted and their new facts added cell by cell with an upsert, so the worker's
refresh costs what the changed orders cost, not what the history costs.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
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
FLAGS = ("retained", "is_new", "first_cell", "stable")
CELLS = SalesCell._meta.db_table
FACTS = SalesFact._meta.db_table
FIRSTS = CustomerFirstOrder._meta.db_table
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


CUSTOMER_ATTRIBUTES = ("industry", "country", "region", "province")
SAME_CUSTOMER = (
    f"c.cuboid = {CELLS}.cuboid AND c.grain = {CELLS}.grain "
    f"AND c.customer_code = {CELLS}.customer_code"
)
# Flags of one period's customer cells, given the next period (%s): ordered again (churn);
# the only cell of its customer, and the next period's cells (if any) alike (exact sums by
# customer attribute). Also run by migration 0006 for cells built before the flag.
FLAGS_OF_PERIOD = (
    f"UPDATE {CELLS} SET retained = CASE WHEN EXISTS (SELECT 1 FROM {CELLS} c "  # noqa: S608
    f"WHERE {SAME_CUSTOMER} AND c.period = %s) THEN 1 ELSE 0 END, "
    f"stable = CASE WHEN EXISTS (SELECT 1 FROM {CELLS} c WHERE {SAME_CUSTOMER} "
    f"AND c.period = {CELLS}.period AND c.id <> {CELLS}.id) "
    f"OR EXISTS (SELECT 1 FROM {CELLS} c WHERE {SAME_CUSTOMER} AND c.period = %s AND ("
    + " OR ".join(f"c.{a} <> {CELLS}.{a}" for a in CUSTOMER_ATTRIBUTES)
    + ")) THEN 0 ELSE 1 END WHERE grain = %s AND cuboid = %s AND period = %s"
)


def retained_rebuild(start: date, end: date) -> None:
    """Flag each customer cell whose customer ordered again in the next period (churn), and
    whether it is stable (the customer's only cell, alike in the next period)."""
    with connection.cursor() as cursor:
        for grain in CUSTOMER_CUBOID.grains:
            period = grain_start(grain, start - timedelta(days=1))
            while period <= end:
                following = grain_next(grain, period)
                cursor.execute(
                    FLAGS_OF_PERIOD, [following, following, grain, CUSTOMER_CUBOID.id, period]
                )
                period = following


FIRST_COLUMN = {"m": "month", "q": "quarter", "y": "year"}


def new_flags_sql(column: str) -> str:
    """Flag a customer cell whose period holds the customer's first order and whose
    attributes are those of an order on that first day (the groups a new customer counts in).
    Also run by migration 0006."""
    alike = " AND ".join(f"x.{a} = {CELLS}.{a}" for a in CUSTOMER_ATTRIBUTES)
    return (
        f"UPDATE {CELLS} SET is_new = CASE WHEN EXISTS (SELECT 1 FROM {FIRSTS} f "  # noqa: S608
        f"WHERE f.customer_code = {CELLS}.customer_code AND f.{column} = {CELLS}.period "
        f"AND EXISTS (SELECT 1 FROM {FACTS} x WHERE x.customer_code = f.customer_code "
        f"AND x.order_date = f.day AND {alike})"
        f") THEN 1 ELSE 0 END WHERE grain = %s AND cuboid = %s"
    )


def new_flags_rebuild() -> None:
    """Flag each customer cell whose period holds the customer's first order (new customers)."""
    with connection.cursor() as cursor:
        for grain in CUSTOMER_CUBOID.grains:
            cursor.execute(new_flags_sql(FIRST_COLUMN[grain]), [grain, CUSTOMER_CUBOID.id])


def first_cells_rebuild(start: date, end: date) -> None:
    """Flag one customer cell per customer and period (the lowest id), so that summing the
    flag counts distinct customers without a DISTINCT (customer counts, churn)."""
    sql = (
        f"UPDATE {CELLS} SET first_cell = CASE WHEN id = (SELECT MIN(c.id) FROM {CELLS} c "  # noqa: S608
        f"WHERE {SAME_CUSTOMER} AND c.period = {CELLS}.period) THEN 1 ELSE 0 END "
        f"WHERE cuboid = %s AND period >= %s AND period <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [CUSTOMER_CUBOID.id, start, end])


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


def flags_refresh(codes: list[str]) -> None:
    """Recompute the retained, new, first-cell and only-cell flags of these customers' cells."""
    cells = list(
        SalesCell.objects.filter(cuboid=CUSTOMER_CUBOID.id, customer_code__in=codes)
        .only("pk", "grain", "period", "customer_code", *CUSTOMER_ATTRIBUTES, *FLAGS)
        .order_by("pk")
    )
    per_key = Counter((c.customer_code, c.grain, c.period) for c in cells)
    kinds = defaultdict(set)  # (customer, grain, period) -> the attributes of its cells
    for cell in cells:
        kinds[cell.customer_code, cell.grain, cell.period].add(_attributes(cell))
    firsts = {
        f.customer_code: f for f in CustomerFirstOrder.objects.filter(customer_code__in=codes)
    }
    first_day = defaultdict(set)  # customer -> attributes of their orders on the first day
    for fact in SalesFact.objects.filter(
        customer_code__in=codes, order_date__in={f.day for f in firsts.values()}
    ).values_list("customer_code", "order_date", *CUSTOMER_ATTRIBUTES):
        if fact[1] == firsts[fact[0]].day:
            first_day[fact[0]].add(tuple(fact[2:]))
    present = {(c.customer_code, c.grain, c.period) for c in cells}
    counted = set()
    changed = []
    for cell in cells:
        key = (cell.customer_code, cell.grain, cell.period)
        following = grain_next(cell.grain, cell.period)
        retained = int((cell.customer_code, cell.grain, following) in present)
        first = firsts.get(cell.customer_code)
        is_new = int(
            first is not None
            and getattr(first, FIRST_COLUMN[cell.grain]) == cell.period
            and _attributes(cell) in first_day.get(cell.customer_code, ())
        )
        first_cell = int(key not in counted)
        counted.add(key)
        later = kinds.get((cell.customer_code, cell.grain, following), set())
        stable = per_key[key] == 1 and later <= {_attributes(cell)}
        flags = (retained, is_new, first_cell, int(stable))
        if tuple(getattr(cell, name) for name in FLAGS) != flags:
            for name, value in zip(FLAGS, flags, strict=True):
                setattr(cell, name, value)
            changed.append(cell)
    SalesCell.objects.bulk_update(changed, FLAGS, batch_size=1000)


def _attributes(cell: SalesCell) -> tuple[str, ...]:
    return tuple(getattr(cell, name) for name in CUSTOMER_ATTRIBUTES)
