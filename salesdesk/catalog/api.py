"""Catalogue and stock API (O1.3, O2.3): products, stock per warehouse, stock adjustments.

Every handler parses, calls one service (or the read below), and returns a schema. Reading
needs the catalogue or stock view permission (403 otherwise); the services guard writes.
"""

from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.catalog import services
from salesdesk.catalog.models import QUANTITY, Product, Stock, Warehouse
from salesdesk.catalog.schemas import (
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
