"""Shipping documents as PDFs in Chinese (S1.2): packing list (裝箱單), delivery note with the
customer's signature area (送貨單), commercial invoice (商業發票) and QC report (品質檢驗報告).

Each is printed in the Chinese script of the active language (Simplified for zh-hans, else
Traditional), with its labels in that language. Invoice amounts come from the order lines,
pro rata of the shipped quantity, so a partial shipment bills only what it carries (U1).
"""

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from salesdesk.audit.models import Event
from salesdesk.audit.selectors import event_list_for
from salesdesk.audit.services import access_record
from salesdesk.core.attachments import attachments_of
from salesdesk.core.money import quantize_money
from salesdesk.core.pdf import (
    Amount,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    SignatureBlock,
    Spacer,
    Table,
    pdf_response,
    variant_for_language,
)
from salesdesk.shipping.models import Shipment, ShipmentLine
from salesdesk.shipping.selectors import shipment_lines

KINDS = ("packing-list", "delivery-note", "commercial-invoice", "qc-report")
LANGUAGE_OF_VARIANT = {"hant": "zh-hant", "hans": "zh-hans"}


def _quantity(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _date(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _address(shipment: Shipment) -> str:
    address = shipment.ship_to
    if address is None:
        customer = shipment.order.customer
        return f"{customer.province}{customer.legal_name}"
    return f"{address.province}{address.city}{address.district}{address.street}"


def _meta(shipment: Shipment) -> list[tuple[Any, Any]]:
    order = shipment.order
    return [
        (_("Delivery note number"), shipment.number),
        (_("Order"), order.number),
        (_("Customer"), order.customer.legal_name),
        (_("Customer PO number"), order.customer_reference or "—"),
        (_("Planned ship date"), _date(shipment.planned_ship_date)),
        (_("Carrier"), str(shipment.carrier or "—")),
        (_("Tracking number"), shipment.tracking_number or "—"),
        (_("Promised delivery"), _date(shipment.promised_delivery_date)),
    ]


def _goods_rows(lines: list[ShipmentLine]) -> list[list[Any]]:
    return [
        [
            index,
            line.order_line.product.sku,
            line.order_line.product.name,
            line.order_line.description or line.order_line.product.spec,
            _quantity(line.quantity),
            line.order_line.product.unit,
        ]
        for index, line in enumerate(lines, start=1)
    ]


def _goods_headers() -> list[Any]:
    return ["#", _("SKU"), _("Product"), _("Specification"), _("Quantity"), _("Unit")]


def _total_quantity(lines: list[ShipmentLine]) -> str:
    return _quantity(sum((line.quantity for line in lines), Decimal(0)))


def packing_list(shipment: Shipment, actor: Any) -> Document:
    """Lines and quantities, packages and gross weight (裝箱單)."""
    lines = list(shipment_lines(shipment))
    return Document(
        title=_("Packing list"),
        subtitle=shipment.number,
        meta=_meta(shipment),
        blocks=[
            Table(
                _goods_headers(),
                _goods_rows(lines),
                col_widths=(0.5, 1.5, 3, 2, 1.2, 0.8),
                totals_row=["", "", _("Total"), "", _total_quantity(lines), ""],
            ),
            Spacer(4),
            KeyValues(
                [
                    (_("Packages"), shipment.packages),
                    (_("Gross weight (kg)"), _quantity(shipment.gross_weight)),
                    (_("Ship to"), _address(shipment)),
                ]
            ),
        ],
        footer=shipment.number,
    )


def delivery_note(shipment: Shipment, actor: Any) -> Document:
    """Ship-to, lines and the customer's "received in good order" signature (送貨單)."""
    lines = list(shipment_lines(shipment))
    address = shipment.ship_to
    receiver = [(_("Ship to"), _address(shipment))]
    if address is not None and (address.recipient or address.recipient_phone):
        access_record(
            actor=actor,
            subject=address,
            fields=["recipient", "recipient_phone"],
            purpose=f"delivery note {shipment.number}",
        )
        receiver += [
            (_("Recipient"), address.recipient or "—"),
            (_("Phone"), address.recipient_phone or "—"),
        ]
    return Document(
        title=_("Delivery note"),
        subtitle=shipment.number,
        meta=_meta(shipment),
        blocks=[
            KeyValues(receiver, columns=1),
            Spacer(3),
            Table(
                _goods_headers(),
                _goods_rows(lines),
                col_widths=(0.5, 1.5, 3, 2, 1.2, 0.8),
                totals_row=["", "", _("Total"), "", _total_quantity(lines), ""],
            ),
            Spacer(3),
            Paragraph(_("Packages: %(n)s") % {"n": shipment.packages}),
            Spacer(8),
            SignatureBlock(
                [
                    (
                        _("Shipper: %(company)s") % {"company": settings.COMPANY_NAME},
                        [_("Signature"), _("Date")],
                    ),
                    (
                        _("Goods received in good order by the customer"),
                        [_("Signature and seal"), _("Date")],
                    ),
                ]
            ),
        ],
        footer=shipment.number,
    )


def invoice_line(line: ShipmentLine) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of a shipment line: the order line's amounts pro rata (U1)."""
    order_line = line.order_line
    share = line.quantity / order_line.quantity
    net = quantize_money(order_line.net_amount * share)
    tax = quantize_money(order_line.tax_amount * share)
    return net, tax, net + tax


def commercial_invoice(shipment: Shipment, actor: Any) -> Document:
    """Lines with prices, tax, totals and the amount in capitals (商業發票)."""
    lines = list(shipment_lines(shipment))
    rows, net_total, tax_total = [], Decimal(0), Decimal(0)
    for index, line in enumerate(lines, start=1):
        net, tax, gross = invoice_line(line)
        net_total, tax_total = net_total + net, tax_total + tax
        order_line = line.order_line
        rows.append(
            [
                index,
                order_line.product.name,
                f"{_quantity(line.quantity)} {order_line.product.unit}",
                _quantity(order_line.unit_price),
                f"{_quantity(order_line.discount_rate * 100)}%",
                _money(net),
                f"{_quantity(order_line.tax_rate * 100)}%",
                _money(tax),
                _money(gross),
            ]
        )
    gross_total = net_total + tax_total
    currency = shipment.order.currency
    prices = _("incl. tax") if shipment.order.prices_include_tax else _("excl. tax")
    return Document(
        title=_("Commercial invoice"),
        subtitle=shipment.number,
        meta=[
            *_meta(shipment)[:4],
            (_("Currency"), currency),
            (_("Unit prices"), prices),
        ],
        blocks=[
            Table(
                [
                    "#",
                    _("Product"),
                    _("Quantity"),
                    _("Unit price"),
                    _("Discount"),
                    _("Net"),
                    _("Tax rate"),
                    _("Tax"),
                    _("Gross"),
                ],
                rows,
                col_widths=(0.4, 2.6, 1.2, 1.1, 0.9, 1.2, 0.9, 1.1, 1.3),
                totals_row=[
                    "",
                    _("Total"),
                    "",
                    "",
                    "",
                    _money(net_total),
                    "",
                    _money(tax_total),
                    _money(gross_total),
                ],
            ),
            Spacer(4),
            Amount(_("Total incl. tax"), gross_total, currency),
        ],
        footer=shipment.number,
    )


def _inspection(shipment: Shipment) -> Event | None:
    """The readiness entry that recorded the quality inspection as passed."""
    for event in event_list_for(shipment).filter(verb="shipment.readiness"):
        if event.data.get("qc_passed") == "True":
            return event
    return None


def _attached(files: list[str]) -> list:
    if not files:
        return []
    return [Spacer(3), Paragraph(_("Attached reports: %(files)s") % {"files": ", ".join(files)})]


def qc_report(shipment: Shipment, actor: Any) -> Document:
    """The quality inspection result, note, inspector and date (品質檢驗報告)."""
    lines = list(shipment_lines(shipment))
    inspection = _inspection(shipment)
    files = [f.original_name for f in attachments_of(shipment).filter(kind="qc_report")]
    result = _("Passed") if shipment.qc_passed else _("Not passed")
    return Document(
        title=_("Quality inspection report"),
        subtitle=shipment.number,
        meta=_meta(shipment)[:4],
        blocks=[
            KeyValues(
                [
                    (_("Result"), result),
                    (_("Inspector"), str(inspection.actor) if inspection else "—"),
                    (_("Inspected on"), _date(inspection.created_at) if inspection else "—"),
                    (_("Note"), shipment.qc_note or "—"),
                ]
            ),
            Spacer(3),
            Heading(_("Goods inspected"), 2),
            Table(_goods_headers(), _goods_rows(lines), col_widths=(0.5, 1.5, 3, 2, 1.2, 0.8)),
            *_attached(files),
            Spacer(8),
            SignatureBlock([(_("Inspector"), [_("Signature"), _("Date")])]),
        ],
        footer=shipment.number,
    )


BUILDERS: dict[str, Callable[[Shipment, Any], Document]] = {
    "packing-list": packing_list,
    "delivery-note": delivery_note,
    "commercial-invoice": commercial_invoice,
    "qc-report": qc_report,
}


def shipment_document(shipment: Shipment, kind: str, actor: Any) -> Document:
    """The document `kind` in the Chinese script (and wording) of the active language."""
    variant = variant_for_language(translation.get_language())
    with translation.override(LANGUAGE_OF_VARIANT[variant]):
        return replace(BUILDERS[kind](shipment, actor), variant=variant)


def shipment_pdf_response(shipment: Shipment, kind: str, actor: Any) -> HttpResponse:
    document = shipment_document(shipment, kind, actor)
    return pdf_response(document, f"{shipment.number}-{kind}")
