"""The KPI dashboard in a browser (E2.1, E2.2): open it and drill into one KPI's records."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.supervision.tests.history import at, event, order
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("E2.2")]


def test_supervisor_opens_the_dashboard_and_drills_into_a_kpi(
    page, page_log, live_server, supervisor, customer, salesperson, sales_admin
):
    o = order(customer, salesperson)
    event(o, "order.submitted", at(3, 2, 8), salesperson)
    event(o, "order.approved", at(3, 2, 11), sales_admin)
    login(page, live_server, supervisor, PASSWORD)
    page.goto(f"{live_server.url}/supervision/?from=2026-03-01&to=2026-03-31")
    card = page.locator("#kpi-order_processing_cycle_time-review")
    expect(card).to_contain_text("3.00")
    card.get_by_role("link", name="Order review cycle time").click()
    expect(page.locator("#kpi-groups")).to_contain_text(str(sales_admin))
    page.locator("#kpi-groups").get_by_role("link", name=str(sales_admin)).click()
    expect(page.locator("#kpi-records")).to_contain_text(o.number)
    page.locator("#kpi-records").get_by_role("link", name=o.number).click()
    expect(page).to_have_url(f"{live_server.url}/orders/{o.pk}/")
