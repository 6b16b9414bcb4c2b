"""The heat map in a browser (R1.2): a keyboard user reaches a cell and lands on its list; the
customer page loads the credit-score panel."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.risk.tests.conftest import assessed_risk, stored_score
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("R1.2")]


def test_keyboard_user_follows_a_heat_map_cell_to_its_risks(
    page, page_log, live_server, sales_manager, customer, finance
):
    high = assessed_risk(sales_manager, customer, 4, 4)
    stored_score(customer, "high", 55, finance)
    login(page, live_server, sales_manager, PASSWORD)
    page.goto(f"{live_server.url}/risk/heat-map/")
    cell = page.locator("td[data-likelihood='4'][data-impact='4'] a")
    expect(cell).to_contain_text("1")
    cell.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#risk-table")).to_contain_text(high.number)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator("#credit-score-value")).to_have_text("55")
