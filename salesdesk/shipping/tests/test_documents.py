"""Shipping documents as PDFs with Chinese text (S1.2): packing list, delivery note with the
customer's signature area, commercial invoice pro rata of the shipped quantity, QC report."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from pdfminer.high_level import extract_text

from salesdesk.audit.models import AccessLog
from salesdesk.core.pdf import render
from salesdesk.shipping.documents import invoice_line, shipment_document
from salesdesk.shipping.tests.steps import booked, planned

pytestmark = pytest.mark.req("S1.2")


def _text(shipment, kind, actor, language="zh-hant") -> str:
    with translation.override(language):
        document = shipment_document(shipment, kind, actor)
    return extract_text(BytesIO(render(document)))


def _flat(text: str) -> str:
    return "".join(text.split())


def test_packing_list_has_the_goods_packages_and_weight(
    order10, sales_admin, warehouse, logistics, carrier
):
    shipment = booked(order10, sales_admin, warehouse, logistics, carrier, 6)
    text = _flat(_text(shipment, "packing-list", sales_admin))
    assert "深溝球軸承" in text and "B-6204" in text and shipment.number in text
    assert order10.number in text and "順豐速運" in text and "12.5" in text


def test_delivery_note_has_ship_to_and_the_customers_signature_area(order10, sales_admin, customer):
    address = customer.addresses.get()
    address.recipient, address.recipient_phone = "陳大文", "0912345678"
    address.save()
    shipment = planned(order10, sales_admin, 4)
    text = _flat(_text(shipment, "delivery-note", sales_admin))
    assert "深溝球軸承" in text and "福建省福州市工業路1號" in text and "陳大文" in text
    log = AccessLog.objects.get(actor=sales_admin, object_id=address.pk)
    assert log.fields == ["recipient", "recipient_phone"] and shipment.number in log.purpose


def test_commercial_invoice_bills_the_shipped_share_with_words(order10, sales_admin):
    shipment = planned(order10, sales_admin, 6)
    assert invoice_line(shipment.lines.get()) == (
        Decimal("120.00"),
        Decimal("15.60"),
        Decimal("135.60"),
    )
    text = _flat(_text(shipment, "commercial-invoice", sales_admin))
    assert "深溝球軸承" in text and "135.60" in text and "壹佰叁拾伍元陸角" in text


def test_qc_report_names_the_inspector_and_result(order10, sales_admin, warehouse):
    from salesdesk.shipping.tests.steps import ready

    shipment = ready(order10, sales_admin, warehouse)
    text = _flat(_text(shipment, "qc-report", sales_admin))
    assert "深溝球軸承" in text and "外觀與尺寸合格" in text and "warehouse1" in text


def test_simplified_chinese_users_get_the_simplified_variant(order10, sales_admin):
    shipment = planned(order10, sales_admin, 6)
    with translation.override("zh-hans"):
        document = shipment_document(shipment, "commercial-invoice", sales_admin)
    assert document.variant == "hans"
    text = _flat(extract_text(BytesIO(render(document))))
    assert "壹佰叁拾伍元陆角" in text
    with translation.override("en"):
        assert shipment_document(shipment, "packing-list", sales_admin).variant == "hant"
