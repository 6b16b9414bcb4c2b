"""Statement PDF and XLSX, ageing XLSX: what the customer and finance receive (U6, U11)."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pdfminer.high_level import extract_text

from salesdesk.core.exports import read_xlsx_rows
from salesdesk.core.pdf import render
from salesdesk.finance.documents import statement_document
from salesdesk.finance.services import invoice_from_shipments, payment_record
from salesdesk.finance.statement import statement
from salesdesk.finance.tests.conftest import days_ago, ship

pytestmark = pytest.mark.req("U6", "U11", "U3")


@pytest.fixture
def billed(order10, sales_admin, finance):
    """Shipped 6, invoiced 135.60, paid 100.00: 35.60 open."""
    shipment = ship(order10, {1: "6"})
    invoice = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    payment_record(
        actor=finance,
        customer_id=order10.customer_id,
        amount="100",
        received_on=days_ago(0),
        method="bank_transfer",
    )
    return {"order": order10, "shipment": shipment, "invoice": invoice}


def _client(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _period() -> dict:
    return {"start": days_ago(5).isoformat(), "to": days_ago(0).isoformat()}


def test_statement_pdf_text_holds_the_customer_products_documents_and_closing(billed, finance):
    customer = billed["order"].customer
    url = reverse("finance:statement", args=[customer.pk])
    response = _client(finance, "zh-hant").get(url, {**_period(), "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"statement-{customer.code}-" in response["Content-Disposition"]
    text = extract_text(io.BytesIO(response.content))
    assert customer.legal_name == "福建精工股份有限公司" and customer.legal_name in text
    assert "深溝球軸承" in text
    assert billed["shipment"].number in text and billed["invoice"].number in text
    assert "35.60" in text and "叁拾伍元陸角" in text
    assert "對帳單" in text and "銀行轉帳" in text and "Bank transfer" not in text


def test_statement_pdf_in_simplified_chinese(billed):
    customer = billed["order"].customer
    result = statement(customer, days_ago(5), days_ago(0))
    text = extract_text(io.BytesIO(render(statement_document(result, "zh-hans"))))
    assert "叁拾伍元陆角" in text and "对账单" in text and customer.legal_name in text


def test_an_english_user_still_gets_a_chinese_statement(billed):
    result = statement(billed["order"].customer, days_ago(5), days_ago(0))
    text = extract_text(io.BytesIO(render(statement_document(result, "en"))))
    assert "對帳單" in text and "期末餘額" in text


def test_statement_xlsx_has_heading_opening_lines_and_closing(billed, finance):
    customer = billed["order"].customer
    url = reverse("finance:statement", args=[customer.pk])
    response = _client(finance).get(url, {**_period(), "format": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][0] == "Customer statement"
    assert rows[1][1] == f"{customer.code} {customer.legal_name}"
    assert rows[5][:3] == ["Date", "Type", "Document number"]
    opening, *lines, closing = rows[6:]
    assert opening[4] == "Opening balance" and opening[9] == 0
    assert [line[2] for line in lines][:2] == [billed["shipment"].number, billed["invoice"].number]
    assert closing[4] == "Closing balance" and closing[9] == pytest.approx(35.6)


def test_ageing_export_matches_the_page(billed, finance):
    client = _client(finance)
    page = client.get(reverse("finance:ageing")).content.decode()
    assert billed["order"].customer.legal_name in page and "35.60" in page
    response = client.get(reverse("finance:ageing"), {"export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Code", "Customer", "Not yet due"]
    customer = billed["order"].customer
    assert rows[1][0] == customer.code and rows[1][2] == pytest.approx(35.6)
    assert rows[-1][1] == "Total"
