"""The analysis pages in a browser (A2.1, A4.1): choose a breakdown, read the tables, go on to
decision support; no console errors, nothing fetched from outside."""

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.analytics.tests.analysis_data import fact, load
from salesdesk.customers.tests.factories import enterprise
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("A2.1")]


def test_salesperson_breaks_down_revenue_and_opens_decisions(
    page, page_log, live_server, salesperson
):
    mine = enterprise(salesperson)
    load(
        fact(date(2026, 2, 3), mine, "A", 10, "100", category="motor"),
        fact(date(2026, 3, 3), mine, "A", 20, "220", category="motor"),
    )
    login(page, live_server, salesperson, PASSWORD)
    page.goto(f"{live_server.url}/analytics/analysis/")
    page.locator("#id_start").fill("2026-03-01")
    page.locator("#id_end").fill("2026-03-31")
    page.locator("#id_dimension").select_option("category")
    page.locator("#id_end").press("Enter")
    expect(page.locator("#compare-table")).to_contain_text("motor")
    expect(page.locator("#effects-table")).to_contain_text("120.00")
    expect(page.locator("#export-compare")).to_be_visible()
    if shots := os.environ.get("SALESDESK_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/analysis.png", full_page=True)
    page.locator("#main").get_by_role("link", name="Decision support").click()
    page.locator("#id_as_of").fill("2026-07-15")
    page.locator("#decisions-submit").click()
    expect(page.locator("#at-risk-table")).to_contain_text(mine.code)
    if shots:
        page.screenshot(path=f"{shots}/decisions.png", full_page=True)
    assert page_log.console_errors == [] and page_log.page_errors == []
    assert page_log.external_requests() == []
