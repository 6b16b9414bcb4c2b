"""An evaluation in a browser (E2.3): run one now, read the results, publish it."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.supervision.tests.history import at, event, order
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("E2.3")]


def test_supervisor_runs_and_publishes_an_evaluation(
    page, page_log, live_server, supervisor, customer, salesperson, sales_admin
):
    o = order(customer, salesperson)
    event(o, "order.submitted", at(3, 2, 8), salesperson)
    event(o, "order.approved", at(3, 2, 11), sales_admin)
    login(page, live_server, supervisor, PASSWORD)
    page.goto(f"{live_server.url}/supervision/evaluations/")
    page.get_by_role("link", name="Run an evaluation now").click()
    page.get_by_label("Period from").fill("2026-03-01")
    page.get_by_label("Period to").fill("2026-03-31")
    page.locator("#evaluation-form").get_by_role("button", name="Compute").click()
    people = page.locator("#results-table-person")
    expect(people).to_contain_text(str(sales_admin))
    expect(people).to_contain_text("3.00")
    expect(people).to_contain_text("met")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("dl.facts")).to_contain_text("Published")
