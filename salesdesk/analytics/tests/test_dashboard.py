"""Dashboard figures (A2.1, A2.2, A4): every number equals metric_rows for the same slice."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics import dashboard
from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.selectors import metric_rows
from salesdesk.analytics.services import rollups_rebuild_range
from salesdesk.core.errors import ValidationFailed
from salesdesk.customers.tests.factories import enterprise

pytestmark = [pytest.mark.django_db, pytest.mark.req("A2.1", "A2.2", "A4")]

TODAY = date(2026, 2, 10)


def line(number, day, customer, amount, cost="1", **extra):
    return SalesFact(
        order_date=day,
        order_number=number,
        line_number=extra.pop("line_number", 1),
        is_first_line=extra.pop("is_first_line", True),
        customer=customer,
        customer_code=customer.code,
        industry=customer.industry,
        sku=extra.pop("sku", "B1"),
        category=extra.pop("category", "bearings"),
        salesperson=customer.owner.username,
        channel=extra.pop("channel", "written"),
        region=extra.pop("region", "north"),
        quantity=Decimal(1),
        revenue=Decimal(amount),
        cost=None if cost is None else Decimal(cost),
        status="approved",
        **extra,
    )


@pytest.fixture
def sales_facts(salesperson, other_salesperson):
    return make_sales(salesperson, other_salesperson)


def make_sales(salesperson, other_salesperson):
    """Q1 2026: mine orders in Jan and Feb, theirs in Jan; Q4 2025 and Q1 2025 for comparison."""
    mine = enterprise(salesperson, industry="machinery")
    mine2 = enterprise(salesperson, industry="food")
    theirs = enterprise(other_salesperson, industry="food")
    facts = [
        line("A1", date(2026, 1, 5), mine, "300", "100", promised_date=date(2026, 1, 9)),
        line(
            "A1",
            date(2026, 1, 5),
            mine,
            "50",
            None,
            line_number=2,
            is_first_line=False,
            sku="M1",
            category="motors",
        ),
        line("A2", date(2026, 2, 3), mine, "200", "250", delivery_date=date(2026, 2, 6)),
        line("A3", date(2026, 2, 4), mine2, "120", "60", region="south"),
        line("T1", date(2026, 1, 20), theirs, "700", "500"),
        line("Z1", date(2025, 11, 15), mine, "80", "50"),
        line("Z2", date(2025, 12, 1), theirs, "90", "40"),
        line("Y1", date(2025, 1, 10), mine, "100", "60"),
        line("Y2", date(2025, 2, 12), theirs, "400", "300", channel="verbal"),
    ]
    SalesFact.objects.bulk_create(facts)
    rollups_rebuild_range(date(2025, 1, 1), date(2026, 12, 31))
    return {"mine": mine, "mine2": mine2, "theirs": theirs}


def rows(user, metric, group_by, period, **filters):
    return metric_rows(
        user=user,
        metric=metric,
        group_by=group_by,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        filters=filters,
    )[1]


def value(user, metric, period, group_by="", **filters):
    found = rows(user, metric, group_by, period, **filters)
    return found[0]["value"] if found else None


def test_presets_are_whole_buckets_compared_with_the_one_before_and_a_year_earlier():
    period = dashboard.period_resolve("this_quarter", today=TODAY)
    assert (period.current.start, period.current.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (period.previous.start, period.previous.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert (period.year_ago.start, period.year_ago.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert period.bucket == "quarter"
    last_month = dashboard.period_resolve("last_month", today=TODAY)
    assert (last_month.current.start, last_month.current.end) == (
        date(2026, 1, 1),
        date(2026, 1, 31),
    )
    assert last_month.previous.start == date(2025, 12, 1)
    assert dashboard.period_resolve("last_year", today=TODAY).bucket == "year"
    assert dashboard.period_resolve("nonsense", today=TODAY).preset == "this_month"


def test_custom_period_compares_with_equal_length_before_and_a_year_earlier():
    period = dashboard.period_resolve("custom", "2026-01-10", "2026-02-08", today=TODAY)
    assert period.bucket is None
    assert (period.previous.start, period.previous.end) == (date(2025, 12, 11), date(2026, 1, 9))
    assert period.year_ago.start == date(2025, 1, 10)
    assert dashboard.period_resolve("custom", "2026-02-01", "2026-02-28", today=TODAY).bucket == (
        "month"
    )


@pytest.mark.parametrize(
    ("start", "end", "code", "field"),
    [
        ("", "2026-01-31", "invalid_date", "from"),
        ("2026-01-01", "soon", "invalid_date", "to"),
        ("2026-02-01", "2026-01-01", "invalid_period", "to"),
    ],
)
def test_custom_period_refuses_bad_dates(start, end, code, field):
    with pytest.raises(ValidationFailed) as caught:
        dashboard.period_resolve("custom", start, end, today=TODAY)
    assert (caught.value.code, caught.value.field) == (code, field)


def _tiles(overview):
    return {tile.name: tile for tile in overview.tiles}


def test_preset_tiles_equal_metric_rows_grouped_by_the_bucket(sales_manager, sales_facts):
    period = dashboard.period_resolve("this_quarter", today=TODAY)
    overview = dashboard.dashboard_overview(user=sales_manager, period=period, filters={})
    tiles = _tiles(overview)
    for name in dashboard.TILES:
        for attribute, compared in (
            ("value", period.current),
            ("previous", period.previous),
            ("year_ago", period.year_ago),
        ):
            expected = value(sales_manager, name, compared, group_by="quarter")
            if expected is None:
                expected = dashboard._empty_value(name)
            assert getattr(tiles[name], attribute) == expected, (name, attribute)
    assert tiles["revenue"].value == Decimal("1370.00")
    assert tiles["revenue"].previous == Decimal("170.00")
    assert tiles["revenue"].year_ago == Decimal("500.00")
    assert tiles["order_count"].value == 4
    assert tiles["churn_rate"].value == Decimal("0")
    assert tiles["revenue"].change_year_ago == value(
        sales_manager, "growth_rate_yoy", period.current, group_by="quarter"
    )
    assert overview.calls <= 14


def test_custom_tiles_equal_ungrouped_metric_rows(sales_manager, sales_facts):
    period = dashboard.period_resolve("custom", "2026-01-10", "2026-02-08", today=TODAY)
    tiles = _tiles(dashboard.dashboard_overview(user=sales_manager, period=period, filters={}))
    for name in dashboard.TILES:
        assert tiles[name].value == value(sales_manager, name, period.current), name
        assert tiles[name].previous == value(sales_manager, name, period.previous), name
        assert tiles[name].year_ago == value(sales_manager, name, period.year_ago), name
    assert tiles["revenue"].change_previous == value(sales_manager, "growth_rate", period.current)
    assert tiles["revenue"].value == Decimal("1020.00")


def test_trend_and_top_tables_equal_metric_rows(sales_manager, sales_facts):
    period = dashboard.period_resolve("this_year", today=TODAY)
    overview = dashboard.dashboard_overview(
        user=sales_manager, period=period, filters={}, top_size=2
    )
    by_month = {
        r["month"]: r["value"] for r in rows(sales_manager, "revenue", "month", period.current)
    }
    margin = {
        r["month"]: r["value"] for r in rows(sales_manager, "gross_margin", "month", period.current)
    }
    orders = {
        r["month"]: r["value"] for r in rows(sales_manager, "order_count", "month", period.current)
    }
    assert len(overview.trend) == 12
    for row in overview.trend:
        assert row["revenue"] == by_month.get(row["bucket"], 0)
        assert row["gross_margin"] == margin.get(row["bucket"], 0)
        assert row["orders"] == orders.get(row["bucket"], 0)
    customers = sorted(
        rows(sales_manager, "revenue", "customer", period.current), key=lambda r: -r["value"]
    )
    assert [(r["key"], r["revenue"]) for r in overview.tops["customer"]] == [
        (r["customer"], r["value"]) for r in customers[:2]
    ]
    assert [r["key"] for r in overview.tops["region"]] == ["north", "south"]
    assert overview.calls <= 14


def test_day_trend_for_a_month(sales_manager, sales_facts):
    period = dashboard.period_resolve("custom", "2026-02-01", "2026-02-28", today=TODAY)
    overview = dashboard.dashboard_overview(user=sales_manager, period=period, filters={})
    assert len(overview.trend) == 28
    assert overview.trend[2]["revenue"] == Decimal("200.00")
    assert overview.trend[3]["orders"] == 1


def test_salesperson_sees_only_own_customers(salesperson, sales_facts):
    period = dashboard.period_resolve("this_quarter", today=TODAY)
    overview = dashboard.dashboard_overview(user=salesperson, period=period, filters={})
    assert _tiles(overview)["revenue"].value == Decimal("670.00")
    codes = {row["key"] for row in overview.tops["customer"]}
    assert codes == {sales_facts["mine"].code, sales_facts["mine2"].code}
    assert {row["key"] for row in overview.tops["salesperson"]} == {"sales1"}


def test_filters_narrow_every_figure(sales_manager, sales_facts):
    period = dashboard.period_resolve("this_quarter", today=TODAY)
    filters = {"industry": "food", "region": "", "channel": None}
    overview = dashboard.dashboard_overview(user=sales_manager, period=period, filters=filters)
    assert overview.filters == {"industry": "food"}
    tiles = _tiles(overview)
    assert tiles["revenue"].value == Decimal("820.00")
    assert tiles["customer_count"].value == 2
    category = dashboard.dashboard_overview(
        user=sales_manager, period=period, filters={"category": "motors"}
    )
    assert _tiles(category)["revenue"].value == Decimal("50.00")
    assert _tiles(category)["satisfaction"].unavailable is True


def test_empty_period_has_zero_amounts_and_undefined_rates(sales_manager, sales_facts):
    period = dashboard.period_resolve("custom", "2020-03-01", "2020-03-31", today=TODAY)
    tiles = _tiles(dashboard.dashboard_overview(user=sales_manager, period=period, filters={}))
    assert tiles["revenue"].value == 0
    assert tiles["customer_count"].value == 0
    assert tiles["gross_margin_rate"].value is None
    assert tiles["average_order_value"].value is None
    assert tiles["revenue"].change_previous is None


def test_change_is_relative_for_amounts_and_in_points_for_rates():
    assert dashboard.change(Decimal("150"), Decimal("100"), "money") == Decimal("0.5")
    assert dashboard.change(Decimal("150"), Decimal("0"), "money") is None
    assert dashboard.change(Decimal("0.30"), Decimal("0.25"), "ratio") == Decimal("0.05")
    assert dashboard.change(None, Decimal("0.25"), "ratio") is None


def test_additive_metrics_are_asked_by_the_coarsest_exact_grain():
    assert dashboard.period_resolve("this_year", today=TODAY).additive_grain == "month"
    assert dashboard.period_resolve("last_quarter", today=TODAY).additive_grain == "month"
    assert dashboard.period_resolve("this_month", today=TODAY).additive_grain == "day"
    half = dashboard.period_resolve("custom", "2026-01-01", "2026-06-30", today=TODAY)
    assert half.additive_grain == "month"  # compared with July–December, a year earlier
    uneven = dashboard.period_resolve("custom", "2026-01-10", "2026-06-30", today=TODAY)
    assert uneven.additive_grain == "day"
