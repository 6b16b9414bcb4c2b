"""Cells answer exactly what the facts answer (A2.1, A2.2), and live deltas equal a rebuild.

A seeded random history is summed into cells; every metric, grouping, filter and period is
computed twice — once through the cheapest cuboid, once from the facts (FORCE_FACTS) — and
must agree to the cent.
"""

import io
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from salesdesk.analytics import cube
from salesdesk.analytics.cube_build import cells_apply
from salesdesk.analytics.metrics import METRICS
from salesdesk.analytics.models import CustomerFirstOrder, RefreshState, SalesCell, SalesFact
from salesdesk.analytics.services import facts_refresh_changed, rollups_rebuild_range
from salesdesk.analytics.slicing import Period, Slice
from salesdesk.analytics.top import metric_top

pytestmark = [pytest.mark.django_db, pytest.mark.req("A2.1", "A2.2")]

CUSTOMERS = {
    f"C{i:02d}": (
        random.Random(i).choice(["machinery", "food", "textile"]),
        random.Random(i + 50).choice(["East", "South", "North"]),
        random.Random(i + 99).choice(["Fujian", "Jiangsu", "Taipei", "Guangdong"]),
    )
    for i in range(12)
}
PRODUCTS = {f"P{i}": ["bearings", "motors", "belts"][i % 3] for i in range(6)}
# Customers whose attributes change on a day: before and after it their orders fall in
# different cells of the same period (customer counts by attribute must still be exact).
MOVERS = {"C03": date(2025, 5, 15), "C04": date(2025, 11, 20), "C05": date(2026, 3, 16)}


def attributes(code: str, day: date) -> tuple[str, str, str]:
    industry, region, province = CUSTOMERS[code]
    if code in MOVERS and day >= MOVERS[code]:
        regions = ["East", "South", "North"]
        region = regions[(regions.index(region) + 1) % 3]
        province = "Zhejiang" if province != "Zhejiang" else "Fujian"
        if code != "C04":
            industry = "textile" if industry != "textile" else "food"
    return industry, region, province


def history(seed: int = 7, orders: int = 160) -> list[SalesFact]:
    rng = random.Random(seed)
    facts = []
    for n in range(orders):
        code = rng.choice(sorted(CUSTOMERS))
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 548))
        industry, region, province = attributes(code, day)
        salesperson = rng.choice(["alice", "bob", "carol"])
        channel = rng.choice(["written", "online"])
        for line in range(1, rng.randint(1, 4) + 1):
            sku = rng.choice(sorted(PRODUCTS))
            quantity = Decimal(rng.randint(1, 9))
            revenue = quantity * Decimal(rng.randint(10, 300))
            promised = day + timedelta(days=rng.randint(3, 20))
            delivered = (
                promised + timedelta(days=rng.randint(-3, 3)) if rng.random() < 0.8 else None
            )
            facts.append(
                SalesFact(
                    order_date=day,
                    order_number=f"O{n:04d}",
                    line_number=line,
                    is_first_line=line == 1,
                    customer_code=code,
                    industry=industry,
                    country="CN",
                    region=region,
                    province=province,
                    sku=sku,
                    category=PRODUCTS[sku],
                    salesperson=salesperson,
                    channel=channel,
                    ship_mode=rng.choice(["express", "truck"]),
                    quantity=quantity,
                    revenue=revenue,
                    cost=None if rng.random() < 0.1 else revenue * Decimal("0.6"),
                    promised_date=promised,
                    delivery_date=delivered,
                    status="closed",
                )
            )
    return facts


@pytest.fixture
def loaded():
    facts = history()
    SalesFact.objects.bulk_create(facts)
    rollups_rebuild_range(date(2025, 1, 1), date(2026, 12, 31))
    return facts


PERIODS = [
    Period(date(2025, 1, 1), date(2025, 12, 31)),
    Period(date(2025, 4, 1), date(2025, 6, 30)),
    Period(date(2026, 3, 1), date(2026, 3, 31)),
    Period(date(2025, 2, 10), date(2025, 5, 20)),
]
GROUPINGS = [
    [],
    ["month"],
    ["quarter"],
    ["region"],
    ["industry"],
    ["quarter", "province"],
    ["category"],
    ["month", "region"],
    ["quarter", "category"],
    ["customer"],
    ["product"],
    ["salesperson", "channel"],
    ["week"],
]
SLICES = [
    {},
    {"region": "East"},
    {"category": "motors"},
    {"salesperson": "bob", "ship_mode": "truck"},
    {"industry": "food", "channel": "online"},
    {"region": "East", "category": "motors", "channel": "written"},
]


def test_movers_have_several_cells_in_a_period(loaded):
    """The history holds customers counted through both the sum and the DISTINCT part."""
    several = SalesCell.objects.filter(cuboid=cube.CUSTOMER_CUBOID.id, stable=0)
    assert set(several.values_list("customer_code", flat=True)) == set(MOVERS)
    assert several.filter(grain="y", period=date(2025, 1, 1), customer_code="C03").count() == 2
    assert SalesCell.objects.filter(cuboid=cube.CUSTOMER_CUBOID.id, stable=1).count() > 100
    source = cube.source_for(Slice(), PERIODS[0], ["region"], customers=True)
    assert (source.cuboid, source.customers_by) == (cube.CUSTOMER_CUBOID, "only")


def _answers(name, sales_slice, period, group_by):
    rows = METRICS[name].compute(sales_slice, period, group_by)
    return sorted((tuple(str(r[d]) for d in group_by), r["value"]) for r in rows)


@pytest.mark.parametrize("name", sorted(set(METRICS) - {"satisfaction", "market_share"}))
def test_cells_agree_with_facts(loaded, name, monkeypatch):
    checked = 0
    for period in PERIODS:
        for group_by in GROUPINGS:
            for values in [*SLICES, None]:
                if values is None:
                    sales_slice = Slice(visible_codes=["C01", "C02", "C05", "C07"])
                else:
                    sales_slice = Slice(values=values)
                monkeypatch.setattr(cube, "FORCE_FACTS", False)
                from_cells = _answers(name, sales_slice, period, group_by)
                monkeypatch.setattr(cube, "FORCE_FACTS", True)
                from_facts = _answers(name, sales_slice, period, group_by)
                assert from_cells == from_facts, (name, period, group_by, values)
                checked += 1
    assert checked == len(PERIODS) * len(GROUPINGS) * (len(SLICES) + 1)


def test_a_one_year_request_reads_cells_not_facts(loaded):
    year = PERIODS[0]
    source = cube.source_for(Slice(), year, ["month"])
    assert source.cuboid is not None and source.cuboid.dims == frozenset() and source.grain == "m"
    source = cube.source_for(Slice(values={"region": "East"}), year, ["category"], orders=True)
    assert source.cuboid.dims == {"region", "category"} and source.grain == "y"
    source = cube.source_for(Slice(), year, ["customer"], customers=True)
    assert source.cuboid == cube.CUSTOMER_CUBOID and source.grain == "y"
    # Orders by category need a cuboid with exactly that product-level dimension.
    source = cube.source_for(Slice(values={"ship_mode": "truck"}), year, [], orders=True)
    assert source.cuboid.line_dims == {"ship_mode"}
    # Weeks need days: the total cuboid has them.
    assert cube.source_for(Slice(), year, ["week"]).grain == "d"
    # A period of odd days with a customer filter has no cuboid: the facts answer.
    assert cube.source_for(Slice(values={"customer": "C01"}), PERIODS[3], []).is_facts


def _snapshot():
    cells = {}
    counted = defaultdict(int)
    for cell in SalesCell.objects.all():
        key = (cell.grain, cell.cuboid, cell.period, cell.customer_code, cell.sku)
        key += (cell.salesperson, cell.channel, cell.region, cell.category, cell.ship_mode)
        key += (cell.industry, cell.province, cell.country)
        cells[key] = (
            cell.orders,
            cell.first_lines,
            Decimal(cell.quantity).quantize(Decimal("0.001")),
            Decimal(cell.revenue).quantize(Decimal("0.01")),
            Decimal(cell.cost).quantize(Decimal("0.01")),
            cell.lines,
            cell.delivered_lines,
            cell.on_time_lines,
            cell.retained,
            cell.is_new,
            cell.stable,
        )
        # Which of a customer's cells in a period carries the flag is arbitrary; that one does.
        if cell.cuboid == cube.CUSTOMER_CUBOID.id:
            counted[cell.grain, cell.period, cell.customer_code] += cell.first_cell
    firsts = sorted(CustomerFirstOrder.objects.values_list("customer_code", "day", "month"))
    assert set(counted.values()) == {1}
    return cells, firsts


def test_live_deltas_equal_a_full_rebuild():
    facts = history(seed=11, orders=90)
    by_order = defaultdict(list)
    for fact in facts:
        by_order[fact.order_number].append(fact)
    numbers = sorted(by_order)
    # Half the orders in bulk, the rest arriving one by one, then ten cancelled.
    SalesFact.objects.bulk_create([f for n in numbers[:45] for f in by_order[n]])
    rollups_rebuild_range(date(2025, 1, 1), date(2026, 12, 31))
    for number in numbers[45:]:
        SalesFact.objects.bulk_create(by_order[number])
        cells_apply([], by_order[number])
    for number in numbers[::9]:
        SalesFact.objects.filter(order_number=number).delete()
        cells_apply(by_order[number], [])
    live = _snapshot()
    rollups_rebuild_range(date(2025, 1, 1), date(2026, 12, 31))
    rebuilt = _snapshot()
    assert live[1] == rebuilt[1]
    assert live[0] == rebuilt[0]
    assert len(rebuilt[0]) > 1000


@pytest.mark.parametrize("name", ["revenue", "order_count", "customer_count", "churn_rate"])
def test_top_n_in_sql_equals_ranking_every_group(loaded, name):
    """A2.1 top-N: the n largest groups, largest first, ties by group name."""
    year = PERIODS[0]
    for group_by in (["customer"], ["category"], ["region"]):
        every = METRICS[name].compute(Slice(), year, group_by)
        every.sort(key=lambda r: str(r[group_by[0]]))
        every.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0)))
        assert metric_top(name, Slice(), year, group_by, 3) == every[:3]


def test_filters_on_three_dimensions_read_the_wider_cuboids(loaded):
    """Filters and groups over three or more small dimensions need no facts (A2.1)."""
    year = PERIODS[0]
    food_online = Slice(values={"industry": "food", "channel": "online"})
    assert cube.source_for(food_online, year, ["category"]).cuboid.id == 501
    assert cube.source_for(food_online, year, ["province"]).cuboid.id == 500
    assert cube.source_for(food_online, year, ["salesperson"], orders=True).cuboid.id == 500
    by_mode = Slice(values={"region": "East", "category": "motors"})
    assert cube.source_for(by_mode, year, ["ship_mode"]).cuboid.id == 502
    # Two dimensions still read their pair; what no cuboid holds reads the facts.
    assert (
        len(cube.source_for(Slice(values={"region": "East"}), year, ["category"]).cuboid.dims) == 2
    )
    assert cube.source_for(food_online, year, ["ship_mode"]).is_facts


def test_cells_are_read_only_once_built_for_this_layout():
    """After an upgrade that changed the cuboids the facts answer until the cells are rebuilt
    for every year with facts; then the cells do (the worker's refresh rebuilds them)."""
    facts = history(orders=40)
    SalesFact.objects.bulk_create(facts)
    year = PERIODS[0]
    expected = METRICS["revenue"].compute(Slice(), year, ["region"])
    RefreshState.objects.create(name="cells:0123456789ab", watermark=timezone.now())

    assert not cube.cells_built()
    assert cube.source_for(Slice(), year, ["region"]).is_facts
    # A rebuild of some years only (the others keep the old cuboids) does not mark the layout.
    rollups_rebuild_range(date(2025, 1, 1), date(2025, 12, 31))
    assert not cube.cells_built()
    assert cube.source_for(Slice(), year, ["region"]).is_facts

    facts_refresh_changed()

    assert cube.cells_built()
    assert not RefreshState.objects.filter(name="cells:0123456789ab").exists()
    assert not cube.source_for(Slice(), year, ["region"]).is_facts
    assert METRICS["revenue"].compute(Slice(), year, ["region"]) == expected


def test_the_rebuild_command_builds_the_cells_and_says_so():
    SalesFact.objects.bulk_create(history(orders=30))
    out = io.StringIO()

    call_command("analytics", "status", stdout=out)
    assert "Not built for this layout" in out.getvalue()
    assert not SalesCell.objects.exists()

    call_command("analytics", "rebuild", stdout=out)

    assert "Rebuilt 2025-01-01 – 2026-12-31" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Built: analytics read the cells.")
    assert SalesCell.objects.filter(cuboid=500).exists()
    assert cube.cells_built()


def test_a_rebuild_gives_the_query_planner_statistics(loaded):
    """After a bulk rebuild the planner knows the cells (ANALYZE); on SQLite it would
    otherwise scan a period's cells to find one salesperson's customers."""
    query = (
        "SELECT tbl FROM sqlite_stat1"
        if connection.vendor == "sqlite"
        else "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        analysed = {row[0] for row in cursor.fetchall()}
    assert {SalesCell._meta.db_table, SalesFact._meta.db_table} <= analysed


def test_one_bucket_reads_its_cells_by_equality(loaded):
    """A calendar year on yearly cells filters `period =` (the planner then reads a year by
    customer in index order); several buckets filter a range."""
    year = cube.source_for(Slice(), PERIODS[0], ["customer"])
    assert year.grain == "y"
    assert '"period" = ' in str(year.queryset.query)
    quarter = cube.source_for(Slice(), PERIODS[1], ["region"])
    assert quarter.grain == "m"
    assert '"period" >= ' in str(quarter.queryset.query)
