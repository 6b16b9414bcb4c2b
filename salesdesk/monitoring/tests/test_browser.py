"""Early warnings in a browser (R3.1): the owner follows the menu to the board, opens a
warning, acknowledges it and closes it with a note."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.monitoring.models import EarlyWarning, WarningStatus
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("R3.1")]


def test_owner_acknowledges_and_closes_a_warning(
    page, page_log, live_server, salesperson, run, utilised
):
    run("credit_utilisation")
    login(page, live_server, salesperson, PASSWORD)
    page.locator("#main-nav a[href='/monitoring/']").click()
    expect(page.locator("#warning-table")).to_contain_text("Credit utilisation")
    page.locator("#warning-table tbody a").nth(1).click()
    expect(page.locator("#warning-value")).to_contain_text("90.4")
    page.locator("#warning-acknowledge button").click()
    expect(page.locator("#warning-status")).to_have_text("Acknowledged")
    page.locator("#close-note").fill("已與客戶確認,下週付款")
    page.locator("#warning-close button").click()
    expect(page.locator("#warning-status")).to_have_text("Closed")
    assert EarlyWarning.objects.get().status == WarningStatus.CLOSED
    assert not page_log.console_errors and not page_log.page_errors
