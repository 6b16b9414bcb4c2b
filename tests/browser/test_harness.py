"""The browser harness itself: Debian's Chromium starts and reaches the live server."""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_chromium_opens_health_check_on_live_server(page, page_log, live_server):
    response = page.goto(f"{live_server.url}/healthz")

    assert response.status == 200
    assert json.loads(page.locator("body").inner_text()) == {"status": "ok", "database": "ok"}
    assert page.viewport_size == {"width": 1280, "height": 800}
    assert page_log.requests == [f"{live_server.url}/healthz"]
    assert page_log.external_requests() == []


@pytest.mark.parametrize("browser_locale", ["zh-TW"])
def test_page_sends_the_browser_locale(page, live_server):
    with page.expect_request(f"{live_server.url}/healthz") as sent:
        page.goto(f"{live_server.url}/healthz")

    assert sent.value.headers["accept-language"].startswith("zh-TW")
    assert page.evaluate("navigator.language") == "zh-TW"
