"""Risk pages (R1.1, R1.2, R2.2): register with filters and export, detail with actions and
timeline, the heat map, the credit-score panel on the customer page."""

import pytest
from django.test import Client

from salesdesk.core.exports import read_xlsx_rows
from salesdesk.risk.models import ContingencyActivation, Risk
from salesdesk.risk.tests.conftest import assessed_risk, stored_score

pytestmark = pytest.mark.req("R1.1", "R1.2")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_register_filters_sorts_and_exports(sales_manager, customer):
    high = assessed_risk(sales_manager, customer, 4, 4)
    low = assessed_risk(sales_manager, customer, 1, 1, title="小風險")
    page = _client(sales_manager)
    html = page.get("/risk/", {"level": "high"}).content.decode()
    assert high.number in html and low.number not in html
    html = page.get("/risk/", {"likelihood": 1, "impact": 1, "sort": "-level"}).content.decode()
    assert low.number in html and high.number not in html
    export = page.get("/risk/", {"export": "xlsx", "sort": "level"})
    rows = read_xlsx_rows(b"".join(export.streaming_content))
    assert [row[0] for row in rows[1:]] == [low.number, high.number]


def test_heat_map_counts_cells_and_links_to_the_list(sales_manager, customer, outsider):
    assessed_risk(sales_manager, customer, 4, 4)
    assessed_risk(sales_manager, customer, 4, 4, title="另一個")
    html = _client(sales_manager).get("/risk/heat-map/").content.decode()
    assert 'data-likelihood="4" data-impact="4"' in html
    assert "/risk/?likelihood=4&amp;impact=4&amp;open_only=on" in html
    assert "Likelihood 4, impact 4, risks: 2" in html
    assert _client(outsider).get("/risk/heat-map/").status_code == 403


def test_create_assess_and_activate_through_the_pages(sales_manager, customer):
    page = _client(sales_manager)
    response = page.post(
        "/risk/new/",
        {
            "title": "資料外洩",
            "category": "data_security",
            "owner": sales_manager.pk,
            "customer": customer.code,
            "contingency_plan": "通知客戶並重設密碼",
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and risk.customer == customer
    page.post(f"/risk/{risk.pk}/assess/", {"likelihood": "2", "impact": "5"})
    page.post(f"/risk/{risk.pk}/contingency/", {"note": "已通知"})
    risk.refresh_from_db()
    assert (risk.level, risk.status) == ("high", "assessed")
    assert ContingencyActivation.objects.filter(risk=risk).count() == 1
    html = page.get(f"/risk/{risk.pk}/").content.decode()
    assert "已通知" in html and 'id="risk-treat"' in html
    refused = page.post(f"/risk/{risk.pk}/treat/", follow=True).content.decode()
    assert "Write a response plan before treating the risk." in refused
    assert Risk.objects.get(pk=risk.pk).status == "assessed"
    bad = page.post(
        "/risk/new/",
        {"title": "x", "category": "other", "owner": sales_manager.pk, "order": "NOPE"},
    )
    assert bad.status_code == 200 and "No such record" in bad.content.decode()


def test_customer_page_loads_the_credit_score_panel(customer, salesperson, finance):
    stored_score(customer, "medium", 72, finance)
    page = _client(salesperson)
    detail = page.get(f"/customers/{customer.pk}/").content.decode()
    assert f"/risk/customers/{customer.pk}/panel/" in detail
    panel = page.get(f"/risk/customers/{customer.pk}/panel/").content.decode()
    assert 'id="credit-score-value">72<' in panel and "Longest days past due" in panel
    assert page.post(f"/risk/customers/{customer.pk}/recompute/").status_code in (302, 403)
