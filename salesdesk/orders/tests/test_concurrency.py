"""50 approvals in parallel competing for 10 units (issue #4, O2.3, O3.1)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from salesdesk.catalog.models import Stock
from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure
from salesdesk.orders.models import Order, OrderLine
from salesdesk.orders.services import order_approve, order_create, order_submit
from salesdesk.orders.tests.conftest import delivery
from salesdesk.workorders.models import WorkOrder

pytestmark = pytest.mark.req("O2.3", "O3.1")


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_approvals_for_ten_units(customer, salesperson, sales_admin, warehouse):
    product = product_create(
        actor=sales_admin, data={"sku": "HOT-1", "name": "熱銷品", "unit": "個", "list_price": "10"}
    )
    main = warehouse_ensure(code="main", name="主倉")
    stock_adjust(
        actor=warehouse, product_id=product.pk, warehouse_id=main.pk, quantity="10", reason="期初"
    )
    orders = []
    for _n in range(50):
        order = order_create(
            actor=salesperson,
            customer_id=customer.pk,
            data={
                "channel": "written",
                "payment_terms": "prepayment",
                "requested_delivery_date": delivery(),
            },
            lines=[{"product": "HOT-1", "quantity": "1"}],
        )
        orders.append(order_submit(actor=salesperson, order_id=order.pk).pk)
    errors: list[Exception] = []
    barrier = threading.Barrier(10)

    def approve(order_id):
        try:
            barrier.wait(timeout=60)
            order_approve(actor=sales_admin, order_id=order_id)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    for start in range(0, 50, 10):
        threads = [
            threading.Thread(target=approve, args=(oid,)) for oid in orders[start : start + 10]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved) == (Decimal(10), Decimal(10))
    reserved = list(
        OrderLine.objects.filter(order_id__in=orders).values_list("reserved_quantity", flat=True)
    )
    assert sorted(reserved) == [Decimal(0)] * 40 + [Decimal(1)] * 10
    assert Order.objects.filter(pk__in=orders, status="approved").count() == 50
    # The 40 without stock wait for replenishment: a purchase work order each.
    assert WorkOrder.objects.filter(order_id__in=orders, kind="purchase").count() == 40
