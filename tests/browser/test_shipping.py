"""A shipment in a browser (S1.1, S2.3, S3.1, S4.1, U1): a sales admin plans it from the order
page, the warehouse completes readiness, logistics books the suggested carrier and dispatches,
the customer confirms receipt through the one-time link, and the shipping notice e-mail with the
tracking number lies in the mail folder."""

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401
from salesdesk.shipping.models import Shipment
from salesdesk.shipping.tests.conftest import carrier, logistics, order10  # noqa: F401
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TRACKING = "SF7788990011"


@pytest.fixture
def mail_folder(settings, tmp_path, live_server):
    """E-mail to files, as in production's default set-up (DESIGN §2); links to the live server."""
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


def _as(new_page, live_server, user):
    page = new_page()
    login(page, live_server, user, PASSWORD)
    return page


@pytest.mark.req("S1.1", "S2.1", "S2.3", "S3.1", "S4.1", "U1")
def test_plan_prepare_book_dispatch_and_confirm_receipt(
    page,
    page_log,
    new_page,
    live_server,
    mail_folder,
    order10,  # noqa: F811
    carrier,  # noqa: F811
    logistics,  # noqa: F811
    sales_admin,
    warehouse,
):
    admin = page
    login(admin, live_server, sales_admin, PASSWORD)
    admin.goto(f"{live_server.url}/orders/{order10.pk}/")
    admin.locator("#order-ship").click()
    line = order10.lines.get()
    expect(admin.locator(f"#quantity-{line.pk}")).to_have_value("10")
    with admin.expect_navigation():
        admin.locator("#shipment-create-save").click()
    shipment = Shipment.objects.get()
    detail = f"{live_server.url}/shipping/shipments/{shipment.pk}/"
    expect(admin).to_have_url(detail)
    expect(admin.locator("#shipment-status")).to_have_text("Planned")

    store = _as(new_page, live_server, warehouse)
    store.goto(detail)
    for box in ("goods_ready", "qc_passed", "packed"):
        store.locator(f"#readiness_{box}").check()
    store.locator("#readiness_qc_note").fill("外觀與尺寸合格")
    store.locator("#readiness_packages").fill("2")
    store.locator("#readiness_gross_weight").fill("12.5")
    with store.expect_navigation():
        store.locator("#readiness-save").click()
    expect(store.locator("#shipment-status")).to_have_text("Ready")

    desk = _as(new_page, live_server, logistics)
    desk.goto(detail)
    expect(desk.locator("#carrier-suggestion")).to_contain_text(carrier.name)
    expect(desk.locator("#booking_carrier")).to_have_value(str(carrier.pk))
    with desk.expect_navigation():
        desk.locator("#booking-save").click()
    expect(desk.locator("#shipment-status")).to_have_text("Booked")
    desk.locator("#main-nav a[href='/shipping/board/']").click()
    expect(desk.locator("#board-booked")).to_contain_text(shipment.number)
    desk.goto(detail)
    desk.locator("#dispatch_tracking_number").fill(TRACKING)
    with desk.expect_navigation():
        desk.locator("#dispatch-save").click()
    expect(desk.locator("#shipment-status")).to_have_text("Dispatched")
    expect(desk.locator("#shipment-tracking-number")).to_have_text(TRACKING)

    with desk.expect_navigation():
        desk.locator("#receipt-link-form button").click()
    customer_page = new_page()
    customer_page.goto(desk.locator("#receipt-link").get_attribute("href"))
    expect(customer_page.locator("h1")).to_contain_text(shipment.number)
    with customer_page.expect_navigation():
        customer_page.locator("#main form button[type=submit]").click()
    expect(customer_page.locator("h1")).to_have_text("Thank you")

    desk.goto(detail)
    expect(desk.locator("#shipment-status")).to_have_text("Receipt confirmed")
    shipment.refresh_from_db()
    assert shipment.status == "receipt_confirmed" and shipment.notice.state == "sent"
    mails = [path.read_text(encoding="utf-8") for path in mail_folder.iterdir()]
    assert any(TRACKING in text and "receiving@example.com" in text for text in mails)
    assert page_log.console_errors == [] and page_log.page_errors == []
    assert page_log.external_requests() == []
