"""GET /api/v1/analytics/{compare,top,drivers,at-risk,opportunities,forecast} (A2.1, A4.1)."""

from datetime import date

import pytest

from salesdesk.analytics.tests.analysis_data import fact, load
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("A2.1", "A4.1")
API = "/api/v1/analytics"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def sales(salesperson, other_salesperson):
    mine, theirs = enterprise(salesperson), enterprise(other_salesperson)
    load(
        fact(date(2026, 2, 3), mine, "A", 10, "100", category="motor"),
        fact(date(2026, 2, 3), mine, "B", 10, "200", category="gear"),
        fact(date(2026, 3, 3), mine, "A", 20, "220", category="motor"),
        fact(date(2026, 3, 3), mine, "B", 5, "100", category="gear"),
        fact(date(2026, 3, 4), theirs, "C", 1, "999.99", category="cable"),
    )
    return {"mine": mine, "theirs": theirs}


def _get(client, user, path, **params):
    client.force_login(user)
    return client.get(f"{API}/{path}", params)


def test_compare_rows_are_decimal_strings(client, supervisor, sales):
    body = _get(client, supervisor, "compare", metric="revenue", group_by="category", **MARCH)
    assert body.status_code == 200
    assert body.json() == {
        "metric": "revenue",
        "period": {"from": "2026-03-01", "to": "2026-03-31"},
        "base": {"from": "2026-02-01", "to": "2026-02-28"},
        "rows": [
            {
                "category": "cable",
                "current": "999.99",
                "previous": "0.00",
                "change": "999.99",
                "change_rate": None,
            },
            {
                "category": "gear",
                "current": "100.00",
                "previous": "200.00",
                "change": "-100.00",
                "change_rate": "-0.5000",
            },
            {
                "category": "motor",
                "current": "220.00",
                "previous": "100.00",
                "change": "120.00",
                "change_rate": "1.2000",
            },
        ],
    }


def test_salesperson_gets_own_drivers_only(client, salesperson, sales):
    body = _get(client, salesperson, "drivers", dimension="category", **MARCH).json()
    assert (body["revenue_before"], body["revenue_after"], body["change"]) == (
        "300.00",
        "320.00",
        "20.00",
    )
    assert body["effects"] == {
        "volume": {"amount": "75.00", "share": "3.7500"},
        "mix": {"amount": "-75.00", "share": "-3.7500"},
        "price": {"amount": "20.00", "share": "1.0000"},
        "new": {"amount": "0.00", "share": "0.0000"},
        "discontinued": {"amount": "0.00", "share": "0.0000"},
    }
    assert [c["key"] for c in body["contributions"]] == ["motor", "gear"]


def test_top_with_others(client, supervisor, sales):
    body = _get(client, supervisor, "top", dimension="category", n=1, **MARCH).json()
    assert body["total"] == "1319.99"
    assert body["rows"] == [
        {"rank": 1, "key": "cable", "value": "999.99", "share": "0.7576", "groups": 1}
    ]
    assert body["others"] == {
        "rank": None,
        "key": None,
        "value": "320.00",
        "share": "0.2424",
        "groups": 2,
    }


def test_decision_endpoints_answer(client, sales_manager, sales):
    as_of = {"as_of": "2026-07-15"}
    risk = _get(client, sales_manager, "at-risk", **as_of).json()
    assert risk["recent"] == {"from": "2026-04-01", "to": "2026-06-30"}
    # the salesperson's customer bought in February and March only, then stopped
    [row] = risk["rows"]
    assert (row["customer"], row["baseline_revenue"], row["recent_revenue"]) == (
        sales["mine"].code,
        "51.67",
        "0.00",
    )
    assert (row["revenue_drop"], row["last_order"]) == ("1.0000", "2026-03-03")
    assert _get(client, sales_manager, "opportunities", **as_of).json() == {"rows": []}
    forecast = _get(client, sales_manager, "forecast", grain="quarter", **as_of).json()
    assert forecast["method"] is None
    assert forecast["history"] == [
        {"period": "2026-01-01", "value": "1619.99"},
        {"period": "2026-04-01", "value": "0.00"},
    ]


@pytest.mark.parametrize(
    ("path", "params", "code", "field"),
    [
        ("compare", {"metric": "profit"}, "unknown_metric", "metric"),
        (
            "compare",
            {"metric": "revenue", "group_by": "week"},
            "time_dimension_not_allowed",
            "group_by",
        ),
        ("compare", {"metric": "revenue", "basis": "decade"}, "unknown_basis", "basis"),
        ("compare", {"metric": "revenue", "from": "2026-02-30"}, "invalid_date", "from"),
        ("compare", {"metric": "revenue", "base_from": "2026-01-01"}, "invalid_date", "base_to"),
        ("top", {"dimension": "planet"}, "unknown_dimension", "dimension"),
        ("top", {"dimension": "customer", "metric": "churn_rate"}, "metric_not_summable", "metric"),
        ("top", {"dimension": "customer", "n": 101}, "out_of_range", "n"),
        ("drivers", {"dimension": "month"}, "unknown_dimension", "dimension"),
        ("at-risk", {"as_of": "soon"}, "invalid_date", "as_of"),
        ("opportunities", {"limit": 0}, "out_of_range", "limit"),
        ("forecast", {"grain": "week"}, "unknown_grain", "grain"),
    ],
)
def test_bad_input_is_422_naming_it(client, supervisor, path, params, code, field):
    response = _get(client, supervisor, path, **{**MARCH, **params})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["extra"]["field"]) == (code, field)


def test_outsider_is_refused(client, outsider, sales):
    assert _get(client, outsider, "top", dimension="customer", **MARCH).status_code == 403
    assert _get(client, outsider, "at-risk").status_code == 403


def test_documented_in_openapi(client, supervisor):
    client.force_login(supervisor)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in ("compare", "top", "drivers", "at-risk", "opportunities", "forecast"):
        operation = paths[f"{API}/{name}"]["get"]
        assert operation["tags"] == ["analytics"]
        assert operation["responses"]["200"]["content"]
