"""Shared order fixtures: a customer with credit, products in stock."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure
from salesdesk.customers.models import Customer
from salesdesk.customers.tests.factories import enterprise
from salesdesk.orders.services import order_create


@pytest.fixture
def customer(salesperson):
    customer = enterprise(salesperson, legal_name="福建精工股份有限公司")
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100000"), grade="B")
    customer.refresh_from_db()
    return customer


@pytest.fixture
def products(sales_admin, warehouse):
    main = warehouse_ensure(code="main", name="主倉")
    bearing = product_create(
        actor=sales_admin,
        data={"sku": "B-6204", "name": "深溝球軸承", "unit": "個", "list_price": "20"},
    )
    motor = product_create(
        actor=sales_admin,
        data={"sku": "M-750", "name": "伺服馬達", "unit": "台", "list_price": "1500"},
    )
    stock_adjust(
        actor=warehouse, product_id=bearing.pk, warehouse_id=main.pk, quantity="100", reason="期初"
    )
    stock_adjust(
        actor=warehouse, product_id=motor.pk, warehouse_id=main.pk, quantity="5", reason="期初"
    )
    return {"bearing": bearing, "motor": motor}


def delivery(days: int = 14) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def make_order(customer, products, salesperson):
    def make(*, actor=None, channel="written", terms="net_30", lines=None, **header):
        return order_create(
            actor=actor or salesperson,
            customer_id=customer.pk,
            data={
                "channel": channel,
                "payment_terms": terms,
                "requested_delivery_date": delivery(),
                **header,
            },
            lines=lines or [{"product": "B-6204", "quantity": "10", "unit_price": "20"}],
        )

    return make
