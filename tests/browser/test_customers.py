"""Customer pages in a browser: create in the zh-Hant UI, reveal, find it again (C1, C3.3)."""

import re

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.core.crypto import mask_phone
from salesdesk.customers import services
from salesdesk.customers.models import Customer
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LEGAL_NAME = "台灣精密機械股份有限公司"


def _type_into(page, selector: str, text: str) -> None:
    page.locator(selector).focus()
    page.keyboard.type(text)


@pytest.mark.parametrize("browser_locale", ["zh-TW"])
def test_salesperson_creates_a_customer_and_finds_it_in_the_list(
    page, page_log, live_server, salesperson
):
    services.customer_create(
        actor=salesperson,
        data={"kind": "enterprise", "legal_name": "大華貿易有限公司", "city": "高雄市"}
        | {"country": "TW", "source": "referral"},
    )
    login(page, live_server, salesperson, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    page.locator("#main-nav a[href='/customers/']").click()
    expect(page).to_have_url(f"{live_server.url}/customers/")
    page.locator("#customer-new").click()
    expect(page).to_have_url(f"{live_server.url}/customers/new/")

    _type_into(page, "#id_legal_name", LEGAL_NAME)
    page.keyboard.press("Tab")
    page.keyboard.type("精密機械")
    page.keyboard.press("Tab")
    page.keyboard.type("22099131")
    page.locator("#id_country").select_option("TW")
    _type_into(page, "#id_city", "台中市")
    page.keyboard.press("Tab")
    page.keyboard.type("西屯區")
    page.locator("#id_source").select_option("trade_show")
    _type_into(page, "#id_contact-name", "林美玲")
    page.keyboard.press("Tab")
    page.keyboard.type("採購經理")
    page.keyboard.press("Tab")
    page.keyboard.type("0912345678")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    customer = Customer.objects.get(legal_name=LEGAL_NAME)
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator("h1")).to_have_text(LEGAL_NAME)
    row = page.locator("#contacts-table tbody tr").first
    expect(row).to_contain_text(mask_phone("+886912345678"))

    row.locator("a[hx-get]").first.click()
    expect(page.locator("input[name=purpose]")).to_be_focused()
    # Chromium focuses an inserted autofocus field itself, before htmx has settled the row.
    expect(page.locator("#contacts-table .htmx-added")).to_have_count(0)
    page.keyboard.type("回電報價")
    page.keyboard.press("Enter")
    expect(page.locator("#contacts-table tbody tr").first).to_contain_text("+886912345678")

    page.locator("#main-nav a[href='/customers/']").click()
    expect(page.locator("#customer-table tbody tr")).to_have_count(2)
    _type_into(page, "#customer-q", "台湾精密")
    expect(page.locator("#customer-table tbody tr")).to_have_count(1)
    expect(page.locator("#customer-table tbody")).to_contain_text(customer.code)
    expect(page.locator("#customer-table tbody")).not_to_contain_text("0912345678")
    expect(page).to_have_url(re.compile(r"q=%E5%8F%B0%E6%B9%BE"))

    assert page_log.console_errors == []
    assert page_log.page_errors == []
    assert page_log.external_requests() == []
