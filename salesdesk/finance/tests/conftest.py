"""Finance fixtures: approved orders and shipments made directly with the ORM (the shipping
services are tested on their own), invoices and payments through the finance services."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from salesdesk.finance.models import Invoice
from salesdesk.orders.models import Order
from salesdesk.orders.services import order_approve, order_submit
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401
from salesdesk.shipping.models import Shipment, ShipmentLine

_serial = count(1)


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def ship(order: Order, quantities: dict[int, str], *, status: str = "dispatched", actor=None):
    """A shipment of `quantities` per order line number, in `status`, made with the ORM."""
    shipment = Shipment.objects.create(
        number=f"DN-TEST-{next(_serial):04d}",
        order=order,
        status=status,
        dispatched_at=timezone.now(),
        created_by=actor or order.created_by,
    )
    lines = {line.line_number: line for line in order.lines.all()}
    for number, quantity in quantities.items():
        ShipmentLine.objects.create(
            shipment=shipment, order_line=lines[number], quantity=Decimal(quantity)
        )
    return shipment


def set_status(order: Order, status: str) -> Order:
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def imported_invoice(customer, *, gross: str, issued, due, actor, number=None) -> Invoice:  # noqa: F811
    """An invoice as the finance import makes it, for selector tests."""
    gross_amount = Decimal(gross)
    return Invoice.objects.create(
        number=number or f"INV-TEST-{next(_serial):04d}",
        customer=customer,
        issue_date=issued,
        due_date=due,
        net_amount=gross_amount,
        tax_amount=Decimal("0.00"),
        gross_amount=gross_amount,
        is_imported=True,
        created_by=actor,
    )


@pytest.fixture
def approve(salesperson, sales_admin):
    def run(order: Order) -> Order:
        order_submit(actor=salesperson, order_id=order.pk)
        return order_approve(actor=sales_admin, order_id=order.pk)

    return run


@pytest.fixture
def order10(make_order, approve):  # noqa: F811
    """An approved order of 10 bearings at 20.00 + 13 % tax: net 200.00, gross 226.00."""
    return approve(make_order(lines=[{"product": "B-6204", "quantity": "10", "unit_price": "20"}]))


@pytest.fixture
def odd_order(make_order, approve):  # noqa: F811
    """3 motors at 333.33 + 13 %: amounts that do not split evenly into thirds."""
    return approve(
        make_order(lines=[{"product": "M-750", "quantity": "3", "unit_price": "333.33"}])
    )
