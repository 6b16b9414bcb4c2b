"""Product and stock pages through the Django test client (O1.3, O2.3, U11)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from salesdesk.audit.models import Event
from salesdesk.catalog.models import Product, Stock, StockMovement
from salesdesk.catalog.services import product_create, stock_adjust, stock_reserve, warehouse_ensure
from salesdesk.core.exports import read_xlsx_rows


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def main(db):
    return warehouse_ensure(code="main", name="主倉")


@pytest.fixture
def catalogue(sales_admin, warehouse, main):
    bearing = product_create(
        actor=sales_admin,
        data={"sku": "B-6204", "name": "深溝球軸承", "unit": "個", "list_price": "20"}
        | {"category": "軸承"},
    )
    motor = product_create(
        actor=sales_admin,
        data={"sku": "M-750", "name": "伺服馬達", "unit": "台", "list_price": "1500"}
        | {"category": "馬達", "supply": "make"},
    )
    stock_adjust(
        actor=warehouse, product_id=bearing.pk, warehouse_id=main.pk, quantity="100", reason="期初"
    )
    return {"bearing": bearing, "motor": motor}


def _product_form(**overrides) -> dict:
    return {
        "sku": "g-100",
        "name": "齒輪箱",
        "unit": "台",
        "list_price": "880",
        "tax_rate": "0.13",
        "supply": "buy",
        "is_active": "on",
        **overrides,
    }


# Products


@pytest.mark.req("O1.3")
def test_product_list_search_filter_and_export(catalogue, salesperson):
    client = _client(salesperson)
    body = client.get(reverse("catalog:products")).content.decode()
    assert "B-6204" in body and "M-750" in body and 'id="product-new"' not in body
    body = client.get(reverse("catalog:products"), {"q": "馬达"}).content.decode()
    assert "M-750" in body and "B-6204" not in body
    body = client.get(reverse("catalog:products"), {"category": "軸承"}).content.decode()
    assert "B-6204" in body and "M-750" not in body
    response = client.get(reverse("catalog:products"), {"supply": "make", "export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][0] == "SKU" and [row[0] for row in rows[1:]] == ["M-750"]
    assert rows[1][5] == 1500


@pytest.mark.parametrize("persona", ["outsider", "finance"])
def test_product_pages_refused_without_catalogue_permission(persona, request, catalogue):
    client = _client(request.getfixturevalue(persona))
    assert client.get(reverse("catalog:products")).status_code == 403
    assert client.get(reverse("catalog:stock")).status_code == 403


def test_catalogue_maintainer_creates_and_edits_a_product(catalogue, sales_admin):
    client = _client(sales_admin)
    assert 'id="product-new"' in client.get(reverse("catalog:products")).content.decode()
    response = client.post(reverse("catalog:product_create"), _product_form())
    product = Product.objects.get(sku="G-100")
    assert response.status_code == 302 and product.list_price == Decimal("880")
    url = reverse("catalog:product_edit", args=[product.pk])
    response = client.post(url, _product_form(sku="X-1", list_price="900", is_active=""))
    product.refresh_from_db()
    assert response.status_code == 302
    assert (product.sku, product.list_price, product.is_active) == ("G-100", Decimal("900"), False)
    assert Event.objects.filter(verb="product.updated", object_id=product.pk).count() == 1


def test_product_errors_are_shown_next_to_the_field(catalogue, sales_admin):
    before = Event.objects.count()
    response = _client(sales_admin).post(
        reverse("catalog:product_create"), _product_form(sku="B-6204", list_price="")
    )
    body = response.content.decode()
    assert response.status_code == 422 and "This field is required." in body
    response = _client(sales_admin).post(
        reverse("catalog:product_create"), _product_form(sku="B-6204")
    )
    assert response.status_code == 422 and "exists already" in response.content.decode()
    assert Product.objects.count() == 2 and Event.objects.count() == before


def test_salesperson_may_not_create_products(catalogue, salesperson):
    client = _client(salesperson)
    assert client.get(reverse("catalog:product_create")).status_code == 403
    assert client.post(reverse("catalog:product_create"), _product_form()).status_code == 403
    edit = reverse("catalog:product_edit", args=[catalogue["bearing"].pk])
    assert client.post(edit, _product_form(name="x")).status_code == 403
    assert Product.objects.count() == 2


# Stock (O2.3)


@pytest.mark.req("O2.3")
def test_stock_shows_on_hand_reserved_and_available(catalogue, salesperson, sales_admin):
    stock_reserve(
        actor=sales_admin, product_id=catalogue["bearing"].pk, quantity=Decimal(30), reference="SO"
    )
    body = _client(salesperson).get(reverse("catalog:stock")).content.decode()
    assert "B-6204" in body and "<strong>70</strong>" in body
    assert 'id="adjust-form"' not in body


def test_warehouse_adjusts_stock_with_a_reason(catalogue, warehouse, main):
    client = _client(warehouse)
    assert 'id="adjust-form"' in client.get(reverse("catalog:stock")).content.decode()
    data = {"sku": "m-750", "warehouse": str(main.pk), "quantity": "12", "reason": "到貨"}
    response = client.post(reverse("catalog:stock_adjust"), data)
    assert response.status_code == 302
    assert Stock.objects.get(product__sku="M-750").on_hand == Decimal("12")
    assert StockMovement.objects.filter(product__sku="M-750", note="到貨").count() == 1


def test_adjustment_below_reserved_is_refused(catalogue, warehouse, sales_admin, main):
    stock_reserve(
        actor=sales_admin, product_id=catalogue["bearing"].pk, quantity=Decimal(90), reference="SO"
    )
    before = Event.objects.count()
    data = {"sku": "B-6204", "warehouse": str(main.pk), "quantity": "-20", "reason": "盤虧"}
    response = _client(warehouse).post(reverse("catalog:stock_adjust"), data)
    assert response.status_code == 422 and "below" in response.content.decode()
    data.update(quantity="5", reason="")
    response = _client(warehouse).post(reverse("catalog:stock_adjust"), data)
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert Stock.objects.get(product__sku="B-6204").on_hand == Decimal("100")
    assert Event.objects.count() == before


def test_salesperson_may_not_adjust_stock(catalogue, salesperson, main):
    before = Event.objects.count()
    data = {"sku": "B-6204", "warehouse": str(main.pk), "quantity": "50", "reason": "測試"}
    response = _client(salesperson).post(reverse("catalog:stock_adjust"), data)
    assert response.status_code == 403
    assert Stock.objects.get(product__sku="B-6204").on_hand == Decimal("100")
    assert StockMovement.objects.count() == 1 and Event.objects.count() == before
