"""Pack figures come from the metric definitions, over the hand-computed history (A3.1)."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics.slicing import Period
from salesdesk.reports import content, rules

pytestmark = [pytest.mark.django_db, pytest.mark.req("A3.1")]

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))


def test_summary_compares_with_previous_month_and_same_month_last_year(sales_history):
    figures = content.collect("monthly", MARCH)
    revenue = figures.metric("revenue")
    assert revenue["value"] == Decimal("1500.00")
    assert revenue["previous"] == Decimal("2000.00")
    assert revenue["year_ago"] == Decimal("1200.00")
    assert revenue["change_previous"] == Decimal("-0.2500")
    assert revenue["change_year"] == Decimal("0.2500")
    rate = figures.metric("gross_margin_rate")
    assert (rate["value"], rate["previous"]) == (Decimal("0.3333"), Decimal("0.4600"))
    assert rate["change_previous"] == Decimal("-0.1267")
    churn = figures.metric("churn_rate")
    assert (churn["value"], churn["previous"]) == (Decimal("0.3333"), Decimal("0.0000"))
    assert figures.metric("on_time_delivery_rate")["value"] == Decimal("0.5000")
    assert figures.metric("customer_count")["value"] == Decimal(2)


def test_breakdowns_trend_and_top_lists(sales_history):
    figures = content.collect("monthly", MARCH)
    regions = {row["key"]: row for row in figures.breakdowns["region"]}
    assert regions["華南"]["revenue"] == Decimal("500.00")
    assert regions["華南"]["previous"] == Decimal("1200.00")
    assert regions["華東"]["share"] == Decimal("0.6667")
    assert [row["key"] for row in figures.top["customer"]] == ["C1", "C2"]
    assert len(figures.trend) == 12
    assert figures.trend[0]["month"] == date(2024, 4, 1)
    assert figures.trend[-1]["revenue"] == Decimal("1500.00")


def test_rules_on_the_history_find_each_problem(sales_history):
    figures = content.collect("monthly", MARCH)
    limits = {
        "falling_percent": Decimal(20),
        "falling_minimum": Decimal(0),
        "churn_points": Decimal(5),
        "margin_points": Decimal(3),
        "on_time_percent": Decimal(90),
    }
    found = {
        (p["code"], p["dimension"], p["segment"]) for p in rules.find_problems(figures, limits)
    }
    assert found == {
        ("falling_segment", "region", "華南"),
        ("falling_segment", "category", "馬達"),
        ("falling_segment", "salesperson", "bob"),
        ("falling_segment", "customer", "C2"),
        ("falling_segment", "customer", "C3"),
        ("rising_churn", "", ""),
        ("margin_erosion", "", ""),
        ("margin_erosion", "category", "馬達"),
        ("late_deliveries", "", ""),
        ("late_deliveries", "ship_mode", "rail"),
        ("late_deliveries", "region", "華南"),
    }
