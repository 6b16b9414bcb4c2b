"""Receivables pages through the Django test client, per persona (U1, U6, U11)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.finance.models import Invoice, Payment, PaymentAllocation
from salesdesk.finance.services import invoice_from_shipments
from salesdesk.finance.tests.conftest import days_ago, ship

pytestmark = pytest.mark.req("U1", "U6", "U11")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def invoiced(order10, sales_admin):
    ship(order10, {1: "6"})
    return invoice_from_shipments(actor=sales_admin, order_id=order10.pk, issue_date=days_ago(50))


def _state() -> tuple:
    return (
        Invoice.objects.count(),
        Payment.objects.count(),
        PaymentAllocation.objects.count(),
        Event.objects.count(),
        sorted(Invoice.objects.values_list("status", "paid_amount")),
    )


def test_menu_entry_for_those_who_see_receivables(invoiced, finance, warehouse):
    assert 'href="/finance/"' in _client(finance).get("/").content.decode()
    assert 'href="/finance/"' not in _client(warehouse).get("/").content.decode()


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("finance", 200, True),
        ("sales_admin", 200, True),
        ("salesperson", 200, True),
        ("other_salesperson", 200, False),
        ("supervisor", 200, True),
        ("warehouse", 403, False),
        ("outsider", 403, False),
    ],
)
def test_ageing_page_per_persona(invoiced, request, persona, status, sees):
    response = _client(request.getfixturevalue(persona)).get(reverse("finance:ageing"))
    assert response.status_code == status
    if status == 200:
        assert (invoiced.customer.legal_name in response.content.decode()) is sees


def test_ageing_filters_and_export(invoiced, finance):
    client = _client(finance)
    by_person = client.get(reverse("finance:ageing"), {"group_by": "salesperson"})
    assert "sales1" in by_person.content.decode()
    earlier = client.get(reverse("finance:ageing"), {"as_of": days_ago(60).isoformat()})
    assert "Nothing is open." in earlier.content.decode()
    export = client.get(reverse("finance:ageing"), {"group_by": "salesperson", "export": "xlsx"})
    rows = read_xlsx_rows(b"".join(export.streaming_content))
    assert rows[0][1] == "Salesperson" and rows[1][0] == "sales1"
    assert rows[1][3] == pytest.approx(135.6)


def test_statement_page_with_period_and_downloads(invoiced, finance, other_salesperson):
    url = reverse("finance:statement", args=[invoiced.customer_id])
    page = _client(finance).get(
        url, {"start": days_ago(60).isoformat(), "to": days_ago(0).isoformat()}
    )
    body = page.content.decode()
    assert invoiced.number in body and "135.60" in body and 'id="statement-pdf"' in body
    assert "format=xlsx" in body and "format=pdf" in body
    wrong = _client(finance).get(
        url, {"start": days_ago(0).isoformat(), "to": days_ago(9).isoformat()}
    )
    assert "The period must start before it ends." in wrong.content.decode()
    assert _client(other_salesperson).get(url).status_code == 404


def test_invoice_shipped_goods_through_the_page(order10, sales_admin):
    shipment = ship(order10, {1: "6"})
    client = _client(sales_admin)
    form = client.get(reverse("finance:invoice_create"), {"order": order10.number})
    assert shipment.number in form.content.decode()
    line = shipment.lines.get()
    response = client.post(
        reverse("finance:invoice_create"), {"order": order10.number, "shipment_line": [line.pk]}
    )
    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:invoice_detail", args=[invoice.pk])
    again = client.post(
        reverse("finance:invoice_create"), {"order": order10.number, "shipment_line": [line.pk]}
    )
    assert again.status_code == 200 and Invoice.objects.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert shipment.number in detail and "135.60" in detail and 'id="invoice-void"' not in detail


def test_invoice_create_page_is_for_invoicing_roles(order10, salesperson):
    assert _client(salesperson).get(reverse("finance:invoice_create")).status_code == 403


def test_void_through_the_page(invoiced, finance, sales_admin):
    url = reverse("finance:invoice_void", args=[invoiced.pk])
    before = _state()
    refused = _client(sales_admin).post(url, {"reason": "開錯"})
    assert refused.status_code == 302 and _state() == before
    assert _messages(refused) == ["You may not Void this record."]
    assert (
        'id="invoice-void"'
        in _client(finance)
        .get(reverse("finance:invoice_detail", args=[invoiced.pk]))
        .content.decode()
    )
    done = _client(finance).post(url, {"reason": "開錯"})
    assert _messages(done) == ["Invoice voided."]
    invoiced.refresh_from_db()
    assert (invoiced.status, invoiced.void_reason) == ("voided", "開錯")


def test_invoice_list_filters_and_export(invoiced, finance):
    client = _client(finance)
    page = client.get(reverse("finance:invoices"), {"q": invoiced.number, "open_only": "on"})
    assert invoiced.number in page.content.decode()
    assert (
        "0 invoices"
        in client.get(reverse("finance:invoices"), {"status": "voided"}).content.decode()
    )
    rows = read_xlsx_rows(
        b"".join(client.get(reverse("finance:invoices"), {"export": "xlsx"}).streaming_content)
    )
    assert rows[1][0] == invoiced.number and rows[1][11] == pytest.approx(135.6)


def test_record_a_payment_with_allocation_through_the_page(invoiced, finance):
    client = _client(finance)
    url = reverse("finance:payment_create")
    form = client.get(url, {"customer": invoiced.customer.code}).content.decode()
    assert invoiced.number in form and f'name="allocate-{invoiced.pk}"' in form
    entry = {
        "customer": invoiced.customer.code,
        "amount": "150.00",
        "received_on": days_ago(0).isoformat(),
        "method": "bank_transfer",
        "reference": "CMB-1",
    }
    before = _state()
    refused = client.post(url, {**entry, f"allocate-{invoiced.pk}": "140"})
    assert refused.status_code == 200 and _state() == before
    body = refused.content.decode()
    assert "has only 135.60 open" in body and 'value="140"' in body
    done = client.post(url, {**entry, f"allocate-{invoiced.pk}": "100"})
    payment = Payment.objects.get()
    assert done["Location"] == reverse("finance:payment_detail", args=[payment.pk])
    assert (payment.allocated_amount, payment.unallocated_amount) == (
        Decimal("100.00"),
        Decimal("50.00"),
    )
    detail = client.get(done["Location"]).content.decode()
    assert 'id="payment-allocate"' in detail
    allocated = client.post(reverse("finance:payment_allocate", args=[payment.pk]), {"auto": "1"})
    assert _messages(allocated) == ["Payment allocated."]
    invoiced.refresh_from_db()
    assert invoiced.open_amount == Decimal("0.00")


def test_payment_pages_for_finance_only(invoiced, sales_admin, salesperson, finance):
    assert _client(sales_admin).get(reverse("finance:payment_create")).status_code == 403
    assert _client(salesperson).get(reverse("finance:payments")).status_code == 200
    unknown = _client(finance).get(reverse("finance:payment_create"), {"customer": "NOPE"})
    assert "No such customer." in unknown.content.decode()
