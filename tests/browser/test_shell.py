"""The UI shell in a browser: sign-in, the home page and switching language (U10)."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HOME_HEADINGS = {"en": "My work", "zh-hant": "我的待辦", "zh-hans": "我的待办"}


@pytest.mark.parametrize("browser_locale", ["zh-TW"])
def test_signs_in_in_traditional_chinese_and_switches_between_languages(
    page, page_log, live_server, sales_admin
):
    home = f"{live_server.url}/"
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    login(page, live_server, sales_admin, PASSWORD)
    expect(page).to_have_url(home)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS["zh-hant"])

    for language in ["en", "zh-hans", "zh-hant"]:
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
        expect(page).to_have_url(home)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_text(HOME_HEADINGS[language])
        expect(page.locator("#language-select")).to_have_value(language)

    assert page_log.console_errors == []
    assert page_log.page_errors == []
    assert page_log.external_requests() == []


def test_language_button_works_by_keyboard_without_javascript(new_page, live_server, sales_admin):
    page = new_page(locale="zh-TW", java_script_enabled=False)
    login(page, live_server, sales_admin, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    page.locator("#language-select").select_option("en")
    page.locator("#language-submit").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS["en"])
