"""Data quality page (A1.2): counts per rule, scoping, drill-down lists and their export."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.quality import RULES, quality_rule_get, quality_rules
from salesdesk.analytics.services import rollups_rebuild_range
from salesdesk.catalog.models import Product
from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.customers.tests.factories import enterprise

pytestmark = [pytest.mark.django_db, pytest.mark.req("A1.2")]


def _fact(number, customer, code=None, **extra):
    values = {
        "order_date": date(2026, 3, 2),
        "order_number": number,
        "line_number": 1,
        "is_first_line": True,
        "customer": customer,
        "customer_code": code or customer.code,
        "sku": "B1",
        "category": "bearings",
        "region": "north",
        "salesperson": customer.owner.username if customer else "",
        "quantity": Decimal(1),
        "revenue": Decimal("100"),
        "cost": Decimal("60"),
        "status": "approved",
    }
    values.update(extra)
    return SalesFact(**values)


@pytest.fixture
def inputs(salesperson, other_salesperson):
    mine = enterprise(salesperson, industry="machinery", province="Fujian")
    bare = enterprise(salesperson)  # no industry, no province
    theirs = enterprise(other_salesperson)
    enterprise(salesperson)  # no sales: not an analytics input
    facts = [
        _fact("Q1", mine, cost=None),
        _fact("Q2", mine, cost=Decimal("150")),
        _fact("Q3", bare, delivery_date=date(2026, 3, 5)),
        _fact("Q4", bare, salesperson="", category="", region=""),
        _fact("Q5", theirs, cost=None),
        _fact("Q6", None, code="OLD-1", is_imported=True),
    ]
    SalesFact.objects.bulk_create(facts)
    rollups_rebuild_range(date(2026, 3, 1), date(2026, 3, 31))
    Product.objects.create(sku="NC1", name="No cost", unit="pc", list_price=Decimal("9"))
    Product.objects.create(
        sku="OK1", name="Fine", unit="pc", list_price=Decimal("9"), category="x", standard_cost=1
    )
    return {"mine": mine, "bare": bare, "theirs": theirs}


def _counts(user):
    return {row["rule"].key: row["count"] for row in quality_rules(user=user)}


def test_counts_per_rule_for_someone_who_sees_everything(supervisor, inputs):
    counts = _counts(supervisor)
    assert counts == {
        "lines-without-cost": 2,
        "lines-below-cost": 1,
        "delivered-without-promised-date": 1,
        "lines-without-salesperson": 2,
        "lines-of-unknown-customers": 1,
        "lines-without-category": 1,
        "lines-without-region": 1,
        "customers-without-industry": 2,
        "customers-without-province": 2,
        "products-without-category": 1,
        "products-without-cost": 1,
    }


def test_salesperson_counts_only_own_customers_and_no_products(salesperson, inputs):
    counts = _counts(salesperson)
    assert counts["lines-without-cost"] == 1
    assert counts["lines-of-unknown-customers"] == 0
    assert counts["customers-without-industry"] == 1
    assert "products-without-cost" in counts  # salespeople read the catalogue


def test_outsider_is_refused(outsider, client):
    with pytest.raises(PermissionDenied):
        quality_rules(user=outsider)
    client.force_login(outsider)
    assert client.get("/analytics/quality/").status_code == 403
    assert client.get("/analytics/quality/lines-without-cost/").status_code == 403


def test_unknown_rule_is_404(supervisor, client):
    with pytest.raises(NotFound):
        quality_rule_get(user=supervisor, key="planets")
    client.force_login(supervisor)
    assert client.get("/analytics/quality/planets/").status_code == 404


def test_page_lists_every_rule_with_its_count_and_link(client, supervisor, inputs):
    client.force_login(supervisor)
    response = client.get("/analytics/quality/")
    assert response.status_code == 200
    content = response.content.decode()
    for rule in RULES:
        assert f'href="/analytics/quality/{rule.key}/"' in content


def test_drill_down_lists_the_records_with_links(client, supervisor, inputs):
    client.force_login(supervisor)
    response = client.get("/analytics/quality/lines-without-cost/", {"sort": "order"})
    assert response.status_code == 200
    assert [row["cells"][1]["value"] for row in response.context["rows"]] == ["Q1", "Q5"]
    customers = client.get("/analytics/quality/customers-without-industry/")
    links = [row["link"] for row in customers.context["rows"]]
    assert f"/customers/{inputs['bare'].pk}/" in links


def test_drill_down_search_and_scope(client, salesperson, inputs):
    client.force_login(salesperson)
    response = client.get("/analytics/quality/lines-without-cost/")
    assert [row["cells"][1]["value"] for row in response.context["rows"]] == ["Q1"]
    searched = client.get("/analytics/quality/lines-without-cost/", {"q": "Q5"})
    assert searched.context["rows"] == []


def test_export_holds_the_listed_records(client, supervisor, inputs):
    client.force_login(supervisor)
    url = "/analytics/quality/lines-without-cost/"
    page = client.get(url, {"sort": "-order"})
    response = client.get(url, {"sort": "-order", "export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][:2] == ["Order date", "Order number"]
    assert [row[1] for row in rows[1:]] == [r["cells"][1]["value"] for r in page.context["rows"]]
    assert [row[1] for row in rows[1:]] == ["Q5", "Q1"]


def test_counts_are_one_query_each(supervisor, inputs, django_assert_max_num_queries):
    with django_assert_max_num_queries(len(RULES) + 2):
        quality_rules(user=supervisor)
