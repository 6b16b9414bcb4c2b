"""The price list JSON API (O1.3, O2.2): lists with filters, create and change, prices per
SKU, deactivation, history, and the price that applies to a customer on a day; refusals
change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.catalog.models import PriceList, PriceListItem

pytestmark = pytest.mark.req("O1.3", "O2.2")

URL = "/api/v1/price-lists"
JSON = "application/json"


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.fixture
def lists(products, make_list):
    grade_list = make_list("A 級客戶價", grade="A", prices=[("B-6204", "19", "18")])
    general = make_list("通用價", start=-5, until=30, prices=[("B-6204", "19.5", None)])
    return {"grade": grade_list, "general": general}


def _state() -> tuple:
    return (
        list(PriceList.objects.order_by("pk").values()),
        list(PriceListItem.objects.order_by("pk").values()),
        Event.objects.count(),
    )


def test_list_filters_and_detail_with_prices(client, salesperson, lists):
    client.force_login(salesperson)
    body = client.get(URL).json()
    assert body["count"] == 2
    assert [(i["name"], i["item_count"]) for i in body["items"]] == [
        ("通用價", 1),
        ("A 級客戶價", 1),
    ]
    assert [i["name"] for i in client.get(URL, {"grade": "a"}).json()["items"]] == ["A 級客戶價"]
    assert [i["name"] for i in client.get(URL, {"grade": "general"}).json()["items"]] == ["通用價"]
    assert client.get(URL, {"on": _day(40)}).json()["count"] == 1
    assert client.get(URL, {"active": "false"}).json()["count"] == 0
    detail = client.get(f"{URL}/{lists['grade'].pk}").json()
    assert (detail["customer_grade"], detail["valid_until"]) == ("A", None)
    assert detail["prices"] == [
        {
            "product": lists["grade"].items.get().product_id,
            "sku": "B-6204",
            "name": "深溝球軸承",
            "list_price": "20.0000",
            "unit_price": "19.0000",
            "min_price": "18.0000",
        }
    ]


def test_create_patch_set_prices_and_deactivate(client, sales_admin, products):
    client.force_login(sales_admin)
    body = {"name": "C 級", "customer_grade": "C", "valid_from": _day(0)}
    response = client.post(URL, body, content_type=JSON)
    assert response.status_code == 201
    created = response.json()
    assert (created["name"], created["is_active"], created["prices"]) == ("C 級", True, [])
    url = f"{URL}/{created['id']}"
    patched = client.patch(url, {"valid_until": _day(30)}, content_type=JSON).json()
    assert patched["valid_until"] == _day(30)
    response = client.put(f"{url}/items/b-6204", {"unit_price": "18.5"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json() | {"product": 0} == {
        "product": 0,
        "sku": "B-6204",
        "name": "深溝球軸承",
        "list_price": "20.0000",
        "unit_price": "18.5000",
        "min_price": None,
    }
    assert client.post(f"{url}/deactivate").json()["is_active"] is False
    verbs = [e["verb"] for e in client.get(f"{url}/events").json()]
    assert verbs == [
        "price_list.deactivated",
        "price_list.price_set",
        "price_list.updated",
        "price_list.created",
    ]


def test_refusals_change_nothing(client, sales_admin, salesperson, lists):
    client.force_login(sales_admin)
    before = _state()
    url = f"{URL}/{lists['grade'].pk}"
    response = client.post(URL, {"name": "通用價", "valid_from": _day(0)}, content_type=JSON)
    assert response.status_code == 409 and response.json()["code"] == "duplicate_price_list"
    response = client.patch(url, {"valid_until": _day(-60)}, content_type=JSON)
    assert response.status_code == 422
    assert list(response.json()["extra"]["fields"]) == ["valid_until"]
    response = client.patch(url, {"customer_grade": "E"}, content_type=JSON)
    assert response.status_code == 422
    response = client.put(
        f"{url}/items/B-6204", {"unit_price": "10", "min_price": "12"}, content_type=JSON
    )
    assert response.status_code == 422
    assert list(response.json()["extra"]["fields"]) == ["min_price"]
    response = client.put(f"{url}/items/NOPE", {"unit_price": "10"}, content_type=JSON)
    assert response.status_code == 404 and response.json()["extra"]["field"] == "sku"
    assert client.get(f"{URL}/999999").status_code == 404
    client.force_login(salesperson)
    response = client.put(f"{url}/items/B-6204", {"unit_price": "1"}, content_type=JSON)
    assert response.status_code == 403
    assert client.patch(url, {"name": "x"}, content_type=JSON).status_code == 403
    assert client.post(f"{url}/deactivate").status_code == 403
    assert _state() == before


def test_price_for_a_customer_on_a_day(client, salesperson, other_salesperson, lists, grade_a):
    client.force_login(salesperson)
    query = {"customer": grade_a.pk, "product": "b-6204"}
    body = client.get("/api/v1/prices", query).json()
    assert body == {
        "customer": grade_a.pk,
        "product": lists["grade"].items.get().product_id,
        "sku": "B-6204",
        "on": _day(0),
        "price": "19.0000",
        "source": "price_list",
        "source_label": "A 級客戶價",
        "price_list": lists["grade"].pk,
        "min_price": "18.0000",
    }
    early = client.get("/api/v1/prices", query | {"on": _day(-40)}).json()
    assert (early["price"], early["source"], early["price_list"]) == ("20.0000", "list_price", None)
    response = client.get("/api/v1/prices", query | {"product": "NOPE"})
    assert response.status_code == 404 and response.json()["extra"]["field"] == "product"
    client.force_login(other_salesperson)
    assert client.get("/api/v1/prices", query).status_code == 404


def test_readers_without_price_list_rights_are_refused(client, legal, lists, grade_a):
    client.force_login(legal)
    for url in (
        URL,
        f"{URL}/{lists['grade'].pk}",
        f"/api/v1/prices?customer={grade_a.pk}&product=1",
    ):
        response = client.get(url)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
