"""The customer cuboid's flags (A2.2): per cell, whether the customer ordered again in the next
period (`retained`, churn), whether the period holds their first order on this cell's
attributes (`is_new`), one counted cell per customer and period (`first_cell`), and whether
the cell is their only one in the period and alike in the next (`stable`). Set-based after a
bulk rebuild (`cube_build.cells_rebuild`), per customer after live deltas (`flags_refresh`)."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import connection

from salesdesk.analytics.cube import CUSTOMER_CUBOID, grain_next, grain_start
from salesdesk.analytics.models import CustomerFirstOrder, SalesCell, SalesFact

FLAGS = ("retained", "is_new", "first_cell", "stable")
CELLS = SalesCell._meta.db_table
FACTS = SalesFact._meta.db_table
FIRSTS = CustomerFirstOrder._meta.db_table

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
