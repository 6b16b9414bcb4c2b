"""Order intake and verification (O1.1–O1.3, U3, U7)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.orders.models import Order, OrderLine
from salesdesk.orders.services import order_confirm_written, order_create, order_update
from salesdesk.orders.tests.conftest import delivery
from salesdesk.workqueue.registry import items_for


@pytest.mark.req("O1.1", "U3", "U7")
def test_create_numbers_totals_and_event(make_order, salesperson):
    order = make_order(
        lines=[
            {"product": "B-6204", "quantity": "10", "unit_price": "20", "discount_rate": "0.05"},
            {"product": "M-750", "quantity": "1"},
        ]
    )
    assert order.number.startswith("SO-") and order.status == "draft"
    assert order.salesperson == salesperson
    lines = list(order.lines.order_by("line_number"))
    assert (lines[0].net_amount, lines[0].tax_amount) == (Decimal("190.00"), Decimal("24.70"))
    assert lines[1].unit_price == Decimal("1500")  # list price when none is entered
    assert order.net_amount == Decimal("1690.00")
    assert order.gross_amount == order.net_amount + order.tax_amount
    assert Event.objects.filter(verb="order.created", object_id=order.pk).count() == 1


@pytest.mark.req("U3")
def test_tax_inclusive_entry(make_order):
    order = make_order(
        prices_include_tax="true",
        lines=[{"product": "B-6204", "quantity": "1", "unit_price": "113"}],
    )
    assert (order.net_amount, order.tax_amount, order.gross_amount) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )


@pytest.mark.req("O1.3")
@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"product": "NOPE", "quantity": "1"}, "lines.1.product"),
        ({"product": "B-6204", "quantity": "0"}, "lines.1.quantity"),
        ({"product": "B-6204", "quantity": "-2"}, "lines.1.quantity"),
        ({"product": "B-6204", "quantity": "1", "unit_price": "-1"}, "lines.1.unit_price"),
        ({"product": "B-6204", "quantity": "abc"}, "lines.1.quantity"),
        (
            {"product": "B-6204", "quantity": "1", "requested_date": "2020-01-01"},
            "lines.1.requested_date",
        ),
        (
            {"product": "B-6204", "quantity": "1", "requested_date": "2099-02-30"},
            "lines.1.requested_date",
        ),
    ],
)
def test_bad_lines_refused_with_field(make_order, line, field):
    with pytest.raises(ValidationFailed) as info:
        make_order(lines=[line])
    assert field in info.value.extra["fields"]
    assert not Order.objects.exists() and not OrderLine.objects.exists()


@pytest.mark.req("O1.3")
@pytest.mark.parametrize(
    ("header", "field"),
    [
        ({"payment_terms": ""}, "payment_terms"),
        ({"payment_terms": "never"}, "payment_terms"),
        ({"requested_delivery_date": "2020-01-01"}, "requested_delivery_date"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_header_refused(customer, products, salesperson, header, field):
    data = {
        "channel": "written",
        "payment_terms": "net_30",
        "requested_delivery_date": delivery(),
        **header,
    }
    before = Event.objects.count()
    with pytest.raises(ValidationFailed) as info:
        order_create(
            actor=salesperson,
            customer_id=customer.pk,
            data=data,
            lines=[{"product": "B-6204", "quantity": "1"}],
        )
    assert field in info.value.extra["fields"]
    assert not Order.objects.exists() and Event.objects.count() == before


def test_inactive_product_refused(make_order, products):
    type(products["motor"]).objects.filter(pk=products["motor"].pk).update(is_active=False)
    with pytest.raises(ValidationFailed) as info:
        make_order(lines=[{"product": "M-750", "quantity": "1"}])
    assert "lines.1.product" in info.value.extra["fields"]


def test_other_salesperson_cannot_order_for_my_customer(customer, products, other_salesperson):
    with pytest.raises(NotFound):
        order_create(
            actor=other_salesperson,
            customer_id=customer.pk,
            data={
                "channel": "written",
                "payment_terms": "net_30",
                "requested_delivery_date": delivery(),
            },
            lines=[{"product": "B-6204", "quantity": "1"}],
        )
    assert not Order.objects.exists()


def test_warehouse_may_not_enter_orders(customer, products, warehouse):
    with pytest.raises(PermissionDenied):
        order_create(actor=warehouse, customer_id=customer.pk, data={}, lines=[])


def test_draft_edit_then_locked_after_submit(make_order, salesperson):
    from salesdesk.orders.services import order_submit

    order = make_order()
    order_update(
        actor=salesperson,
        order_id=order.pk,
        data={"note": "急件"},
        lines=[{"product": "B-6204", "quantity": "3"}],
    )
    order.refresh_from_db()
    assert order.net_amount == Decimal("60.00") and order.lines.count() == 1
    order_submit(actor=salesperson, order_id=order.pk)
    with pytest.raises(Conflict) as info:
        order_update(actor=salesperson, order_id=order.pk, data={"note": "x"})
    assert info.value.code == "not_draft"


@pytest.mark.req("O1.2")
def test_verbal_order_waits_for_written_confirmation(make_order, salesperson):
    order = make_order(channel="verbal")
    assert order.confirmation_due_at is not None
    keys = [item.key for item in items_for(salesperson)]
    assert f"orders.confirm:{order.pk}" in keys
    upload = SimpleUploadedFile("po.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    order_confirm_written(actor=salesperson, order_id=order.pk, upload=upload)
    order.refresh_from_db()
    assert order.confirmed_at is not None
    assert f"orders.confirm:{order.pk}" not in [item.key for item in items_for(salesperson)]


@pytest.mark.req("O1.2")
def test_confirmation_file_is_checked(make_order, salesperson):
    order = make_order(channel="verbal")
    fake = SimpleUploadedFile("po.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed) as info:
        order_confirm_written(actor=salesperson, order_id=order.pk, upload=fake)
    assert info.value.code == "file_type"
    order.refresh_from_db()
    assert order.confirmed_at is None
