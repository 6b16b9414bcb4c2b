"""Cuboids: facts pre-summed per set of dimensions and period grain (A2.1, A2.2).

Six million order lines cannot be summed per request in 500 ms, so every metric reads the
smallest pre-summed table that answers it exactly. A cuboid keeps some dimensions and drops
the rest; it exists at one or more grains (day, month, quarter, year). `source_for` picks, for
a request, the eligible cuboid that scans the fewest rows, falling back to the facts.

Exactness rules (tested against the facts in tests/test_cube.py):
- sums (revenue, cost, quantity, lines, …) are exact from any cuboid holding the dimensions;
- orders: `first_lines` counts each order once whatever the cuboid, so it answers every
  request without product-level dimensions; with product-level dimensions (product, category,
  ship mode) an order may fall in several cells, so `orders` (distinct orders per cell) is
  exact only from a cuboid with exactly the requested product-level dimensions;
- distinct customers need the customer in the cuboid;
- a grain answers a period only if the period is whole buckets of that grain.
"""

import hashlib
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from salesdesk.analytics.models import RefreshState, SalesCell, SalesFact
from salesdesk.analytics.slicing import (
    SLICE_COLUMNS,
    Period,
    Slice,
    apply_slice,
    bucket_next,
    bucket_start,
    grouped,
)

GRAINS = ("d", "m", "q", "y")
GRAIN_DIMENSION = {"d": "day", "m": "month", "q": "quarter", "y": "year"}
# Which grains can feed a time grouping: a bucket must be a union of cells.
FEEDS = {
    "day": ("d",),
    "week": ("d",),
    "month": ("d", "m"),
    "quarter": ("d", "m", "q"),
    "year": ("d", "m", "q", "y"),
    None: GRAINS,
}
PER_YEAR = {"d": 366, "m": 12, "q": 4, "y": 1}
LINE_LEVEL = frozenset({"product", "category", "ship_mode"})
ORDER_DIMS = ("industry", "country", "region", "province", "salesperson", "channel")
SMALL_DIMS = (*ORDER_DIMS, "category", "ship_mode")
CUSTOMER_DIMS = ("customer", "industry", "country", "region", "province")
# Rough distinct values per dimension, only to rank cuboids by size.
CARDINALITY = {
    "customer": 40000,
    "product": 3000,
    "industry": 20,
    "country": 3,
    "region": 12,
    "province": 40,
    "salesperson": 60,
    "channel": 4,
    "category": 15,
    "ship_mode": 4,
}


@dataclass(frozen=True)
class Cuboid:
    id: int
    dims: frozenset[str]
    grains: tuple[str, ...]

    @property
    def line_dims(self) -> frozenset[str]:
        return self.dims & LINE_LEVEL

    @property
    def weight(self) -> int:
        """Estimated cells per period (the product of cardinalities, capped)."""
        size = 1
        for dim in self.dims:
            size *= CARDINALITY[dim]
        return min(size, 200000 if "customer" in self.dims else 60000)


def _cuboids() -> tuple[Cuboid, ...]:
    """Small cuboids only: with real data a cuboid of more than two of the small dimensions
    is about as large as the facts (measured: 6 cells per fact with four such cuboids)."""
    found = [Cuboid(1, frozenset(), GRAINS)]
    found += [Cuboid(10 + i, frozenset({d}), ("d", "m", "y")) for i, d in enumerate(SMALL_DIMS)]
    pairs = itertools.combinations(SMALL_DIMS, 2)
    found += [Cuboid(100 + i, frozenset(pair), ("m", "y")) for i, pair in enumerate(pairs)]
    found += [
        Cuboid(300, frozenset(CUSTOMER_DIMS), ("m", "q", "y")),
        Cuboid(301, frozenset({*CUSTOMER_DIMS, "salesperson", "channel"}), ("m", "y")),
        Cuboid(400, frozenset({"product", "category"}), ("m", "y")),
        # Wider ones where the data is correlated enough to stay small (measured on a year of
        # the benchmark's history, 2.2 million facts): every order-level dimension at once
        # (140,000 cells; a province has few salespeople); category and ship mode with the
        # coarse order-level ones. They answer filters on three or more dimensions.
        Cuboid(500, frozenset(ORDER_DIMS), ("m", "y")),
        Cuboid(
            501, frozenset({"category", "industry", "country", "region", "channel"}), ("m", "y")
        ),
        Cuboid(
            502, frozenset({"ship_mode", "category", "country", "region", "channel"}), ("m", "y")
        ),
    ]
    return tuple(found)


CUBOIDS = _cuboids()
CUSTOMER_CUBOID = next(c for c in CUBOIDS if c.id == 300)
# Names this set of cuboids: cells built for another set (before an upgrade) are not read.
LAYOUT = hashlib.sha256(
    repr([(c.id, sorted(c.dims), c.grains) for c in CUBOIDS]).encode()
).hexdigest()[:12]
LAYOUT_STATE = f"cells:{LAYOUT}"


def cells_built() -> bool:
    """Whether the cells were rebuilt for this layout (cube_build marks it). Until then every
    request reads the facts: slower, never wrong. (One indexed lookup per request.)"""
    return RefreshState.objects.filter(name=LAYOUT_STATE).exists()


def aligned(period: Period, grain: str) -> bool:
    """Whether the period is whole buckets of the grain."""
    dim = GRAIN_DIMENSION[grain]
    return bucket_start(dim, period.start) == period.start and bucket_next(
        dim, bucket_start(dim, period.end)
    ) == period.end + timedelta(days=1)


def periods_in(period: Period, grain: str) -> int:
    return max(1, round(period.days * PER_YEAR[grain] / 366))


@dataclass(frozen=True)
class Source:
    """Where one request reads: a queryset over cells or facts, and its measure expressions."""

    queryset: QuerySet
    date_column: str
    cuboid: Cuboid | None
    grain: str
    # How customers are counted: "distinct" (COUNT DISTINCT), "flag" (sum the one flagged
    # cell per customer and period: no DISTINCT) or "only" (customers with a single cell in
    # the period counted by a sum, DISTINCT only over the few with several cells).
    customers_by: str = "distinct"
    line_dims_needed: bool = False

    @property
    def is_facts(self) -> bool:
        return self.cuboid is None

    def measure(self, name: str) -> Any:
        if self.is_facts:
            return {
                "revenue": Sum("revenue"),
                "cost": Sum("cost"),
                "quantity": Sum("quantity"),
                "lines": Count("pk"),
                "delivered": Count("pk", filter=Q(delivery_date__isnull=False)),
                "on_time": Count("pk", filter=Q(delivery_date__lte=F("promised_date"))),
                "orders": Count("order_number", distinct=True),
                "customers": Count("customer_code", distinct=True),
            }[name]
        # An order has one first line, so first lines count orders in any cuboid; per-cell
        # distinct orders only where the request groups by exactly the cuboid's line-level
        # dimensions (eligible() ensures that when orders are asked for).
        orders = "orders" if self.line_dims_needed else "first_lines"
        return {
            "revenue": Sum("revenue"),
            "cost": Sum("cost"),
            "quantity": Sum("quantity"),
            "lines": Sum("lines"),
            "delivered": Sum("delivered_lines"),
            "on_time": Sum("on_time_lines"),
            "orders": Sum(orders),
            "customers": customers_measure(self.customers_by),
        }[name]

    def group(self, group_by: list[str], queryset: QuerySet | None = None, **kwargs) -> list:
        """`slicing.grouped` over this source; a time grouping equal to the grain reads the
        period column as it is (no date arithmetic per row)."""
        return grouped(
            self.queryset if queryset is None else queryset,
            self.date_column,
            group_by,
            SLICE_COLUMNS,
            native=GRAIN_DIMENSION[self.grain],
            **kwargs,
        )


def customers_measure(how: str, condition: Q | None = None) -> Any:
    """Distinct customers of customer-cuboid cells (see Source.customers_by), optionally
    only those of cells matching `condition` (churn: the lost ones)."""
    if how == "flag":
        return Sum("first_cell", filter=condition)
    if how == "only":
        several = Q(stable=0) if condition is None else condition & Q(stable=0)
        return Sum("stable", filter=condition) + Count(
            "customer_code", distinct=True, filter=several
        )
    return Count("customer_code", distinct=True, filter=condition)


def needed_dimensions(sales_slice: Slice, group_by: list[str]) -> set[str]:
    needed = {d for d in group_by if d in SLICE_COLUMNS} | sales_slice.dimensions()
    if sales_slice.visible_codes is not None:
        needed.add("customer")
    return needed


def eligible(
    cuboid: Cuboid, grain: str, needed: set[str], *, orders: bool, customers: bool
) -> bool:
    if not needed <= cuboid.dims or grain not in cuboid.grains:
        return False
    if customers and "customer" not in cuboid.dims:
        return False
    line_needed = needed & LINE_LEVEL
    return not (orders and line_needed and cuboid.line_dims != line_needed)


def choose(
    needed: set[str],
    period: Period,
    time_dim: str | None,
    *,
    orders: bool = False,
    customers: bool = False,
    grains: tuple[str, ...] = GRAINS,
) -> tuple[Cuboid, str] | None:
    """The eligible (cuboid, grain) scanning the fewest rows, or None (read the facts)."""
    best, best_cost = None, None
    for grain in FEEDS[time_dim]:
        if grain not in grains or not aligned(period, grain):
            continue
        for cuboid in CUBOIDS:
            if not eligible(cuboid, grain, needed, orders=orders, customers=customers):
                continue
            cost = cuboid.weight * periods_in(period, grain)
            if best_cost is None or cost < best_cost:
                best, best_cost = (cuboid, grain), cost
    return best


def source_for(
    sales_slice: Slice,
    period: Period,
    group_by: list[str],
    *,
    orders: bool = False,
    customers: bool = False,
    grains: tuple[str, ...] = GRAINS,
) -> Source:
    """The cheapest exact source for a request, filtered by period and slice (A2.1)."""
    time_dims = [d for d in group_by if d not in SLICE_COLUMNS]
    time_dim = time_dims[0] if time_dims else None
    needed = needed_dimensions(sales_slice, group_by)
    picked = None
    if not FORCE_FACTS and cells_built():
        picked = choose(needed, period, time_dim, orders=orders, customers=customers, grains=grains)
    if picked is None:
        facts = SalesFact.objects.filter(order_date__gte=period.start, order_date__lte=period.end)
        return Source(apply_slice(facts, sales_slice, SLICE_COLUMNS), "order_date", None, "d")
    cuboid, grain = picked
    cells = SalesCell.objects.filter(cuboid=cuboid.id, grain=grain)
    if grain_next(grain, period.start) == period.end + timedelta(days=1):
        # One bucket (a calendar year, say): equality lets the planner read the period's
        # cells in customer order from the index.
        cells = cells.filter(period=period.start)
    else:
        cells = cells.filter(period__gte=period.start, period__lte=period.end)
    return Source(
        apply_slice(cells, sales_slice, SLICE_COLUMNS),
        "period",
        cuboid,
        grain,
        customers_counting(cuboid, grain, needed, time_dim, period),
        bool(needed & LINE_LEVEL),
    )


def customers_counting(
    cuboid: Cuboid, grain: str, needed: set[str], time_dim: str | None, period: Period
) -> str:
    """How a request counts customers on these cells (Source.customers_by)."""
    if cuboid != CUSTOMER_CUBOID or not one_cell_per_group(grain, time_dim, period):
        return "distinct"
    return "only" if needed - {"customer"} else "flag"


def one_cell_per_group(grain: str, time_dim: str | None, period: Period) -> bool:
    """Whether each answer group reads a single period of the grain (so a customer has at
    most one flagged cell in it)."""
    if time_dim is not None:
        return GRAIN_DIMENSION[grain] == time_dim
    return grain_next(grain, period.start) == period.end + timedelta(days=1)


# Tests set this to compare every answer with the one computed from the facts.
FORCE_FACTS = False


def grain_start(grain: str, day: date) -> date:
    return bucket_start(GRAIN_DIMENSION[grain], day)


def grain_next(grain: str, start: date) -> date:
    return bucket_next(GRAIN_DIMENSION[grain], start)
