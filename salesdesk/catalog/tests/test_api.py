"""The catalogue and stock JSON API (O1.3, O2.3): products with filters and stock totals,
create and edit, stock per warehouse, adjustments, history; refusals change nothing."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from salesdesk.audit.models import Event
from salesdesk.catalog.models import Product, Stock, StockMovement
from salesdesk.catalog.services import product_create, stock_adjust, warehouse_ensure

pytestmark = pytest.mark.req("O1.3", "O2.3")

URL = "/api/v1/products"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def catalogue(sales_admin, warehouse):
    main = warehouse_ensure(code="main", name="主倉")
    south = warehouse_ensure(code="south", name="南倉")
    bearing = product_create(
        actor=sales_admin,
        data={
            "sku": "B-6204",
            "name": "深溝球軸承",
            "unit": "個",
            "list_price": "20",
            "category": "軸承",
        },
    )
    motor = product_create(
        actor=sales_admin,
        data={"sku": "M-750", "name": "伺服馬達", "unit": "台", "list_price": "1500"},
    )
    old = product_create(
        actor=sales_admin,
        data={"sku": "X-1", "name": "舊型號", "unit": "個", "list_price": "1", "is_active": False},
    )
    for where, quantity in ((main, "100"), (south, "40")):
        stock_adjust(
            actor=warehouse,
            product_id=bearing.pk,
            warehouse_id=where.pk,
            quantity=quantity,
            reason="期初",
        )
    return {"bearing": bearing, "motor": motor, "old": old, "main": main, "south": south}


class Unchanged:
    def __init__(self):
        self.products = [model_to_dict(p) for p in Product.objects.order_by("pk")]
        self.stock = list(Stock.objects.order_by("pk").values("on_hand", "reserved"))
        self.events = Event.objects.count()

    def check(self) -> None:
        assert [model_to_dict(p) for p in Product.objects.order_by("pk")] == self.products
        assert list(Stock.objects.order_by("pk").values("on_hand", "reserved")) == self.stock
        assert Event.objects.count() == self.events


def test_list_with_filters_and_stock_totals(client, salesperson, catalogue):
    client.force_login(salesperson)
    body = client.get(URL).json()
    assert body["count"] == 3
    assert [item["sku"] for item in body["items"]] == ["B-6204", "M-750", "X-1"]
    bearing = body["items"][0]
    assert (bearing["on_hand"], bearing["reserved"], bearing["available"]) == (
        "140.000",
        "0.000",
        "140.000",
    )
    assert body["items"][1]["on_hand"] == "0.000"
    assert [i["sku"] for i in client.get(URL, {"q": "马达"}).json()["items"]] == ["M-750"]
    assert [i["sku"] for i in client.get(URL, {"q": "b-62"}).json()["items"]] == ["B-6204"]
    assert [i["sku"] for i in client.get(URL, {"category": "軸承"}).json()["items"]] == ["B-6204"]
    assert client.get(URL, {"active": "false"}).json()["count"] == 1
    page = client.get(URL, {"active": "true", "limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [i["sku"] for i in page["items"]] == ["M-750"]


def test_readers_without_catalogue_rights_are_refused(client, legal, catalogue):
    client.force_login(legal)
    for url in (URL, f"{URL}/{catalogue['bearing'].pk}", "/api/v1/stock"):
        response = client.get(url)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_create_and_patch(client, sales_admin, catalogue):
    client.force_login(sales_admin)
    response = _post(
        client,
        URL,
        {"sku": "g-10", "name": "齒輪", "unit": "個", "list_price": "8.5", "supply": "make"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["sku"], body["tax_rate"], body["supply"], body["on_hand"]) == (
        "G-10",
        "0.1300",
        "make",
        "0.000",
    )
    url = f"{URL}/{body['id']}"
    patched = client.patch(
        url, {"list_price": "9", "is_active": False}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert (patched.json()["list_price"], patched.json()["is_active"]) == ("9.0000", False)
    verbs = [e["verb"] for e in client.get(f"{url}/events").json()]
    assert verbs == ["product.updated", "product.created"]


def test_sku_never_changes_and_duplicates_are_409(client, sales_admin, catalogue):
    client.force_login(sales_admin)
    unchanged = Unchanged()
    url = f"{URL}/{catalogue['bearing'].pk}"
    response = client.patch(url, {"sku": "NEW"}, content_type="application/json")
    assert response.status_code == 422 and "sku" in response.json()["extra"]["fields"]
    duplicate = {"sku": "b-6204", "name": "重複", "unit": "個", "list_price": "1"}
    response = _post(client, URL, duplicate)
    assert response.status_code == 409 and response.json()["code"] == "duplicate_sku"
    response = _post(client, URL, {"sku": "Z-1", "name": "負價", "unit": "個", "list_price": "-1"})
    assert response.status_code == 422 and "list_price" in response.json()["extra"]["fields"]
    unchanged.check()


def test_salesperson_may_not_maintain_the_catalogue(client, salesperson, catalogue):
    client.force_login(salesperson)
    unchanged = Unchanged()
    body = {"sku": "G-10", "name": "齒輪", "unit": "個", "list_price": "8.5"}
    assert _post(client, URL, body).status_code == 403
    url = f"{URL}/{catalogue['motor'].pk}"
    assert client.patch(url, {"name": "x"}, content_type="application/json").status_code == 403
    unchanged.check()


def test_stock_per_product_and_warehouse(client, warehouse, catalogue):
    client.force_login(warehouse)
    body = client.get("/api/v1/stock").json()
    assert body["count"] == 2
    assert [(i["sku"], i["warehouse"], i["on_hand"]) for i in body["items"]] == [
        ("B-6204", "main", "100.000"),
        ("B-6204", "south", "40.000"),
    ]
    assert body["items"][0]["available"] == "100.000"
    assert client.get("/api/v1/stock", {"warehouse": "south"}).json()["count"] == 1
    assert client.get("/api/v1/stock", {"sku": "b-6204"}).json()["count"] == 2
    assert client.get("/api/v1/stock", {"product": catalogue["motor"].pk}).json()["count"] == 0


def test_adjust_by_sku_and_code_writes_ledger_and_event(client, warehouse, catalogue):
    client.force_login(warehouse)
    body = {"product": "m-750", "warehouse": "south", "quantity": "12", "reason": "進貨"}
    response = _post(client, "/api/v1/stock/adjust", body)
    assert response.status_code == 200
    assert (response.json()["sku"], response.json()["on_hand"]) == ("M-750", "12.000")
    body = {"product": catalogue["motor"].pk, "warehouse": catalogue["south"].pk}
    response = _post(client, "/api/v1/stock/adjust", {**body, "quantity": -2, "reason": "盤虧"})
    assert response.json()["on_hand"] == "10.000"
    assert StockMovement.objects.filter(product=catalogue["motor"]).count() == 2
    motor = client.get(f"{URL}/{catalogue['motor'].pk}/events").json()
    assert [e["verb"] for e in motor] == ["stock.adjusted", "stock.adjusted", "product.created"]
    assert motor[0]["data"]["on_hand"] == "10.000"


@pytest.mark.parametrize(
    ("persona", "body", "status", "code"),
    [
        ("salesperson", {"quantity": "5", "reason": "x"}, 403, "permission_denied"),
        ("warehouse", {"quantity": "-150", "reason": "x"}, 409, "insufficient_stock"),
        ("warehouse", {"quantity": "0", "reason": "x"}, 422, "validation_failed"),
        ("warehouse", {"quantity": "5", "reason": ""}, 422, "validation_failed"),
        ("warehouse", {"quantity": "5", "reason": "x", "product": "NOPE"}, 404, "not_found"),
        ("warehouse", {"quantity": "5", "reason": "x", "warehouse": "moon"}, 404, "not_found"),
    ],
)
def test_refused_adjustments_change_nothing(
    client, request, catalogue, persona, body, status, code
):
    client.force_login(request.getfixturevalue(persona))
    unchanged = Unchanged()
    movements = StockMovement.objects.count()
    payload = {"product": "B-6204", "warehouse": "main", **body}
    response = _post(client, "/api/v1/stock/adjust", payload)
    assert response.status_code == status and response.json()["code"] == code
    unchanged.check()
    assert StockMovement.objects.count() == movements
    assert Stock.objects.get(product__sku="B-6204", warehouse__code="main").on_hand == Decimal(100)
