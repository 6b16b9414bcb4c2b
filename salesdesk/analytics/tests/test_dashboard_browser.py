"""The dashboard in a browser (A2.1): charts render under the strict CSP, no CDN, and the
period can be changed with the keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.services import rollups_rebuild_range
from salesdesk.analytics.tests.test_dashboard import line
from salesdesk.customers.tests.factories import enterprise
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("A2.1")]


@pytest.fixture
def recent_sales(salesperson):
    customer = enterprise(salesperson, industry="machinery")
    today = timezone.localdate()
    first = today.replace(day=1)
    last_month = first - timedelta(days=1)
    facts = [
        line("B1", first, customer, "1234.50", "800"),
        line("B2", last_month, customer, "640", "300"),
    ]
    SalesFact.objects.bulk_create(facts)
    rollups_rebuild_range(last_month.replace(day=1), today)
    return customer


def test_manager_sees_charts_and_changes_the_period_by_keyboard(
    page, page_log, live_server, sales_manager, recent_sales
):
    login(page, live_server, sales_manager, PASSWORD)
    page.locator("#main-nav a[href='/analytics/']").click()
    expect(page.locator("h1")).to_have_text("Sales overview")
    expect(page.locator("#chart-money svg.main-svg").first).to_be_attached(timeout=30_000)
    expect(page.locator("#chart-orders svg.main-svg").first).to_be_attached()
    expect(page.locator("#table-kpis")).to_contain_text("1,234.50")

    period = page.locator("#id_period")
    period.focus()
    with page.expect_navigation():
        page.keyboard.press("ArrowDown")  # "Last month"; the select submits on change
    expect(period).to_have_value("last_month")
    expect(page.locator("#table-kpis")).to_contain_text("640.00")
    expect(page.locator("#chart-money svg.main-svg").first).to_be_attached(timeout=30_000)
    assert page_log.console_errors == [] and page_log.page_errors == []
    assert page_log.external_requests() == []
