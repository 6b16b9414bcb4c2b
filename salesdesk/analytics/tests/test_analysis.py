"""Comparison, top-N and driver analysis on hand-computed data (A2.1)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesdesk.analytics import analysis
from salesdesk.analytics.analysis import Query
from salesdesk.analytics.drivers import allocate_cents, price_volume_mix, revenue_drivers
from salesdesk.analytics.selectors import metric_rows
from salesdesk.analytics.tests.analysis_data import fact, load
from salesdesk.core.errors import ValidationFailed
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("A2.1")
D = Decimal
MARCH = ("2026-03-01", "2026-03-31")


@pytest.fixture
def three_customers(db):
    load(
        fact(date(2026, 3, 5), "X", "A", 1, "100"),
        fact(date(2026, 2, 10), "X", "A", 1, "80"),
        fact(date(2026, 3, 6), "Y", "A", 1, "50"),
        fact(date(2026, 2, 20), "Z", "B", 1, "40"),
    )


def test_compare_with_the_previous_period_per_group(supervisor, three_customers):
    result = analysis.compare(Query(supervisor, *MARCH), "revenue", "customer")
    assert (result.base.start, result.base.end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert [(r.key, r.current, r.previous, r.change, r.change_rate) for r in result.rows] == [
        (("X",), D("100.00"), D("80.00"), D("20.00"), D("0.2500")),
        (("Y",), D("50.00"), D(0), D("50.00"), None),
        (("Z",), D(0), D("40.00"), D("-40.00"), D("-1.0000")),
    ]
    total = analysis.compare(Query(supervisor, *MARCH), "revenue").rows
    assert [(r.current, r.previous, r.change_rate) for r in total] == [
        (D("150.00"), D("120.00"), D("0.2500"))
    ]


def test_empty_previous_year_gives_no_rate(supervisor, three_customers):
    result = analysis.compare(Query(supervisor, *MARCH), "revenue", basis="year")
    assert (result.base.start, result.base.end) == (date(2025, 3, 1), date(2025, 3, 31))
    row = result.rows[0]
    assert (row.current, row.previous, row.change, row.change_rate) == (
        D("150.00"),
        D("0.00"),
        D("150.00"),
        None,
    )


def test_non_additive_metric_missing_group_is_none(supervisor, three_customers):
    rows = analysis.compare(Query(supervisor, *MARCH), "average_order_value", "customer").rows
    assert [(r.key, r.current, r.previous, r.change) for r in rows] == [
        (("X",), D("100.00"), D("80.00"), D("20.00")),
        (("Y",), D("50.00"), None, None),
        (("Z",), None, D("40.00"), None),
    ]


def test_explicit_compared_period(supervisor, three_customers):
    result = analysis.compare(
        Query(supervisor, *MARCH), "order_count", "", base_from="2026-02-01", base_to="2026-02-15"
    )
    assert [(r.current, r.previous, r.change_rate) for r in result.rows] == [
        (D(2), D(1), D("1.0000"))
    ]


def test_time_filter_outside_the_period_gives_nothing(supervisor, three_customers):
    query = Query(supervisor, *MARCH, filters={"month": "2026-05-01"})
    assert analysis.compare(query, "revenue", "customer").rows == []
    assert revenue_drivers(query).change == 0


def test_top_n_with_remainder_and_shares(supervisor, db):
    load(
        *[
            fact(date(2026, 3, 2), code, "A", 1, amount)
            for code, amount in (("C1", 100), ("C2", 50), ("C3", 30), ("C4", 20))
        ]
    )
    top = analysis.top_n(Query(supervisor, *MARCH), "revenue", "customer", 2)
    assert top.total == D("200.00")
    assert [(r.rank, r.key, r.value, r.share) for r in top.rows] == [
        (1, "C1", D("100.00"), D("0.5000")),
        (2, "C2", D("50.00"), D("0.2500")),
    ]
    assert (top.others.value, top.others.share, top.others.groups) == (D("50.00"), D("0.25"), 2)
    assert analysis.top_n(Query(supervisor, *MARCH), "revenue", "customer", 4).others is None


def test_contributions_add_up_to_the_change(supervisor, db):
    load(
        fact(date(2026, 2, 3), "C1", "A", 2, "200", category="motor"),
        fact(date(2026, 2, 4), "C2", "B", 1, "33.33", category="gear"),
        fact(date(2026, 3, 3), "C1", "A", 3, "310", category="motor"),
        fact(date(2026, 3, 4), "C3", "C", 1, "12.34", category="cable"),
    )
    drivers = revenue_drivers(Query(supervisor, *MARCH), "category")
    assert [(c.key, c.change, c.share) for c in drivers.contributions] == [
        ("motor", D("110.00"), D("1.2358")),
        ("gear", D("-33.33"), D("-0.3745")),
        ("cable", D("12.34"), D("0.1386")),
    ]
    assert sum(c.change for c in drivers.contributions) == drivers.change == D("89.01")
    _, now = metric_rows(
        user=supervisor, metric="revenue", group_by="", start=MARCH[0], end=MARCH[1], filters={}
    )
    assert drivers.revenue_after == now[0]["value"]
    assert drivers.effects.total == drivers.change


def test_price_volume_mix_hand_computed_two_products():
    before = {"A": (D(10), D(100)), "B": (D(10), D(200))}
    after = {"A": (D(20), D(220)), "B": (D(5), D(100))}
    effects, products = price_volume_mix(before, after)
    # P̄0 = 300 / 20 = 15; volume = (25 − 20) × 15 = 75
    # mix = (20/25 − 10/20) × 25 × 10 + (5/25 − 10/20) × 25 × 20 = 75 − 150 = −75
    # price = (11 − 10) × 20 + (20 − 20) × 5 = 20
    assert (effects.volume, effects.mix, effects.price) == (D(75), D(-75), D(20))
    assert (effects.new, effects.discontinued) == (0, 0)
    assert effects.total == D(20)
    a = products[0]
    assert (a.price_before, a.price_after, a.price_effect, a.quantity_effect) == (
        D(10),
        D(11),
        D(20),
        D(100),
    )


def test_new_and_discontinued_products_are_their_own_terms():
    before = {"A": (D(10), D(100)), "B": (D(10), D(200)), "D": (D(2), D(50))}
    after = {"A": (D(20), D(220)), "B": (D(5), D(100)), "C": (D(1), D(30))}
    effects, products = price_volume_mix(before, after)
    assert (effects.volume, effects.mix, effects.price) == (D(75), D(-75), D(20))
    assert (effects.new, effects.discontinued) == (D(30), D(-50))
    assert effects.total == 0
    assert {p.sku: p.status for p in products} == {
        "A": "continuing",
        "B": "continuing",
        "C": "new",
        "D": "discontinued",
    }


quantities = st.decimals(min_value=0, max_value=10_000, places=3)
amounts = st.decimals(min_value=-1_000, max_value=1_000_000, places=2)
sales = st.dictionaries(
    st.sampled_from(["A", "B", "C", "D", "E"]), st.tuples(quantities, amounts), max_size=5
)


@settings(max_examples=300, deadline=None)
@given(before=sales, after=sales)
def test_effects_always_add_up_to_the_change(before, after):
    effects, _products = price_volume_mix(before, after)
    change = sum((r for _q, r in after.values()), D(0))
    change -= sum((r for _q, r in before.values()), D(0))
    assert effects.total == change
    continuing = [s for s in before if s in after and before[s][0] > 0 and after[s][0] > 0]
    exact = sum((Fraction(after[s][1]) - Fraction(before[s][1]) for s in continuing), Fraction(0))
    rounded = effects.volume + effects.mix + effects.price
    assert abs(Fraction(rounded) - exact) <= Fraction(3, 100)


@given(st.lists(st.fractions(min_value=-1000, max_value=1000, max_denominator=97), max_size=6))
def test_cents_allocation_keeps_the_total(values):
    cents = Fraction(round(sum(values, Fraction(0)) * 100), 100)
    parts = {str(i): v for i, v in enumerate(values)}
    parts["rest"] = cents - sum(values, Fraction(0))
    shown = allocate_cents(parts)
    assert sum(shown.values()) == Decimal(cents.numerator) / cents.denominator
    assert all(abs(Fraction(shown[k]) - parts[k]) < Fraction(1, 100) for k in parts)


def test_salesperson_analysis_is_scoped(salesperson, other_salesperson, db):
    mine, theirs = enterprise(salesperson), enterprise(other_salesperson)
    load(
        fact(date(2026, 3, 2), mine, "A", 1, "10"),
        fact(date(2026, 3, 2), theirs, "A", 1, "99"),
        fact(date(2026, 2, 2), theirs, "A", 1, "5"),
    )
    query = Query(salesperson, *MARCH)
    assert [r.key for r in analysis.compare(query, "revenue", "customer").rows] == [(mine.code,)]
    assert analysis.top_n(query, "revenue", "customer").total == D("10.00")
    drivers = revenue_drivers(query, "customer")
    assert (drivers.revenue_before, drivers.revenue_after) == (0, D("10.00"))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda q: analysis.compare(q, "revenue", "month"), "group_by"),
        (lambda q: analysis.compare(q, "revenue", basis="decade"), "basis"),
        (lambda q: analysis.compare(q, "revenue", base_from="x", base_to="2026-1-1"), "base_from"),
        (lambda q: analysis.top_n(q, "churn_rate", "customer"), "metric"),
        (lambda q: analysis.top_n(q, "revenue", "month"), "dimension"),
        (lambda q: analysis.top_n(q, "revenue", "customer", 0), "n"),
        (lambda q: revenue_drivers(q, "planet"), "dimension"),
    ],
)
def test_bad_parameters_are_named(supervisor, call, field):
    with pytest.raises(ValidationFailed) as caught:
        call(Query(supervisor, *MARCH))
    assert caught.value.extra["field"] == field
