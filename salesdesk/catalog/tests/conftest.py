"""Price list fixtures (O2.2): two products in stock, grade A and B customers, and a factory
for price lists with their prices."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from salesdesk.catalog.models import PriceList
from salesdesk.catalog.pricing import price_item_set, price_list_create
from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure
from salesdesk.customers.models import Customer
from salesdesk.customers.tests.factories import enterprise


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


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
    return {"bearing": bearing, "motor": motor}


def _customer(owner, grade: str) -> Customer:
    customer = enterprise(owner)
    Customer.objects.filter(pk=customer.pk).update(grade=grade, credit_limit=Decimal("100000"))
    customer.refresh_from_db()
    return customer


@pytest.fixture
def grade_a(salesperson):
    return _customer(salesperson, "A")


@pytest.fixture
def grade_b(salesperson):
    return _customer(salesperson, "B")


@pytest.fixture
def make_list(sales_admin):
    """`make_list(name, grade=, start=, until=, prices=[(sku, unit, min)], active=)`; days
    are offsets from today."""

    def make(name, *, grade="", start=-30, until=None, prices=(), active=True) -> PriceList:
        data = {"name": name, "customer_grade": grade, "valid_from": _day(start)}
        if until is not None:
            data["valid_until"] = _day(until)
        price_list = price_list_create(actor=sales_admin, data=data | {"is_active": active})
        for sku, unit, minimum in prices:
            price_item_set(
                actor=sales_admin,
                price_list_id=price_list.pk,
                sku=sku,
                unit_price=unit,
                min_price=minimum,
            )
        return price_list

    return make
