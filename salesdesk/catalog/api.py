"""Catalogue and stock API (O1.3, O2.2, O2.3): products, price lists and the price that
applies to a customer, stock per warehouse, stock adjustments.

Every handler parses, calls one service (or the read below), and returns a schema. Reading
needs the catalogue or stock view permission (403 otherwise); the services guard writes.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.catalog import pricing, services
from salesdesk.catalog.models import QUANTITY, PriceList, PriceListItem, Product, Stock, Warehouse
from salesdesk.catalog.schemas import (
    PriceItemIn,
    PriceItemOut,
    PriceListCreateIn,
    PriceListDetailOut,
    PriceListPageOut,
    PriceListPatchIn,
    PriceListQuery,
    PriceOut,
    PriceQuery,
    ProductCreateIn,
    ProductOut,
    ProductPageOut,
    ProductPatchIn,
    ProductQuery,
    StockAdjustIn,
    StockOut,
    StockPageOut,
    StockQuery,
)
from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.customers.selectors import customer_get
from salesdesk.customers.validators import fold

router = Router(tags=["catalogue"])

ITEM = "/products/{int:product_id}"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("You may not see the catalogue or stock."))


def _totals(field: str) -> Coalesce:
    return Coalesce(
        Sum(f"stock__{field}"), Value(Decimal(0)), output_field=DecimalField(**QUANTITY)
    )


def _products() -> QuerySet[Product]:
    """Products with their stock summed over all warehouses."""
    return Product.objects.annotate(
        total_on_hand=_totals("on_hand"), total_reserved=_totals("reserved")
    )


def _product(request, product_id: int) -> Product:
    _require(request, "catalog.view_product")
    product = _products().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."))
    return product


UNKNOWN = {"product": _("No such product."), "warehouse": _("No such warehouse.")}


def _reference(model, value: int | str, key: str, field: str) -> int:
    """The pk of a product or warehouse given by id or by SKU/code, or 404 naming the field."""
    lookup = {"pk": value} if isinstance(value, int) else {key: value.strip()}
    pk = model.objects.filter(**lookup).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(UNKNOWN[field], extra={"field": field})
    return pk


@router.get("/products", response=ProductPageOut, summary="Catalogue items")
def product_list_api(request, query: Query[ProductQuery]):
    _require(request, "catalog.view_product")
    products = _products()
    if query.q.strip():
        text = query.q.strip()
        products = products.filter(Q(sku__icontains=text) | Q(name_folded__contains=fold(text)))
    if query.category:
        products = products.filter(category=query.category)
    if query.active is not None:
        products = products.filter(is_active=query.active)
    page = products.order_by("sku")[query.offset : query.offset + query.limit]
    return {"count": products.count(), "items": list(page)}


@router.post("/products", response={201: ProductOut}, summary="Add a catalogue item")
def product_create_api(request, payload: ProductCreateIn):
    product = services.product_create(actor=request.user, data=payload.dict(exclude_unset=True))
    return Status(201, _product(request, product.pk))


@router.get(ITEM, response=ProductOut, summary="One catalogue item")
def product_get_api(request, product_id: int):
    return _product(request, product_id)


@router.patch(ITEM, response=ProductOut, summary="Change a catalogue item")
def product_update_api(request, product_id: int, payload: ProductPatchIn):
    services.product_update(
        actor=request.user, product_id=product_id, data=payload.dict(exclude_unset=True)
    )
    return _product(request, product_id)


add_events_route(router, "/products", _product)


@router.get("/stock", response=StockPageOut, summary="Stock per product and warehouse")
def stock_list_api(request, query: Query[StockQuery]):
    _require(request, "catalog.view_stock")
    rows = Stock.objects.select_related("product", "warehouse")
    if query.product:
        rows = rows.filter(product_id=query.product)
    if query.sku.strip():
        rows = rows.filter(product__sku=query.sku.strip().upper())
    if query.warehouse.strip():
        rows = rows.filter(warehouse__code=query.warehouse.strip())
    rows = rows.order_by("product__sku", "warehouse__code")
    page = rows[query.offset : query.offset + query.limit]
    return {"count": rows.count(), "items": list(page)}


@router.post("/stock/adjust", response=StockOut, summary="Receive or correct stock on hand")
def stock_adjust_api(request, payload: StockAdjustIn):
    product = payload.product
    stock = services.stock_adjust(
        actor=request.user,
        product_id=_reference(
            Product, product.upper() if isinstance(product, str) else product, "sku", "product"
        ),
        warehouse_id=_reference(Warehouse, payload.warehouse, "code", "warehouse"),
        quantity=payload.quantity,
        reason=payload.reason,
    )
    return Stock.objects.select_related("product", "warehouse").get(pk=stock.pk)


PRICE_LIST = "/price-lists/{int:price_list_id}"


def _price_lists() -> QuerySet[PriceList]:
    return PriceList.objects.annotate(item_count=Count("items"))


def _price_list(request, price_list_id: int) -> PriceList:
    _require(request, "catalog.view_pricelist")
    price_list = _price_lists().filter(pk=price_list_id).first()
    if price_list is None:
        raise NotFound(_("No such price list."))
    return price_list


@router.get("/price-lists", response=PriceListPageOut, summary="Price lists")
def price_list_list_api(request, query: Query[PriceListQuery]):
    _require(request, "catalog.view_pricelist")
    grade = query.grade
    if grade is not None:
        grade = "" if grade.strip().lower() == "general" else grade.strip().upper()
    lists = pricing.price_list_list(grade=grade, active=query.active, valid_on=query.on)
    lists = lists.annotate(item_count=Count("items"))
    page = lists[query.offset : query.offset + query.limit]
    return {"count": lists.count(), "items": list(page)}


@router.post("/price-lists", response={201: PriceListDetailOut}, summary="Start a price list")
def price_list_create_api(request, payload: PriceListCreateIn):
    price_list = pricing.price_list_create(
        actor=request.user, data=payload.dict(exclude_unset=True)
    )
    return Status(201, _price_list(request, price_list.pk))


@router.get(PRICE_LIST, response=PriceListDetailOut, summary="One price list with its prices")
def price_list_get_api(request, price_list_id: int):
    return _price_list(request, price_list_id)


@router.patch(PRICE_LIST, response=PriceListDetailOut, summary="Change a price list")
def price_list_update_api(request, price_list_id: int, payload: PriceListPatchIn):
    pricing.price_list_update(
        actor=request.user, price_list_id=price_list_id, data=payload.dict(exclude_unset=True)
    )
    return _price_list(request, price_list_id)


@router.post(
    PRICE_LIST + "/deactivate", response=PriceListDetailOut, summary="Stop a price list applying"
)
def price_list_deactivate_api(request, price_list_id: int):
    pricing.price_list_deactivate(actor=request.user, price_list_id=price_list_id)
    return _price_list(request, price_list_id)


@router.put(
    PRICE_LIST + "/items/{sku}", response=PriceItemOut, summary="Set a product's price in a list"
)
def price_item_set_api(request, price_list_id: int, sku: str, payload: PriceItemIn):
    item = pricing.price_item_set(
        actor=request.user,
        price_list_id=price_list_id,
        sku=sku,
        unit_price=payload.unit_price,
        min_price=payload.min_price,
    )
    return PriceListItem.objects.select_related("product").get(pk=item.pk)


add_events_route(router, "/price-lists", _price_list)


@router.get("/prices", response=PriceOut, summary="The price that applies to a customer")
def price_for_api(request, query: Query[PriceQuery]):
    _require(request, "catalog.view_pricelist")
    customer = customer_get(user=request.user, customer_id=query.customer)
    text = query.product.strip()
    lookup = {"pk": int(text)} if text.isdigit() else {"sku": text.upper()}
    product = Product.objects.filter(**lookup).first()
    if product is None:
        raise NotFound(UNKNOWN["product"], extra={"field": "product"})
    on = query.on or timezone.localdate()
    quote = pricing.price_quote(customer=customer, product=product, on=on)
    return {
        "customer": customer.pk,
        "product": product.pk,
        "sku": product.sku,
        "on": on,
        "price": quote.price,
        "source": "price_list" if quote.item else "list_price",
        "source_label": quote.source,
        "price_list": quote.item.price_list_id if quote.item else None,
        "min_price": quote.item.min_price if quote.item else None,
    }
