"""Price list pages through the Django test client (O1.3, O2.2, U11): list with filters,
detail with SKU search and export, the list form, deactivation, inline price editing with
and without HTMX, and the price-list price on the order-entry page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.catalog.models import PriceList, PriceListItem
from salesdesk.core.exports import read_xlsx_rows

pytestmark = pytest.mark.req("O1.3", "O2.2")

HTMX = {"HX-Request": "true"}


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.fixture
def lists(products, make_list):
    grade_list = make_list(
        "A 級客戶價", grade="A", prices=[("B-6204", "19", "18"), ("M-750", "1425", None)]
    )
    general = make_list("舊通用價", start=-90, until=-1, prices=[("B-6204", "19.5", None)])
    return {"grade": grade_list, "general": general}


def _names(body: str) -> list[str]:
    return [name for name in ("A 級客戶價", "舊通用價") if name in body]


def test_price_list_list_filters_by_grade_activity_and_day(lists, salesperson):
    client = _client(salesperson)
    url = reverse("catalog:price_lists")
    body = client.get(url).content.decode()
    assert _names(body) == ["A 級客戶價", "舊通用價"] and 'id="price-list-new"' not in body
    assert _names(client.get(url, {"grade": "A"}).content.decode()) == ["A 級客戶價"]
    assert _names(client.get(url, {"grade": "general"}).content.decode()) == ["舊通用價"]
    assert _names(client.get(url, {"on": _day(0)}).content.decode()) == ["A 級客戶價"]
    assert _names(client.get(url, {"on": _day(-10)}).content.decode()) == [
        "A 級客戶價",
        "舊通用價",
    ]
    assert _names(client.get(url, {"active": "no"}).content.decode()) == []
    assert _names(client.get(url, {"on": "2025-02-30"}).content.decode()) == [
        "A 級客戶價",
        "舊通用價",
    ]
    products_page = client.get(reverse("catalog:products")).content.decode()
    assert f'id="price-lists-link" href="{url}"' in products_page


def test_detail_searches_by_sku_and_exports_to_excel(lists, salesperson):
    client = _client(salesperson)
    url = reverse("catalog:price_list_detail", args=[lists["grade"].pk])
    body = client.get(url).content.decode()
    assert "B-6204" in body and "M-750" in body and 'id="price-item-add"' not in body
    body = client.get(url, {"q": "m-7"}).content.decode()
    assert "M-750" in body and "B-6204" not in body
    response = client.get(url, {"export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert rows[0] == [
        "SKU",
        "Name",
        "Unit",
        "List price (excl. tax)",
        "Unit price (excl. tax)",
        "Lowest allowed price",
    ]
    assert rows[1][0] == "B-6204" and rows[1][3:] == [20, 19, 18]
    assert rows[2][0] == "M-750" and rows[2][4:] == [1425]


@pytest.mark.parametrize("persona", ["outsider", "finance"])
def test_price_pages_refused_without_the_permission(persona, request, lists):
    client = _client(request.getfixturevalue(persona))
    assert client.get(reverse("catalog:price_lists")).status_code == 403
    detail = reverse("catalog:price_list_detail", args=[lists["grade"].pk])
    assert client.get(detail).status_code == 403


def test_readers_may_not_change_price_lists(lists, salesperson):
    client = _client(salesperson)
    price_list = lists["grade"]
    events = Event.objects.count()
    assert client.get(reverse("catalog:price_list_create")).status_code == 403
    assert client.get(reverse("catalog:price_list_edit", args=[price_list.pk])).status_code == 403
    add = reverse("catalog:price_item_add", args=[price_list.pk])
    assert client.post(add, {"sku": "B-6204", "unit_price": "1"}).status_code == 403
    edit = reverse("catalog:price_item_edit", args=[price_list.pk, "B-6204"])
    assert client.post(edit, {"unit_price": "1"}).status_code == 403
    deactivate = reverse("catalog:price_list_deactivate", args=[price_list.pk])
    assert client.post(deactivate).status_code == 403
    price_list.refresh_from_db()
    assert price_list.is_active and Event.objects.count() == events
    assert PriceListItem.objects.get(price_list=price_list, product__sku="B-6204").unit_price == 19


def test_create_and_edit_a_price_list_through_the_form(sales_admin, products):
    client = _client(sales_admin)
    url = reverse("catalog:price_list_create")
    assert 'id="price-list-form"' in client.get(url).content.decode()
    bad = {"name": "夏季促銷", "customer_grade": "B", "valid_from": _day(10)}
    response = client.post(url, bad | {"valid_until": _day(0), "is_active": "on"})
    assert response.status_code == 422
    assert "The list cannot end before it starts." in response.content.decode()
    assert (
        PriceList.objects.count() == 0
        and Event.objects.filter(verb__startswith="price").count() == 0
    )
    response = client.post(url, bad | {"valid_until": _day(40), "is_active": "on"})
    price_list = PriceList.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("catalog:price_list_detail", args=[price_list.pk])
    assert (price_list.customer_grade, price_list.is_active) == ("B", True)
    edit = reverse("catalog:price_list_edit", args=[price_list.pk])
    assert f'value="{_day(10)}"' in client.get(edit).content.decode()
    data = {"name": "夏季促銷", "customer_grade": "", "valid_from": _day(10), "is_active": "on"}
    assert client.post(edit, data).status_code == 302
    price_list.refresh_from_db()
    assert (price_list.customer_grade, price_list.valid_until) == ("", None)
    events = Event.objects.filter(object_id=price_list.pk, verb__startswith="price_list.")
    verbs = list(events.values_list("verb", flat=True))
    assert sorted(verbs) == ["price_list.created", "price_list.updated"]


def test_deactivate_keeps_the_list_and_refuses_twice(lists, sales_admin):
    client = _client(sales_admin)
    price_list = lists["grade"]
    url = reverse("catalog:price_list_deactivate", args=[price_list.pk])
    response = client.post(url, {"note": "改版"}, follow=True)
    assert "Price list “A 級客戶價” deactivated." in response.content.decode()
    price_list.refresh_from_db()
    assert price_list.is_active is False
    events = Event.objects.count()
    response = client.post(url, follow=True)
    assert "The price list is already inactive." in response.content.decode()
    assert Event.objects.count() == events


def test_add_a_price_inline_with_htmx_and_with_the_plain_form(lists, sales_admin):
    client = _client(sales_admin)
    price_list = lists["general"]
    url = reverse("catalog:price_item_add", args=[price_list.pk])
    body = client.get(reverse("catalog:price_list_detail", args=[price_list.pk])).content.decode()
    assert f'hx-post="{url}"' in body and '<datalist id="price-skus">' in body
    response = client.post(url, {"sku": "m-750", "unit_price": "1400"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<section id="price-items"')
    assert "Price of M-750 saved." in body and "1400" in body
    events = Event.objects.count()
    response = client.post(
        url, {"sku": "M-750", "unit_price": "10", "min_price": "11"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The lowest allowed price cannot be above the unit price." in body
    response = client.post(url, {"sku": "NOPE", "unit_price": "10"})
    assert response.status_code == 422 and "No such product." in response.content.decode()
    assert Event.objects.count() == events
    assert PriceListItem.objects.get(price_list=price_list, product__sku="M-750").unit_price == 1400
    response = client.post(url, {"sku": "M-750", "unit_price": "1390", "min_price": "1300"})
    assert response.status_code == 302
    item = PriceListItem.objects.get(price_list=price_list, product__sku="M-750")
    assert (item.unit_price, item.min_price) == (Decimal(1390), Decimal(1300))


def test_edit_a_price_inline_with_htmx_and_on_its_own_page(lists, sales_admin):
    client = _client(sales_admin)
    price_list = lists["grade"]
    url = reverse("catalog:price_item_edit", args=[price_list.pk, "B-6204"])
    form_row = client.get(url, headers=HTMX).content.decode()
    assert form_row.startswith('<tr id="price-item-b-6204"><td colspan="6">')
    assert f'hx-post="{url}"' in form_row and 'value="19' in form_row
    assert '<html lang="en">' in client.get(url).content.decode()
    response = client.post(url, {"unit_price": "18.8", "min_price": "18"}, headers=HTMX)
    row = response.content.decode()
    assert row.startswith('<tr id="price-item-b-6204">') and "18.8" in row and "colspan" not in row
    events = Event.objects.count()
    response = client.post(url, {"unit_price": "-1"}, headers=HTMX)
    assert response.status_code == 200 and "Enter a price from 0 to" in response.content.decode()
    response = client.post(url, {"unit_price": "abc"})
    assert response.status_code == 422 and "Enter a number." in response.content.decode()
    assert Event.objects.count() == events
    response = client.post(url, {"unit_price": "18.6", "min_price": ""})
    assert response.status_code == 302
    item = PriceListItem.objects.get(price_list=price_list, product__sku="B-6204")
    assert (item.unit_price, item.min_price) == (Decimal("18.6"), None)
    row_url = reverse("catalog:price_item_row", args=[price_list.pk, "B-6204"])
    assert "18.6" in client.get(row_url, headers=HTMX).content.decode()
    assert client.get(row_url).status_code == 302
    missing = reverse("catalog:price_item_edit", args=[price_list.pk, "NOPE"])
    assert client.get(missing).status_code == 404


def test_order_entry_suggests_and_totals_the_price_list_price(lists, salesperson, grade_a, grade_b):
    client = _client(salesperson)
    hint = reverse("orders:entry_product")
    body = client.get(hint, {"customer": grade_a.pk, "lines-1-sku": "B-6204"}).content.decode()
    assert 'data-default-price value="19"' in body and "A 級客戶價" in body
    body = client.get(hint, {"customer": grade_b.pk, "lines-1-sku": "B-6204"}).content.decode()
    assert "data-default-price" not in body and 'data-list-price value="20"' in body
    lines = {"lines-1-sku": "B-6204", "lines-1-quantity": "10"}
    totals = reverse("orders:entry_totals")
    body = client.post(totals, {"customer": grade_a.pk, **lines}).content.decode()
    assert 'id="entry-net">190.00' in body
    body = client.post(totals, {"customer": grade_b.pk, **lines}).content.decode()
    assert 'id="entry-net">200.00' in body
