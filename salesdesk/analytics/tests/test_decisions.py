"""At-risk customers, opportunities and the forecast with its back-test (A4.1)."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics import decisions, forecasting
from salesdesk.analytics.analysis import Query
from salesdesk.analytics.decisions import months_back, windows
from salesdesk.analytics.tests.analysis_data import fact, load
from salesdesk.core import policies
from salesdesk.core.errors import ValidationFailed
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("A4.1")
D = Decimal
AS_OF = date(2026, 7, 15)
# recent: April–June 2026; baseline: April 2025 – March 2026
BASELINE_MONTHS = [months_back(date(2026, 3, 10), n) for n in range(12)]
RECENT_MONTHS = [date(2026, 4, 10), date(2026, 5, 10), date(2026, 6, 10)]


def test_windows_are_whole_months():
    recent, baseline = windows(AS_OF, 3)
    assert (recent.start, recent.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (baseline.start, baseline.end) == (date(2025, 4, 1), date(2026, 3, 31))


def _steady(customer, months, amount="100", sku="A", category="motor", **extra):
    return [fact(day, customer, sku, 1, amount, category=category, **extra) for day in months]


@pytest.fixture
def history(salesperson, other_salesperson):
    faded = enterprise(salesperson)  # 100 a month, then one order in April only
    steady = enterprise(salesperson)
    theirs = enterprise(other_salesperson)  # stopped completely
    load(
        *_steady(faded, BASELINE_MONTHS),
        fact(date(2026, 4, 10), faded, "A", 1, "100", category="motor"),
        *_steady(steady, BASELINE_MONTHS + RECENT_MONTHS),
        *_steady(theirs, BASELINE_MONTHS, amount="50"),
        fact(date(2025, 6, 1), "ONCE", "A", 1, "999"),  # one order: not judged
    )
    return {"faded": faded, "steady": steady, "theirs": theirs}


def test_at_risk_customers_against_their_own_baseline(supervisor, history):
    result = decisions.at_risk_customers(Query(supervisor, "", ""), AS_OF)
    assert (result.months, result.threshold) == (3, D("0.30"))
    rows = {row.customer: row for row in result.rows}
    assert set(rows) == {history["faded"].code, history["theirs"].code}
    faded = rows[history["faded"].code]
    assert (faded.baseline_revenue, faded.recent_revenue, faded.revenue_drop) == (
        D("100.00"),
        D("33.33"),
        D("0.6667"),
    )
    assert (faded.baseline_orders, faded.recent_orders, faded.orders_drop) == (
        D("1.00"),
        D("0.33"),
        D("0.6700"),
    )
    assert (faded.last_order, faded.salesperson, faded.name) == (
        date(2026, 4, 10),
        "sales1",
        history["faded"].short_name,
    )
    theirs = rows[history["theirs"].code]
    assert (theirs.recent_revenue, theirs.revenue_drop, theirs.last_order) == (
        D("0.00"),
        D("1.0000"),
        date(2026, 3, 10),
    )
    # the largest monthly loss first
    assert [row.customer for row in result.rows] == [faded.customer, theirs.customer]


def test_last_order_in_the_current_month_counts(supervisor, db):
    load(
        *_steady("BACK", BASELINE_MONTHS),
        fact(date(2026, 7, 3), "BACK", "A", 1, "5", salesperson="ghost"),
        fact(date(2026, 7, 20), "BACK", "A", 1, "5"),  # after as_of: not seen
    )
    [row] = decisions.at_risk_customers(Query(supervisor, "", ""), AS_OF).rows
    assert (row.customer, row.last_order, row.salesperson, row.name) == (
        "BACK",
        date(2026, 7, 3),
        "ghost",
        "",
    )


def test_at_risk_is_scoped_and_follows_the_policy(salesperson, it_admin, history):
    rows = decisions.at_risk_customers(Query(salesperson, "", ""), AS_OF).rows
    assert [row.customer for row in rows] == [history["faded"].code]
    policies.policy_set(key="analytics.at_risk_drop_rate", raw_value="0.7", actor=it_admin)
    assert decisions.at_risk_customers(Query(salesperson, "", ""), AS_OF).rows == []


def test_opportunities_by_the_three_rules(supervisor, db):
    load(
        # growing: 100 a month, then 200 a month
        *_steady("GROW", BASELINE_MONTHS),
        *_steady("GROW", RECENT_MONTHS, amount="200"),
        # lapsed: bought motors and gears, now only motors
        *_steady("LAPSE", BASELINE_MONTHS + RECENT_MONTHS),
        *_steady("LAPSE", BASELINE_MONTHS[:6], amount="24", sku="G", category="gear"),
        # cross-sell: three food customers buy bearings, two of them cables too
        *[
            fact(date(2026, 5, 3), code, "B", 1, "10", category="bearing", industry="food")
            for code in ("F1", "F2", "F3")
        ],
        fact(date(2026, 5, 3), "F1", "K", 1, "120", category="cable", industry="food"),
        fact(date(2026, 5, 4), "F2", "K", 1, "240", category="cable", industry="food"),
    )
    found = decisions.opportunities(Query(supervisor, "", ""), AS_OF)
    summary = [(o.kind, o.customer, o.category, o.measure, o.value) for o in found]
    assert summary == [
        ("growing", "GROW", "", D("1.0000"), D("100.00")),
        ("lapsed_category", "LAPSE", "gear", None, D("12.00")),
        ("cross_sell", "F3", "cable", D("0.6667"), D("15.00")),
    ]


def test_forecast_of_a_linear_series_is_exact(supervisor, db):
    # 24 months, July 2024 – June 2026: 1000, 1100, …, 3300
    months = [months_back(date(2026, 6, 1), 23 - i) for i in range(24)]
    load(*[fact(day, "LIN", "A", 1, 1000 + 100 * i) for i, day in enumerate(months)])
    result = decisions.forecast(Query(supervisor, "", ""), "revenue", "month", AS_OF)
    assert result.method == forecasting.HOLT
    assert [(p.period, p.value) for p in result.points] == [
        (date(2026, 7, 1), D("3400.00")),
        (date(2026, 8, 1), D("3500.00")),
        (date(2026, 9, 1), D("3600.00")),
    ]
    holt, naive = result.errors[forecasting.HOLT], result.errors[forecasting.SEASONAL_NAIVE]
    # origins: the last 6 months; 1–3 months ahead where the actual is known: 4×3 + 2 + 1
    assert (holt.mae, holt.mape, holt.count) == (D("0.00"), D("0.0000"), 15)
    assert (naive.mae, naive.count) == (D("1200.00"), 15)
    actuals = [p.actual for p in result.backtest]
    expected = (sum(D(1200) / a for a in actuals) / 15).quantize(D("0.0001"))
    assert naive.mape == expected
    # the first origin: fit on July 2024 – December 2025, forecast January 2026
    assert result.backtest[0].period == date(2026, 1, 1)
    assert result.backtest[0].by_method == {
        forecasting.HOLT: D("2800.00"),
        forecasting.SEASONAL_NAIVE: D("1600.00"),
    }


def test_forecast_needs_three_periods(supervisor, db):
    load(fact(date(2026, 6, 3), "NEW", "A", 1, "10"))
    result = decisions.forecast(Query(supervisor, "", ""), as_of=AS_OF)
    assert (result.method, result.points, result.history) == (
        None,
        [],
        [(date(2026, 6, 1), D("10.00"))],
    )


def test_seasonal_series_prefers_seasonal_naive():
    season = [D(v) for v in (10, 50, 10, 90)] * 4
    points = forecasting.backtest(season, 4, 6)
    scores = {name: forecasting.errors(points, name) for name in forecasting.METHODS}
    assert scores[forecasting.SEASONAL_NAIVE].mae == D("0.00")
    assert forecasting.choose(scores) == forecasting.SEASONAL_NAIVE
    assert forecasting.seasonal_naive(season, 3, 4) == [D(10), D(50), D(10)]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda q: decisions.forecast(q, grain="week"), "grain"),
        (lambda q: decisions.forecast(q, metric="churn_rate"), "metric"),
        (lambda q: decisions.at_risk_customers(q, limit=0), "limit"),
        (lambda q: decisions.opportunities(q, limit=501), "limit"),
    ],
)
def test_bad_parameters_are_named(supervisor, call, field):
    with pytest.raises(ValidationFailed) as caught:
        call(Query(supervisor, "", ""))
    assert caught.value.extra["field"] == field
