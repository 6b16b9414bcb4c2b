"""GET /api/v1/analytics/metrics: rows as decimal strings, 422s naming the bad input, scoping."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.services import rollup_rebuild
from salesdesk.customers.tests.factories import enterprise

pytestmark = pytest.mark.req("A2.1", "A2.2")

URL = "/api/v1/analytics/metrics"
RANGE = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def sales(salesperson, other_salesperson):
    mine = enterprise(salesperson)
    theirs = enterprise(other_salesperson)
    facts = [
        SalesFact(
            order_date=date(2026, 3, day),
            order_number=f"O{day}-{customer.pk}",
            line_number=1,
            is_first_line=True,
            customer=customer,
            customer_code=customer.code,
            sku="B1",
            salesperson=customer.owner.username,
            channel="written",
            quantity=Decimal(1),
            revenue=Decimal(amount),
            cost=Decimal(0),
            status="approved",
        )
        for day, customer, amount in ((2, mine, "100.50"), (9, theirs, "40"), (9, mine, "9.5"))
    ]
    SalesFact.objects.bulk_create(facts)
    rollup_rebuild((f.order_date, f.customer_code) for f in facts)
    return {"mine": mine, "theirs": theirs}


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_salesperson_sees_only_own_customers(client, salesperson, sales):
    response = _get(client, salesperson, metric="revenue", **RANGE)
    assert response.status_code == 200
    assert response.json() == {
        "metric": "revenue",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "rows": [{"value": "110.00"}],
    }
    grouped = _get(client, salesperson, metric="revenue", group_by="customer", **RANGE).json()
    assert grouped["rows"] == [{"customer": sales["mine"].code, "value": "110.00"}]


def test_manager_sees_the_team_grouped_by_week_and_salesperson(client, sales_manager, sales):
    response = _get(client, sales_manager, metric="revenue", group_by="week,salesperson", **RANGE)
    assert response.json()["rows"] == [
        {"week": "2026-03-02", "salesperson": "sales1", "value": "100.50"},
        {"week": "2026-03-09", "salesperson": "sales1", "value": "9.50"},
        {"week": "2026-03-09", "salesperson": "sales2", "value": "40.00"},
    ]


def test_filters_by_dimension_and_time_bucket(client, supervisor, sales):
    response = _get(client, supervisor, metric="order_count", salesperson="sales2", **RANGE)
    assert response.json()["rows"] == [{"value": "1"}]
    response = _get(client, supervisor, metric="revenue", week="2026-03-04", **RANGE)
    assert response.json() == {
        "metric": "revenue",
        "from": "2026-03-02",
        "to": "2026-03-08",
        "rows": [{"value": "100.50"}],
    }


def test_rates_are_null_when_undefined(client, supervisor, sales):
    response = _get(client, supervisor, metric="growth_rate", **RANGE)
    assert response.json()["rows"] == [{"value": None}]


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"metric": "profit"}, "unknown_metric", "metric"),
        ({"metric": "revenue", "group_by": "planet"}, "unknown_dimension", "group_by"),
        ({"metric": "revenue", "group_by": "day,month"}, "too_many_dimensions", "group_by"),
        ({"metric": "revenue", "from": "2026-13-01"}, "invalid_date", "from"),
        ({"metric": "revenue", "to": "yesterday"}, "invalid_date", "to"),
        ({"metric": "revenue", "to": "2026-02-01"}, "invalid_period", "to"),
        ({"metric": "satisfaction", "group_by": "product"}, "unsupported_dimension", "product"),
    ],
)
def test_bad_input_is_422_naming_it(client, supervisor, params, code, field):
    response = _get(client, supervisor, **{**RANGE, **params})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["extra"]["field"]) == (code, field)


def test_missing_dates_are_422(client, supervisor):
    response = _get(client, supervisor, metric="revenue")
    assert response.status_code == 422
    assert set(response.json()["extra"]["fields"]) == {"query.from", "query.to"}


def test_outsider_is_refused(client, outsider, sales):
    response = _get(client, outsider, metric="revenue", **RANGE)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_documented_in_openapi(client, supervisor):
    client.force_login(supervisor)
    spec = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"] for p in spec["paths"][URL]["get"]["parameters"]}
    assert {"metric", "group_by", "from", "to", "customer", "ship_mode"} <= parameters


def test_top_n_returns_the_largest_groups_first(client, supervisor, sales):
    response = _get(client, supervisor, metric="revenue", group_by="customer", top=1, **RANGE)
    assert response.json()["rows"] == [{"customer": sales["mine"].code, "value": "110.00"}]
    response = _get(client, supervisor, metric="revenue", group_by="customer", top=0, **RANGE)
    assert response.status_code == 422 and response.json()["extra"]["field"] == "top"
