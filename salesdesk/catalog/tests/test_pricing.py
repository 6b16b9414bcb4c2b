"""Price lists per customer grade with validity (O1.3, O2.2): the price rule, the services and
their refusals, order lines priced from the lists, the lowest-price rule, and the import."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.catalog.importing import PriceListItemImporter
from salesdesk.catalog.models import PriceList, PriceListItem
from salesdesk.catalog.pricing import (
    price_for,
    price_item_set,
    price_list_create,
    price_list_deactivate,
    price_list_list,
    price_list_update,
    price_quotes,
)
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.imports.base import run_import
from salesdesk.orders.services import order_create, order_submit, order_update

pytestmark = pytest.mark.req("O1.3", "O2.2")

TODAY = timezone.localdate()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


# The price rule


def test_grade_list_beats_general_list_beats_list_price(products, grade_a, grade_b, make_list):
    bearing = products["bearing"]
    assert price_for(customer=grade_a, product=bearing, on=TODAY) == (Decimal(20), "List price")
    make_list("通用價", prices=[("B-6204", "19", None)])
    assert price_for(customer=grade_a, product=bearing, on=TODAY) == (Decimal(19), "通用價")
    # A general list that starts later still loses to the grade's own list.
    make_list("A 級", grade="A", start=-60, prices=[("B-6204", "18", None)])
    assert price_for(customer=grade_a, product=bearing, on=TODAY) == (Decimal(18), "A 級")
    assert price_for(customer=grade_b, product=bearing, on=TODAY) == (Decimal(19), "通用價")
    motor = products["motor"]
    assert price_for(customer=grade_a, product=motor, on=TODAY) == (Decimal(1500), "List price")


def test_latest_start_wins_among_overlapping_lists_of_a_grade(products, grade_a, make_list):
    make_list("A 標準", grade="A", start=-30, prices=[("B-6204", "18", None)])
    make_list("A 促銷", grade="A", start=-5, until=5, prices=[("B-6204", "17", None)])
    bearing = products["bearing"]
    on = TODAY + timedelta(days=10)
    assert price_for(customer=grade_a, product=bearing, on=TODAY) == (Decimal(17), "A 促銷")
    assert price_for(customer=grade_a, product=bearing, on=on) == (Decimal(18), "A 標準")
    on = TODAY - timedelta(days=10)
    assert price_for(customer=grade_a, product=bearing, on=on) == (Decimal(18), "A 標準")


@pytest.mark.parametrize(
    ("start", "until", "active", "applies"),
    [
        (1, None, True, False),  # starts tomorrow
        (-30, -1, True, False),  # ended yesterday
        (0, 0, True, True),  # first and last day count
        (-30, None, False, False),  # deactivated
    ],
)
def test_validity_dates_and_inactive_lists(
    products, grade_a, start, until, active, applies, make_list
):
    prices = [("B-6204", "18", None)]
    make_list("A", grade="A", start=start, until=until, active=active, prices=prices)
    price, _source = price_for(customer=grade_a, product=products["bearing"], on=TODAY)
    assert price == (Decimal(18) if applies else Decimal(20))


def test_price_quotes_of_many_products_take_one_query(
    products, grade_a, django_assert_num_queries, make_list
):
    make_list("A", grade="A", prices=[("B-6204", "18", "17")])
    with django_assert_num_queries(1):
        quotes = price_quotes(customer=grade_a, products=products.values(), on=TODAY)
    bearing, motor = quotes[products["bearing"].pk], quotes[products["motor"].pk]
    assert (bearing.price, bearing.item.min_price) == (Decimal(18), Decimal(17))
    assert (motor.price, motor.item) == (Decimal(1500), None)


# Services


def test_create_update_and_deactivate_write_one_event_each(sales_admin):
    price_list = price_list_create(
        actor=sales_admin,
        data={"name": " 夏季 ", "customer_grade": "a", "valid_from": day(0)},
    )
    assert (price_list.name, price_list.customer_grade, price_list.valid_until) == (
        "夏季",
        "A",
        None,
    )
    price_list_update(actor=sales_admin, price_list_id=price_list.pk, data={"valid_until": day(90)})
    price_list_update(actor=sales_admin, price_list_id=price_list.pk, data={"name": "夏季"})
    price_list_deactivate(actor=sales_admin, price_list_id=price_list.pk, note="換季")
    events = list(Event.objects.filter(verb__startswith="price_list.").order_by("pk"))
    assert [e.verb for e in events] == [
        "price_list.created",
        "price_list.updated",
        "price_list.deactivated",
    ]
    assert events[1].data == {"changes": {"valid_until": ["", day(90)]}}
    assert events[2].note == "換季"
    price_list.refresh_from_db()
    assert price_list.is_active is False
    assert list(price_list_list(active=False)) == [price_list]


def test_price_item_set_creates_then_replaces_and_skips_no_change(sales_admin, products, make_list):
    price_list = make_list("通用")
    price_item_set(actor=sales_admin, price_list_id=price_list.pk, sku="b-6204", unit_price="19")
    item = price_item_set(
        actor=sales_admin,
        price_list_id=price_list.pk,
        product_id=products["bearing"].pk,
        unit_price="18.5",
        min_price="17",
    )
    price_item_set(
        actor=sales_admin,
        price_list_id=price_list.pk,
        sku="B-6204",
        unit_price="18.50",
        min_price="17.0000",
    )
    assert PriceListItem.objects.get() == item
    assert (item.unit_price, item.min_price) == (Decimal("18.5"), Decimal(17))
    events = Event.objects.filter(verb="price_list.price_set").order_by("pk")
    assert [e.data for e in events] == [
        {"sku": "B-6204", "unit_price": "19", "min_price": "", "before": None},
        {
            "sku": "B-6204",
            "unit_price": "18.5",
            "min_price": "17",
            "before": {"unit_price": "19.0000", "min_price": ""},
        },
    ]


class Unchanged:
    def __init__(self):
        self.lists = [model_to_dict(p) for p in PriceList.objects.order_by("pk")]
        self.items = list(PriceListItem.objects.order_by("pk").values())
        self.events = Event.objects.count()

    def assert_same(self):
        assert [model_to_dict(p) for p in PriceList.objects.order_by("pk")] == self.lists
        assert list(PriceListItem.objects.order_by("pk").values()) == self.items
        assert Event.objects.count() == self.events


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"customer_grade": "", "valid_from": day(0)}, ["name"]),
        ({"name": "X", "customer_grade": "E", "valid_from": day(0)}, ["customer_grade"]),
        ({"name": "X", "valid_from": "2025-02-30"}, ["valid_from"]),
        ({"name": "X", "valid_from": day(0), "valid_until": day(-1)}, ["valid_until"]),
        ({"name": "X" * 101}, ["name", "valid_from"]),
    ],
)
def test_price_list_create_refusals_change_nothing(sales_admin, data, fields, make_list):
    make_list("已有")
    before = Unchanged()
    with pytest.raises(ValidationFailed) as caught:
        price_list_create(actor=sales_admin, data=data)
    assert caught.value.code == "validation_failed"
    assert sorted(caught.value.extra["fields"]) == fields
    before.assert_same()


def test_duplicate_name_and_permission_refusals_change_nothing(sales_admin, salesperson, make_list):
    price_list = make_list("已有")
    other = make_list("另一")
    before = Unchanged()
    with pytest.raises(Conflict) as caught:
        price_list_create(actor=sales_admin, data={"name": "已有", "valid_from": day(0)})
    assert (caught.value.code, caught.value.field) == ("duplicate_price_list", "name")
    with pytest.raises(Conflict):
        price_list_update(actor=sales_admin, price_list_id=other.pk, data={"name": "已有"})
    with pytest.raises(ValidationFailed) as caught:
        price_list_update(actor=sales_admin, price_list_id=other.pk, data={"valid_until": day(-90)})
    assert list(caught.value.extra["fields"]) == ["valid_until"]
    for call in (
        lambda: price_list_create(actor=salesperson, data={"name": "新", "valid_from": day(0)}),
        lambda: price_list_update(actor=salesperson, price_list_id=price_list.pk, data={}),
        lambda: price_list_deactivate(actor=salesperson, price_list_id=price_list.pk),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(NotFound):
        price_list_update(actor=sales_admin, price_list_id=999999, data={"name": "新"})
    before.assert_same()
    price_list_deactivate(actor=sales_admin, price_list_id=price_list.pk)
    before = Unchanged()
    with pytest.raises(Conflict) as caught:
        price_list_deactivate(actor=sales_admin, price_list_id=price_list.pk)
    assert caught.value.code == "already_inactive"
    before.assert_same()


@pytest.mark.parametrize(
    ("unit_price", "min_price", "fields"),
    [
        ("-1", None, ["unit_price"]),
        ("", None, ["unit_price"]),
        ("abc", "1", ["unit_price"]),
        ("10", "-1", ["min_price"]),
        ("10", "10.01", ["min_price"]),
        ("10.00001", None, ["unit_price"]),
        ("1e12", None, ["unit_price"]),
    ],
)
def test_price_item_refusals_change_nothing(
    sales_admin, products, unit_price, min_price, fields, make_list
):
    price_list = make_list("通用", prices=[("B-6204", "19", "18")])
    before = Unchanged()
    with pytest.raises(ValidationFailed) as caught:
        price_item_set(
            actor=sales_admin,
            price_list_id=price_list.pk,
            sku="B-6204",
            unit_price=unit_price,
            min_price=min_price,
        )
    assert sorted(caught.value.extra["fields"]) == fields
    before.assert_same()


def test_price_item_unknown_product_list_or_permission_change_nothing(
    sales_admin, salesperson, products, make_list
):
    price_list = make_list("通用", prices=[("B-6204", "19", None)])
    before = Unchanged()
    with pytest.raises(NotFound) as caught:
        price_item_set(actor=sales_admin, price_list_id=price_list.pk, sku="NOPE", unit_price="1")
    assert caught.value.field == "sku"
    with pytest.raises(NotFound) as caught:
        price_item_set(actor=sales_admin, price_list_id=999999, sku="B-6204", unit_price="1")
    assert caught.value.code == "not_found"
    with pytest.raises(PermissionDenied):
        price_item_set(actor=salesperson, price_list_id=price_list.pk, sku="B-6204", unit_price="1")
    before.assert_same()


# Orders


def _order(actor, customer, lines):
    return order_create(
        actor=actor,
        customer_id=customer.pk,
        data={"channel": "written", "payment_terms": "net_30", "requested_delivery_date": day(14)},
        lines=lines,
    )


@pytest.mark.req("O1.3", "O2.2")
def test_order_line_without_price_gets_the_price_list_price(
    salesperson, products, grade_a, grade_b, make_list
):
    make_list("A 級", grade="A", prices=[("B-6204", "19", "18")])
    lines = [
        {"product": "B-6204", "quantity": "10"},
        {"product": "B-6204", "quantity": "1", "unit_price": "19.5"},
        {"product": "M-750", "quantity": "1"},
    ]
    order = _order(salesperson, grade_a, lines)
    prices = list(order.lines.order_by("line_number").values_list("unit_price", flat=True))
    assert prices == [Decimal(19), Decimal("19.5"), Decimal(1500)]
    assert order.net_amount == Decimal("1709.50")
    other = _order(salesperson, grade_b, lines[:1])
    assert other.lines.get().unit_price == Decimal(20)
    order_update(
        actor=salesperson,
        order_id=other.pk,
        data={},
        lines=[{"product": "B-6204", "quantity": "2"}],
    )
    assert other.lines.get().unit_price == Decimal(20)


def test_price_below_the_lists_minimum_holds_the_order(salesperson, products, grade_a, make_list):
    make_list("A 級", grade="A", prices=[("B-6204", "19", "18")])
    low = _order(salesperson, grade_a, [{"product": "B-6204", "quantity": "1", "unit_price": "17"}])
    low = order_submit(actor=salesperson, order_id=low.pk)
    assert low.status == "on_hold"
    assert [r["rule"] for r in low.hold_reasons] == ["catalog.min_price"]
    fine = _order(salesperson, grade_a, [{"product": "B-6204", "quantity": "1"}])
    fine = order_submit(actor=salesperson, order_id=fine.pk)
    assert (fine.status, fine.hold_reasons) == ("under_review", [])


# Import


def _csv(tmp_path, text):
    path = tmp_path / "prices.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_price_list_items_import_sets_and_replaces_prices(
    tmp_path, sales_admin, products, make_list
):
    price_list = make_list("A 級", grade="A", prices=[("B-6204", "19", None)])
    path = _csv(tmp_path, "價目表,料號,單價,min_price\nA 級,b-6204,18.5,17\nA 級,M-750,1400,\n")
    dry = run_import(PriceListItemImporter, path, actor=sales_admin, dry_run=True)
    assert (dry.valid, dry.imported) == (2, 0)
    assert PriceListItem.objects.get().unit_price == Decimal(19)
    report = run_import(PriceListItemImporter, path, actor=sales_admin)
    assert report.imported == 2
    items = {i.product.sku: (i.unit_price, i.min_price) for i in price_list.items.all()}
    assert items == {"B-6204": (Decimal("18.5"), Decimal(17)), "M-750": (Decimal(1400), None)}
    events = Event.objects.filter(verb="price_list.price_set", data__imported=True)
    assert events.count() == 2 and {e.object_id for e in events} == {price_list.pk}


def test_bad_price_list_item_rows_import_nothing(tmp_path, sales_admin, products, make_list):
    make_list("A 級", grade="A", prices=[("B-6204", "19", None)])
    before = Unchanged()
    path = _csv(
        tmp_path,
        "price_list,sku,unit_price,min_price\n"
        "A 級,M-750,1400,1300\n"
        "B 級,M-750,1400,\n"
        "A 級,NOPE,1,\n"
        "A 級,B-6204,-1,\n"
        "A 級,B-6204,10,11\n"
        "A 級,M-750,1350,\n",
    )
    report = run_import(PriceListItemImporter, path, actor=sales_admin)
    assert report.imported == 0
    assert [(p.line, p.column) for p in report.problems] == [
        (3, "price_list"),
        (4, "sku"),
        (5, "unit_price"),
        (6, "min_price"),
        (7, "sku"),
    ]
    before.assert_same()


def test_price_list_items_import_needs_the_permission(salesperson, sales_admin):
    assert PriceListItemImporter.may_import(sales_admin)
    assert not PriceListItemImporter.may_import(salesperson)
