"""Receivables in a browser (U6): the ageing page leads to the statement; finance records a
payment allocated by hand and sees the invoice settled."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from salesdesk.accounts.tests.factories import PASSWORD
from salesdesk.finance.models import Payment
from salesdesk.finance.services import invoice_from_shipments
from salesdesk.finance.tests.conftest import days_ago, ship
from salesdesk.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.req("U6")]


@pytest.fixture
def invoice(order10, sales_admin):
    ship(order10, {1: "10"})
    return invoice_from_shipments(actor=sales_admin, order_id=order10.pk, issue_date=days_ago(45))


def test_finance_follows_ageing_to_statement_and_records_a_payment(
    page, page_log, live_server, finance, invoice
):
    customer = invoice.customer
    login(page, live_server, finance, PASSWORD)
    page.locator("#main-nav a[href='/finance/']").click()
    table = page.locator("#ageing-table")
    expect(table).to_contain_text(customer.legal_name)
    expect(page.locator("#ageing-total")).to_contain_text("226.00")
    page.get_by_role("link", name=customer.legal_name).click()
    expect(page).to_have_url(f"{live_server.url}/finance/customers/{customer.pk}/statement/")
    page.locator("#id_start").fill(days_ago(60).isoformat())
    page.locator("#statement-show").click()
    expect(page.locator("#statement-table")).to_contain_text(invoice.number)
    expect(page.locator("#statement-closing")).to_contain_text("226.00")

    page.locator("#nav-payments").click()
    page.locator("#payment-new").click()
    page.locator("#customer-code").fill(customer.code)
    page.locator("#payment-customer button[type=submit]").click()
    page.locator("#id_amount").fill("226.00")
    page.locator("#id_reference").fill("CMB-20261127")
    page.locator("#id_auto").uncheck()
    page.locator(f"#allocate-{invoice.pk}").fill("226.00")
    with page.expect_navigation():
        page.locator("#payment-submit").click()
    payment = Payment.objects.get()
    expect(page).to_have_url(f"{live_server.url}/finance/payments/{payment.pk}/")
    expect(page.locator("#payment-unallocated")).to_have_text("0.00")
    page.get_by_role("link", name=invoice.number).click()
    expect(page.locator("#invoice-open")).to_have_text("0.00")
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("226.00")
    assert page_log.console_errors == [] and page_log.page_errors == []
    assert page_log.external_requests() == []
