"""Order entry in a browser (O1, U2, U3): one line typed by keyboard, one pasted from Excel,
totals from the server, and the saved order on its page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure
from salesdesk.customers.models import Customer
from salesdesk.customers.tests.factories import enterprise
from salesdesk.orders.models import Order
from salesdesk.orders.paste import PASTE_EXAMPLES
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def customer(salesperson):
    customer = enterprise(salesperson, legal_name="福建精工股份有限公司")
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100000"), grade="B")
    return customer


@pytest.fixture
def products(sales_admin, warehouse):
    main = warehouse_ensure(code="main", name="主倉")
    for sku, name, unit, price, quantity in (
        ("B-6204", "深溝球軸承", "個", "20", "100"),
        ("M-750", "伺服馬達", "台", "1500", "5"),
    ):
        product = product_create(
            actor=sales_admin, data={"sku": sku, "name": name, "unit": unit, "list_price": price}
        )
        stock_adjust(
            actor=warehouse,
            product_id=product.pk,
            warehouse_id=main.pk,
            quantity=quantity,
            reason="期初",
        )


def _open_entry_page(page, live_server, salesperson) -> None:
    login(page, live_server, salesperson, PASSWORD)
    page.locator("#main-nav a[href='/orders/']").click()
    expect(page).to_have_url(f"{live_server.url}/orders/")
    page.locator("#order-new").click()
    expect(page).to_have_url(f"{live_server.url}/orders/new/")
    # order-entry.js is deferred: wait until it and htmx have wired up the page.
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.salesdeskOrderEntry !== undefined && window.htmx")


@pytest.mark.req("O1.1", "U2", "U3")
def test_salesperson_enters_a_typed_and_a_pasted_line(
    page, page_log, live_server, salesperson, customer, products
):
    _open_entry_page(page, live_server, salesperson)
    page.locator("#id_customer").select_option(str(customer.pk))
    page.locator("#id_payment_terms").select_option("net_30")
    delivery = timezone.localdate() + timedelta(days=14)
    page.locator("#id_requested_delivery_date").fill(delivery.isoformat())

    page.locator("#line-1-sku").focus()
    page.keyboard.type("B-6204")
    page.keyboard.press("Tab")
    expect(page.locator("#line-1-quantity")).to_be_focused()
    page.keyboard.type("10")
    page.keyboard.press("Enter")
    expect(page.locator("#line-1-unit_price")).to_be_focused()
    page.keyboard.type("20")
    expect(page.locator("#line-1-hint")).to_contain_text("深溝球軸承")

    page.locator("#paste-lines").fill("M-750\t2\t1500")
    page.locator("#paste-apply").click()
    expect(page.locator("#line-2-sku")).to_have_value("M-750")
    expect(page.locator("#line-2-quantity")).to_have_value("2")
    expect(page.locator("#line-2-unit_price")).to_have_value("1500")
    expect(page.locator("#paste-lines")).to_have_value("")
    expect(page.locator("#entry-gross")).to_have_text("3,616.00")

    with page.expect_navigation():
        page.locator("#order-save").click()
    order = Order.objects.get()
    expect(page).to_have_url(f"{live_server.url}/orders/{order.pk}/")
    expect(page.locator("#order-lines-table tbody tr")).to_have_count(2)
    expect(page.locator("#order-lines-table tbody")).to_contain_text("M-750")
    expect(page.locator("#order-gross")).to_contain_text("3,616.00")
    assert order.gross_amount == Decimal("3616.00") and order.lines.count() == 2

    assert page_log.console_errors == []
    assert page_log.page_errors == []
    assert page_log.external_requests() == []


@pytest.mark.req("U2")
def test_browser_and_server_parse_pastes_alike_and_grid_keys_work(
    page, page_log, live_server, salesperson, customer, products
):
    _open_entry_page(page, live_server, salesperson)
    parsed = page.evaluate(
        "texts => texts.map((text) => window.salesdeskOrderEntry.parsePasted(text))",
        [text for text, _rows in PASTE_EXAMPLES],
    )
    assert parsed == [rows for _text, rows in PASTE_EXAMPLES]

    page.locator("#line-2-sku").evaluate(
        """(input) => {
            const data = new DataTransfer();
            data.setData("text/plain", "B-6204\\t4\\t19.5\\t5%\\r\\nM-750\\t1\\t1450\\r\\n");
            input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }"""
    )
    expect(page.locator("#line-2-discount_rate")).to_have_value("0.05")
    expect(page.locator("#line-3-sku")).to_have_value("M-750")
    expect(page.locator("#order-lines-body tr")).to_have_count(3)

    page.locator("#line-3-requested_date").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#order-lines-body tr")).to_have_count(4)
    expect(page.locator("#line-4-sku")).to_be_focused()
    page.locator("#line-add").click()
    expect(page.locator("#line-5-sku")).to_be_focused()

    assert page_log.console_errors == []
    assert page_log.page_errors == []
