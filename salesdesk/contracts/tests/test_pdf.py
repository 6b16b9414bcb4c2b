"""The contract PDF (K3.1): its text, extracted back from the file, holds the customer's
Chinese name, the amount in capitals, the clauses and both parties' signatures."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pdfminer.high_level import extract_text

from salesdesk.contracts.pdf import contract_document
from salesdesk.contracts.tests.test_views import activate
from salesdesk.core.pdf import render

pytestmark = pytest.mark.req("K3.1", "K1.1")


def _text(pdf: bytes) -> str:
    return extract_text(io.BytesIO(pdf))


def test_pdf_of_a_draft_holds_name_amount_in_capitals_and_clauses(draft, sales_admin, customer):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hant")
    client.force_login(sales_admin)
    response = client.get(reverse("contracts:pdf", args=[draft.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{draft.number}.pdf"' in response["Content-Disposition"]
    text = _text(response.content)
    assert customer.legal_name == "福建精工股份有限公司"
    assert customer.legal_name in text
    assert "貳佰貳拾陸元整" in text and "226.00" in text
    assert draft.number in text and "違約責任" in text and "深溝球軸承" in text


def test_pdf_of_an_active_contract_shows_both_signatures(draft, sales_admin, legal, finance):
    contract = activate(draft, sales_admin, legal, finance)
    with translation.override("en"):
        text = _text(render(contract_document(contract, "en")))
    assert "陳總經理" in text and "林董事長" in text
    assert "Signed on" in text and contract.signed_on.isoformat() in text


def test_simplified_chinese_pdf_writes_capitals_in_simplified_script(draft):
    with translation.override("zh-hans"):
        text = _text(render(contract_document(draft, "zh-hans")))
    assert "贰佰贰拾陆元整" in text


def test_pdf_is_not_served_to_those_who_may_not_see_the_contract(draft, other_salesperson):
    client = Client()
    client.force_login(other_salesperson)
    assert client.get(reverse("contracts:pdf", args=[draft.pk])).status_code == 404
