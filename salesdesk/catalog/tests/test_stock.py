"""Catalogue entry and race-free stock reservation (O1.3, O2.3)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from salesdesk.audit.models import Event
from salesdesk.catalog.models import Product, Stock, StockMovement
from salesdesk.catalog.services import (
    product_create,
    stock_adjust,
    stock_release,
    stock_reserve,
    warehouse_ensure,
)
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.req("O1.3", "O2.3")


@pytest.fixture
def product(sales_admin):
    return product_create(
        actor=sales_admin,
        data={
            "sku": "m-100",
            "name": "精密軸承",
            "spec": "6204-2RS",
            "unit": "個",
            "list_price": "12.50",
            "standard_cost": "8.10",
        },
    )


def test_product_create(product):
    assert (product.sku, product.tax_rate, product.name_folded) == (
        "M-100",
        Decimal("0.13"),
        "精密轴承",
    )
    assert Event.objects.filter(verb="product.created").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("sku", ""), ("list_price", "-1"), ("tax_rate", "1.5"), ("unit", ""), ("list_price", "abc")],
)
def test_bad_product_refused(sales_admin, field, value):
    data = {"sku": "X1", "name": "n", "unit": "個", "list_price": "1", field: value}
    with pytest.raises(ValidationFailed) as info:
        product_create(actor=sales_admin, data=data)
    assert field in info.value.extra["fields"]
    assert not Product.objects.exists() and not Event.objects.exists()


def test_duplicate_sku_and_permission(sales_admin, salesperson, product):
    with pytest.raises(Conflict):
        product_create(
            actor=sales_admin, data={"sku": "M-100", "name": "x", "unit": "個", "list_price": "1"}
        )
    with pytest.raises(PermissionDenied):
        product_create(
            actor=salesperson, data={"sku": "M-200", "name": "x", "unit": "個", "list_price": "1"}
        )
    assert Product.objects.count() == 1


def test_adjust_never_below_reserved(warehouse, product):
    main = warehouse_ensure(code="main", name="主倉")
    stock_adjust(
        actor=warehouse, product_id=product.pk, warehouse_id=main.pk, quantity="10", reason="期初"
    )
    stock_reserve(actor=warehouse, product_id=product.pk, quantity=Decimal(8), reference="SO-1")
    with pytest.raises(Conflict) as info:
        stock_adjust(
            actor=warehouse,
            product_id=product.pk,
            warehouse_id=main.pk,
            quantity="-3",
            reason="盤虧",
        )
    assert info.value.code == "insufficient_stock"
    stock = Stock.objects.get()
    assert (stock.on_hand, stock.reserved) == (Decimal(10), Decimal(8))


def test_reserve_across_warehouses_and_release(warehouse, product):
    a, b = warehouse_ensure(code="a", name="A"), warehouse_ensure(code="b", name="B")
    for w, qty in ((a, "3"), (b, "5")):
        stock_adjust(
            actor=warehouse, product_id=product.pk, warehouse_id=w.pk, quantity=qty, reason="入庫"
        )
    result = stock_reserve(
        actor=warehouse, product_id=product.pk, quantity=Decimal(6), reference="SO-2"
    )
    assert result.reserved == 6 and result.by_warehouse == {a.pk: 3, b.pk: 3}
    short = stock_reserve(
        actor=warehouse, product_id=product.pk, quantity=Decimal(5), reference="SO-3"
    )
    assert (short.reserved, short.short) == (0, 5)
    assert StockMovement.objects.filter(reference="SO-3").count() == 0
    stock_release(
        actor=warehouse, product_id=product.pk, by_warehouse=result.by_warehouse, reference="SO-2"
    )
    assert sum(s.reserved for s in Stock.objects.all()) == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_reservations_for_ten_units(warehouse, sales_admin):
    """50 threads each want 1 unit of 10 on hand: exactly 10 succeed, none goes negative."""
    product = product_create(
        actor=sales_admin, data={"sku": "R1", "name": "r", "unit": "個", "list_price": "1"}
    )
    main = warehouse_ensure(code="main", name="主倉")
    stock_adjust(
        actor=warehouse, product_id=product.pk, warehouse_id=main.pk, quantity="10", reason="期初"
    )
    results: list[Decimal] = []
    lock = threading.Lock()
    barrier = threading.Barrier(10)

    def reserve(n):
        try:
            barrier.wait(timeout=30)
            got = stock_reserve(
                actor=warehouse, product_id=product.pk, quantity=Decimal(1), reference=f"SO-{n}"
            ).reserved
            with lock:
                results.append(got)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(n,)) for n in range(50)]
    for batch in range(5):
        chunk = threads[batch * 10 : (batch + 1) * 10]
        for thread in chunk:
            thread.start()
        for thread in chunk:
            thread.join()
    stock = Stock.objects.get()
    assert sum(results) == 10 and len(results) == 50
    assert (stock.on_hand, stock.reserved) == (Decimal(10), Decimal(10))
    assert StockMovement.objects.filter(kind="reservation").count() == 10
