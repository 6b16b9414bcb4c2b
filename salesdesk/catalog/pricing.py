"""Price lists per customer grade with validity (O1.3, O2.2): every write and the price rule.

Which price applies to a customer on a day (`price_for`): among the active price lists valid
on that day that hold the product and are meant for the customer's grade or for every grade,
a list for the customer's grade beats a list for every grade; among equals the list with the
latest `valid_from` wins (and, on the same start day, the newest list). Without such a list
the product's list price applies.

Lists for the same grade may overlap on purpose, also for the same product: a promotion list
that starts later overrides the standing list for its period without anyone editing the
standing list, and the standing list applies again once the promotion ends. Names are unique,
so imports and people can name a list unambiguously. Lists are deactivated, never deleted.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.catalog.models import PriceList, PriceListItem, Product
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied
from salesdesk.customers.inputs import Errors, _text
from salesdesk.customers.models import CustomerGrade

EVENT_LABELS = {
    "price_list.created": _("Price list created"),
    "price_list.updated": _("Price list updated"),
    "price_list.deactivated": _("Price list deactivated"),
    "price_list.price_set": _("Price list price set"),
}
PRICE_LIST_FIELDS = ("name", "customer_grade", "valid_from", "valid_until", "is_active")
PRICE_LIMIT = Decimal("1e12")
PRICE_PLACES = 4
LIST_PRICE = _("List price")
NO = {False, "false", "0", "no", "off", ""}


def _date(data: dict, field: str, errors: Errors, *, required: bool) -> date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        parsed = value if isinstance(value, date) else parse_date(str(value).strip())
    except ValueError:  # well formed but no such day, e.g. 2025-02-30
        parsed = None
    if parsed is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
    return parsed


def _price(value: Any, field: str, errors: Errors, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        price = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if not price.is_finite() or price < 0 or price >= PRICE_LIMIT:
        errors.add(field, _("Enter a price from 0 to 999,999,999,999."))
        return None
    if -price.as_tuple().exponent > PRICE_PLACES:
        errors.add(field, _("At most %(n)s decimal places.") % {"n": PRICE_PLACES})
        return None
    return price


def clean_price_list(data: dict, instance: PriceList | None = None) -> dict:
    """The list's fields merged over `instance`, or ValidationFailed naming each field."""
    if instance is not None:
        data = {**{f: getattr(instance, f) for f in PRICE_LIST_FIELDS}, **data}
    errors = Errors()
    grade = str(data.get("customer_grade") or "").strip().upper()
    if grade and grade not in CustomerGrade.values:
        errors.add("customer_grade", _("Choose a customer grade, or none for every grade."))
    cleaned = {
        "name": _text(data, "name", errors, max_length=100, required=True),
        "customer_grade": grade,
        "valid_from": _date(data, "valid_from", errors, required=True),
        "valid_until": _date(data, "valid_until", errors, required=False),
        "is_active": data.get("is_active", True) not in NO,
    }
    start, end = cleaned["valid_from"], cleaned["valid_until"]
    if start and end and end < start:
        errors.add("valid_until", _("The list cannot end before it starts."))
    errors.raise_if_any()
    return cleaned


def clean_price_item(unit_price: Any, min_price: Any) -> dict:
    """Prices of one item: both ≥ 0, the lowest allowed price not above the unit price."""
    errors = Errors()
    unit = _price(unit_price, "unit_price", errors, required=True)
    minimum = _price(min_price, "min_price", errors, required=False)
    if unit is not None and minimum is not None and minimum > unit:
        errors.add("min_price", _("The lowest allowed price cannot be above the unit price."))
    errors.raise_if_any()
    return {"unit_price": unit, "min_price": minimum}


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("You may not maintain price lists."))


def _unique_name(name: str, exclude: int | None = None) -> None:
    taken = PriceList.objects.filter(name=name).exclude(pk=exclude)
    if taken.exists():
        raise Conflict(
            _("A price list named “%(name)s” exists already.") % {"name": name},
            code="duplicate_price_list",
            extra={"field": "name"},
        )


def _locked(price_list_id: int) -> PriceList:
    price_list = PriceList.objects.select_for_update().filter(pk=price_list_id).first()
    if price_list is None:
        raise NotFound(_("No such price list."))
    return price_list


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def price_list_create(*, actor: Any, data: dict) -> PriceList:
    """Start a price list for one customer grade or all, valid from a day (O1.3, O2.2)."""
    _require(actor, "catalog.add_pricelist")
    cleaned = clean_price_list(data)
    with transaction.atomic():
        _unique_name(cleaned["name"])
        price_list = PriceList.objects.create(**cleaned)
        event_record(
            actor=actor,
            verb="price_list.created",
            subject=price_list,
            data={f: _plain(v) for f, v in cleaned.items()},
        )
    return price_list


def price_list_update(*, actor: Any, price_list_id: int, data: dict) -> PriceList:
    """Change a list's name, grade, validity or activity; an unchanged list writes nothing."""
    _require(actor, "catalog.change_pricelist")
    with transaction.atomic():
        price_list = _locked(price_list_id)
        cleaned = clean_price_list(data, instance=price_list)
        changes = {
            f: [_plain(getattr(price_list, f)), _plain(v)]
            for f, v in cleaned.items()
            if getattr(price_list, f) != v
        }
        if not changes:
            return price_list
        if "name" in changes:
            _unique_name(cleaned["name"], exclude=price_list.pk)
        for name, value in cleaned.items():
            setattr(price_list, name, value)
        price_list.save()
        event_record(
            actor=actor,
            verb="price_list.updated",
            subject=price_list,
            data={"changes": changes},
        )
    return price_list


def price_list_deactivate(*, actor: Any, price_list_id: int, note: str = "") -> PriceList:
    """Stop a list from applying; lists are kept, never deleted (O1.3)."""
    _require(actor, "catalog.change_pricelist")
    with transaction.atomic():
        price_list = _locked(price_list_id)
        if not price_list.is_active:
            raise Conflict(_("The price list is already inactive."), code="already_inactive")
        price_list.is_active = False
        price_list.save(update_fields=["is_active", "updated_at"])
        event_record(
            actor=actor, verb="price_list.deactivated", subject=price_list, note=note[:200]
        )
    return price_list


def _product(product_id: int | None, sku: str | None) -> Product:
    if product_id is not None:
        product, field = Product.objects.filter(pk=product_id).first(), "product"
    else:
        product, field = Product.objects.filter(sku=(sku or "").strip().upper()).first(), "sku"
    if product is None:
        raise NotFound(_("No such product."), extra={"field": field})
    return product


def price_item_set(
    *,
    actor: Any,
    price_list_id: int,
    unit_price: Any,
    min_price: Any = None,
    product_id: int | None = None,
    sku: str | None = None,
) -> PriceListItem:
    """Set a product's price (and lowest allowed price) in a list; one event per change."""
    _require(actor, "catalog.change_pricelist")
    prices = clean_price_item(unit_price, min_price)
    with transaction.atomic():
        price_list = _locked(price_list_id)
        product = _product(product_id, sku)
        item = PriceListItem.objects.filter(price_list=price_list, product=product).first()
        before = None
        if item is not None:
            before = {"unit_price": _plain(item.unit_price), "min_price": _plain(item.min_price)}
            if (item.unit_price, item.min_price) == (prices["unit_price"], prices["min_price"]):
                return item
            item.unit_price, item.min_price = prices["unit_price"], prices["min_price"]
            item.save(update_fields=["unit_price", "min_price"])
        else:
            item = PriceListItem.objects.create(price_list=price_list, product=product, **prices)
        event_record(
            actor=actor,
            verb="price_list.price_set",
            subject=price_list,
            data={
                "sku": product.sku,
                **{k: _plain(v) for k, v in prices.items()},
                "before": before,
            },
        )
    return item


def price_list_list(
    *, grade: str | None = None, active: bool | None = None, valid_on: date | None = None
) -> QuerySet[PriceList]:
    """Price lists, newest start first; `grade=""` means the lists for every grade."""
    lists = PriceList.objects.all()
    if grade is not None:
        lists = lists.filter(customer_grade=grade)
    if active is not None:
        lists = lists.filter(is_active=active)
    if valid_on is not None:
        lists = lists.filter(valid_from__lte=valid_on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=valid_on)
        )
    return lists.order_by("-valid_from", "-pk")


def price_list_items(price_list: PriceList, *, sku: str = "") -> QuerySet[PriceListItem]:
    items = price_list.items.select_related("product")
    if sku.strip():
        items = items.filter(product__sku__icontains=sku.strip())
    return items.order_by("product__sku")


@dataclass(frozen=True)
class Quote:
    """The price that applies, where it comes from (list name or "List price"), the item."""

    price: Decimal
    source: str
    item: PriceListItem | None = None


def _rank(item: PriceListItem) -> tuple:
    return (item.price_list.customer_grade != "", item.price_list.valid_from, item.price_list_id)


def price_quotes(*, customer: Any, products: Iterable[Product], on: date) -> dict[int, Quote]:
    """The price of each product for `customer` on day `on`, in one query (O2.2)."""
    products = list(products)
    grades = ["", customer.grade] if customer.grade else [""]
    items = (
        PriceListItem.objects.filter(
            product_id__in=[p.pk for p in products],
            price_list__is_active=True,
            price_list__customer_grade__in=grades,
            price_list__valid_from__lte=on,
        )
        .filter(Q(price_list__valid_until__isnull=True) | Q(price_list__valid_until__gte=on))
        .select_related("price_list")
    )
    best: dict[int, PriceListItem] = {}
    for item in items:
        current = best.get(item.product_id)
        if current is None or _rank(item) > _rank(current):
            best[item.product_id] = item
    quotes = {}
    for product in products:
        item = best.get(product.pk)
        if item is None:
            quotes[product.pk] = Quote(product.list_price, str(LIST_PRICE))
        else:
            quotes[product.pk] = Quote(item.unit_price, item.price_list.name, item)
    return quotes


def price_quote(*, customer: Any, product: Product, on: date) -> Quote:
    return price_quotes(customer=customer, products=[product], on=on)[product.pk]


def price_for(*, customer: Any, product: Product, on: date) -> tuple[Decimal, str]:
    """The unit price (excl. tax) for the customer on a day and its source label (O2.2)."""
    quote = price_quote(customer=customer, product=product, on=on)
    return quote.price, quote.source
