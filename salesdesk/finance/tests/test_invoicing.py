"""Invoices from shipped lines, voids and closing the order (U1, U6)."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from salesdesk.finance.models import Invoice, InvoiceLine
from salesdesk.finance.rules import bucket_of, due_date_for
from salesdesk.finance.services import (
    invoice_from_shipments,
    invoice_void,
    order_close_if_done,
    payment_record,
)
from salesdesk.finance.tests.conftest import days_ago, imported_invoice, set_status, ship
from salesdesk.finance.workflow import INVOICE
from salesdesk.shipping.models import ShipmentLine
from salesdesk.testing.workflow import assert_transition_table

pytestmark = pytest.mark.req("U1", "U6")


def _events(verb: str) -> int:
    return Event.objects.filter(verb=verb).count()


@pytest.mark.parametrize(
    ("terms", "issued", "due"),
    [
        ("prepayment", date(2026, 3, 10), date(2026, 3, 10)),
        ("cash_on_delivery", date(2026, 3, 10), date(2026, 3, 10)),
        ("net_30", date(2026, 3, 10), date(2026, 4, 9)),
        ("net_60", date(2026, 3, 10), date(2026, 5, 9)),
        ("net_90", date(2026, 3, 10), date(2026, 6, 8)),
        ("monthly_statement", date(2026, 2, 3), date(2026, 3, 30)),
        ("monthly_statement", date(2026, 12, 31), date(2027, 1, 30)),
    ],
)
def test_due_date_follows_the_payment_terms(terms, issued, due):
    assert due_date_for(terms, issued) == due


def test_unknown_terms_have_no_due_date():
    with pytest.raises(ValidationFailed) as info:
        due_date_for("net_45", date(2026, 1, 1))
    assert info.value.code == "unknown_payment_terms"


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "days_0_30"),
        (30, "days_0_30"),
        (31, "days_31_60"),
        (60, "days_31_60"),
        (61, "days_61_90"),
        (91, "days_91_180"),
        (181, "over_180"),
    ],
)
def test_bucket_edges(days, bucket):
    assert bucket_of(days) == bucket


def test_invoice_bills_the_shipped_quantity_pro_rata(order10, sales_admin):
    ship(order10, {1: "6"})
    invoice = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    assert invoice.number.startswith("INV-") and invoice.status == "issued"
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (
        Decimal("120.00"),
        Decimal("15.60"),
        Decimal("135.60"),
    )
    assert (invoice.issue_date, invoice.due_date) == (days_ago(0), days_ago(-30))
    [line] = invoice.lines.all()
    assert line.quantity == Decimal("6") and line.order_line.line_number == 1
    assert line.shipment_line.shipment.order_id == order10.pk
    assert _events("invoice.issued") == 1


@pytest.mark.parametrize("splits", [("1", "1", "1"), ("2", "1"), ("1", "2")])
def test_partial_invoices_add_up_exactly_to_the_order_line(odd_order, finance, splits):
    line = odd_order.lines.get()
    assert (line.net_amount, line.tax_amount) == (Decimal("999.99"), Decimal("130.00"))
    invoices = []
    for quantity in splits:
        ship(odd_order, {1: quantity})
        invoices.append(invoice_from_shipments(actor=finance, order_id=odd_order.pk))
    lines = InvoiceLine.objects.filter(order_line=line)
    assert sum(x.net_amount for x in lines) == line.net_amount
    assert sum(x.tax_amount for x in lines) == line.tax_amount
    assert sum(x.gross_amount for x in lines) == line.gross_amount
    assert sum(i.gross_amount for i in invoices) == line.gross_amount
    assert all(x.net_amount + x.tax_amount == x.gross_amount for x in lines)


def test_thirds_split_the_rounding_onto_the_later_invoices(odd_order, finance):
    taken = []
    for _round in range(3):
        ship(odd_order, {1: "1"})
        invoice = invoice_from_shipments(actor=finance, order_id=odd_order.pk)
        taken.append((invoice.net_amount, invoice.tax_amount))
    assert taken == [
        (Decimal("333.33"), Decimal("43.33")),
        (Decimal("333.33"), Decimal("43.34")),
        (Decimal("333.33"), Decimal("43.33")),
    ]


def test_refuses_when_nothing_is_left_to_invoice(order10, sales_admin):
    ship(order10, {1: "4"})
    invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    events, invoices = Event.objects.count(), Invoice.objects.count()
    with pytest.raises(Conflict) as info:
        invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    assert info.value.code == "nothing_to_invoice"
    assert (Event.objects.count(), Invoice.objects.count()) == (events, invoices)


def test_goods_not_yet_dispatched_are_not_invoiced(order10, sales_admin):
    ship(order10, {1: "5"}, status="ready")
    with pytest.raises(Conflict) as info:
        invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    assert info.value.code == "nothing_to_invoice"
    assert not Invoice.objects.exists()


def test_chosen_shipment_lines_only(order10, sales_admin):
    first = ship(order10, {1: "3"})
    second = ship(order10, {1: "2"})
    chosen = second.lines.get()
    invoice = invoice_from_shipments(
        actor=sales_admin, order_id=order10.pk, shipment_line_ids=[chosen.pk]
    )
    assert invoice.lines.get().shipment_line_id == chosen.pk
    with pytest.raises(ValidationFailed) as info:
        invoice_from_shipments(
            actor=sales_admin, order_id=order10.pk, shipment_line_ids=[chosen.pk]
        )
    assert info.value.code == "invalid_shipment_lines"
    rest = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    assert rest.lines.get().shipment_line_id == first.lines.get().pk


def test_refuses_a_future_issue_date_and_changes_nothing(order10, sales_admin):
    ship(order10, {1: "3"})
    with pytest.raises(ValidationFailed) as info:
        invoice_from_shipments(actor=sales_admin, order_id=order10.pk, issue_date="2999-01-01")
    assert "issue_date" in info.value.extra["fields"]
    assert not Invoice.objects.exists() and _events("invoice.issued") == 0


def test_salesperson_may_not_invoice(order10, salesperson):
    ship(order10, {1: "3"})
    with pytest.raises(PermissionDenied):
        invoice_from_shipments(actor=salesperson, order_id=order10.pk)
    assert not Invoice.objects.exists() and _events("invoice.issued") == 0


def test_void_keeps_the_invoice_and_frees_its_quantity(order10, sales_admin, finance):
    ship(order10, {1: "6"})
    invoice = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    voided = invoice_void(actor=finance, invoice_id=invoice.pk, reason="抬頭開錯")
    assert (voided.status, voided.void_reason) == ("voided", "抬頭開錯")
    assert voided.voided_at is not None
    event = Event.objects.get(verb="invoice.voided")
    assert (event.from_state, event.to_state, event.note) == ("issued", "voided", "抬頭開錯")
    again = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    assert again.gross_amount == invoice.gross_amount and again.number != invoice.number
    assert Invoice.objects.count() == 2


def test_void_refusals_change_nothing(order10, sales_admin, finance):
    ship(order10, {1: "6"})
    invoice = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    events = Event.objects.count()
    with pytest.raises(PermissionDenied):
        invoice_void(actor=sales_admin, invoice_id=invoice.pk, reason="錯誤")
    with pytest.raises(ValidationFailed):
        invoice_void(actor=finance, invoice_id=invoice.pk, reason="  ")
    payment_record(
        actor=finance,
        customer_id=invoice.customer_id,
        amount="10",
        received_on=days_ago(0),
        method="cash",
    )
    events = Event.objects.count()
    with pytest.raises(Conflict) as info:
        invoice_void(actor=finance, invoice_id=invoice.pk, reason="錯誤")
    assert info.value.code == "invoice_has_payments"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.void_reason) == ("issued", "")
    assert Event.objects.count() == events


def test_order_closes_when_delivered_and_fully_invoiced(order10, sales_admin):
    first = ship(order10, {1: "6"}, status="receipt_confirmed")
    invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    ship(order10, {1: "4"}, status="delivered")
    set_status(order10, "delivered")
    assert order_close_if_done(order=order10, actor=sales_admin) is False
    invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    order10.refresh_from_db()
    assert order10.status == "closed"
    closed = Event.objects.get(verb="order.closed", object_id=order10.pk)
    assert (closed.from_state, closed.to_state) == ("delivered", "closed")
    assert len(closed.data["invoices"]) == 2
    assert first.lines.get().invoice_lines.count() == 1


def test_short_receipt_keeps_the_order_open(order10, sales_admin):
    shipment = ship(order10, {1: "10"}, status="receipt_confirmed")
    ShipmentLine.objects.filter(shipment=shipment).update(received_quantity=Decimal("8"))
    set_status(order10, "delivered")
    invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    order10.refresh_from_db()
    assert order10.status == "delivered"
    assert not Event.objects.filter(verb="order.closed").exists()


def test_close_waits_for_the_delivered_state(order10, sales_admin):
    ship(order10, {1: "10"}, status="receipt_confirmed")
    invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    order10.refresh_from_db()
    assert order10.status == "approved"
    set_status(order10, "delivered")
    assert order_close_if_done(order=order10, actor=sales_admin) is True
    order10.refresh_from_db()
    assert order10.status == "closed"


def test_invoice_transition_table(customer, finance):
    def make_subject(state):
        invoice = imported_invoice(
            customer, gross="10.00", issued=days_ago(1), due=days_ago(1), actor=finance
        )
        Invoice.objects.filter(pk=invoice.pk).update(status=state)
        invoice.refresh_from_db()
        return invoice

    counts = assert_transition_table(INVOICE, make_subject=make_subject, actor=finance)
    assert counts == {"allowed": 1, "refused": 1}


def test_a_cancelled_order_is_not_invoiced(order10, sales_admin):
    ship(order10, {1: "3"})
    set_status(order10, "cancelled")
    with pytest.raises(Conflict) as info:
        invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    assert info.value.code == "order_not_invoiceable"
    assert not Invoice.objects.exists() and _events("invoice.issued") == 0
