"""Every metric against a small hand-computed dataset, with empty and first-period edge cases."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics.metrics import METRICS, metric_get
from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.services import rollup_rebuild
from salesdesk.analytics.slicing import Period, Slice, bucket_start
from salesdesk.core.errors import ValidationFailed

pytestmark = [pytest.mark.django_db, pytest.mark.req("A2.1", "A2.2")]

JAN = Period(date(2026, 1, 1), date(2026, 1, 31))
FEB = Period(date(2026, 2, 1), date(2026, 2, 28))


def fact(number, line, day, customer, sku, quantity, price, cost, **extra):
    return SalesFact(
        order_date=day,
        order_number=number,
        line_number=line,
        is_first_line=line == 1,
        customer_code=customer,
        industry=extra.pop("industry", "machinery"),
        country="CN",
        province=extra.pop("province", "Fujian"),
        sku=sku,
        category=extra.pop("category", "bearings"),
        salesperson=extra.pop("salesperson", "alice"),
        channel="written",
        quantity=Decimal(quantity),
        revenue=Decimal(quantity) * Decimal(price),
        cost=Decimal(quantity) * Decimal(cost),
        status="approved",
        **extra,
    )


@pytest.fixture
def dataset():
    """Jan: C1 two orders (300 + 100), C2 one order of two lines (200 + 50, other industry).
    Feb: C1 one order (500). Dec 2025: C3 one order (80). Jan 2025: C1 one order (100)."""
    facts = [
        fact(
            "A1",
            1,
            date(2026, 1, 5),
            "C1",
            "B1",
            3,
            100,
            60,
            promised_date=date(2026, 1, 10),
            delivery_date=date(2026, 1, 9),
        ),
        fact(
            "A2",
            1,
            date(2026, 1, 20),
            "C1",
            "B1",
            1,
            100,
            60,
            promised_date=date(2026, 1, 25),
            delivery_date=date(2026, 1, 28),
        ),
        fact("A3", 1, date(2026, 1, 20), "C2", "B1", 2, 100, 60, industry="food"),
        fact("A3", 2, date(2026, 1, 20), "C2", "M1", 1, 50, 20, industry="food", category="motors"),
        fact("B1", 1, date(2026, 2, 3), "C1", "M1", 10, 50, 20, category="motors"),
        fact("Z1", 1, date(2025, 12, 15), "C3", "B1", 1, 80, 50),
        fact("Y1", 1, date(2025, 1, 10), "C1", "B1", 1, 100, 60),
    ]
    SalesFact.objects.bulk_create(facts)
    rollup_rebuild((f.order_date, f.customer_code) for f in facts)


def values(name, period, group_by=(), **filters):
    rows = metric_get(name).compute(Slice(values=filters), period, list(group_by))
    return [(*(row[d] for d in group_by), row["value"]) for row in rows]


def test_revenue_cost_and_margin(dataset):
    assert values("revenue", JAN) == [(Decimal("650.00"),)]
    assert values("gross_margin", JAN) == [(Decimal("270.00"),)]
    assert values("gross_margin_rate", JAN) == [(Decimal("0.4154"),)]
    assert values("revenue", JAN, ["industry"]) == [
        ("food", Decimal("250.00")),
        ("machinery", Decimal("400.00")),
    ]
    assert values("revenue", JAN, ["category"], industry="food") == [
        ("bearings", Decimal("200.00")),
        ("motors", Decimal("50.00")),
    ]


def test_empty_period_gives_zero_revenue_and_null_rates(dataset):
    empty = Period(date(2030, 1, 1), date(2030, 1, 31))
    assert values("revenue", empty) == [(Decimal("0.00"),)]
    assert values("order_count", empty) == [(Decimal(0),)]
    assert values("customer_count", empty) == [(Decimal(0),)]
    assert values("new_customers", empty) == [(Decimal(0),)]
    for name in ("gross_margin_rate", "average_order_value", "on_time_delivery_rate"):
        assert values(name, empty) == [(None,)]
    assert values("revenue", empty, ["month"]) == []


def test_order_count_counts_orders_not_lines(dataset):
    assert values("order_count", JAN) == [(Decimal(3),)]
    assert values("order_count", JAN, ["customer"]) == [("C1", Decimal(2)), ("C2", Decimal(1))]
    assert values("order_count", JAN, ["category"]) == [
        ("bearings", Decimal(3)),
        ("motors", Decimal(1)),
    ]
    assert values("order_count", JAN, category="motors") == [(Decimal(1),)]
    assert values("average_order_value", JAN) == [(Decimal("216.67"),)]


def test_customer_counts(dataset):
    assert values("customer_count", JAN) == [(Decimal(2),)]
    assert values("new_customers", JAN) == [(Decimal(1),)]
    assert values("new_customers", Period(date(2025, 1, 1), date(2026, 2, 28)), ["month"]) == [
        (date(2025, 1, 1), Decimal(1)),
        (date(2025, 12, 1), Decimal(1)),
        (date(2026, 1, 1), Decimal(1)),
    ]


def test_churn_against_previous_period(dataset):
    # Previous of Feb (28 days) is 4–31 Jan: C1 and C2; only C1 ordered in Feb.
    assert values("churn_rate", FEB) == [(Decimal("0.5000"),)]
    # Previous of Jan is Dec: C3 ordered then, not in Jan.
    assert values("churn_rate", JAN) == [(Decimal("1.0000"),)]
    assert values("churn_rate", Period(date(2024, 1, 1), date(2024, 1, 31))) == [(None,)]
    assert values("churn_rate", FEB, ["industry"]) == [
        ("food", Decimal("1.0000")),
        ("machinery", Decimal("0.0000")),
    ]


def test_growth_previous_period_and_year_over_year(dataset):
    assert values("growth_rate", FEB) == [(Decimal("-0.2308"),)]
    assert values("growth_rate_yoy", JAN) == [(Decimal("5.5000"),)]
    first = Period(date(2025, 1, 1), date(2025, 1, 31))
    assert values("growth_rate", first) == [(None,)]
    assert values("growth_rate", Period(date(2025, 12, 1), date(2026, 2, 28)), ["month"]) == [
        (date(2025, 12, 1), None),
        (date(2026, 1, 1), Decimal("7.1250")),
        (date(2026, 2, 1), Decimal("-0.2308")),
    ]


def test_on_time_delivery_rate(dataset):
    assert values("on_time_delivery_rate", JAN) == [(Decimal("0.5000"),)]
    assert values("on_time_delivery_rate", FEB) == [(None,)]


def test_unknown_metric_names_it():
    with pytest.raises(ValidationFailed) as error:
        metric_get("profit")
    assert error.value.code == "unknown_metric" and error.value.field == "metric"


def test_every_metric_has_label_formula_and_unit():
    assert len(METRICS) == 14
    for metric in METRICS.values():
        assert str(metric.label) and str(metric.formula)
        assert metric.unit in {"money", "ratio", "count", "quantity", "score"}


@pytest.mark.parametrize("dimension", ["day", "week", "month", "quarter", "year"])
def test_database_buckets_match_the_calendar(dimension):
    days = [date(2025, 12, 28), date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)]
    facts = [fact(f"T{i}", 1, day, "C9", "B1", 1, 10, 1) for i, day in enumerate(days)]
    SalesFact.objects.bulk_create(facts)
    rollup_rebuild((f.order_date, f.customer_code) for f in facts)
    rows = values("revenue", Period(days[0], days[-1]), [dimension])
    expected: dict[date, Decimal] = {}
    for day in days:
        start = bucket_start(dimension, day)
        expected[start] = expected.get(start, Decimal(0)) + Decimal("10.00")
    assert rows == sorted(expected.items())
