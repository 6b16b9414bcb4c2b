"""Per-operation schemas of the catalogue and stock API (STYLE rule 9)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from salesdesk.catalog.models import PriceList, PriceListItem, Product, Stock

SupplyCode = Literal["make", "buy"]
THOUSANDTH = Decimal("0.001")


def _quantity(value) -> Decimal:
    # Sums come back unscaled from SQLite; show them like the stored quantities.
    return Decimal(value).quantize(THOUSANDTH)


class In(Schema):
    """Input schemas refuse fields they do not know (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ProductQuery(PageQuery):
    q: str = Field("", description="Part of the SKU or of the name (either script).")
    category: str = ""
    active: bool | None = Field(None, description="Only active (true) or inactive (false) items.")


class StockQuery(PageQuery):
    product: int | None = Field(None, description="Product id.")
    sku: str = ""
    warehouse: str = Field("", description="Warehouse code.")


class ProductFieldsIn(In):
    name: str | None = None
    spec: str | None = None
    unit: str | None = None
    category: str | None = None
    list_price: Decimal | None = Field(None, description="Excluding tax.")
    standard_cost: Decimal | None = None
    tax_rate: Decimal | None = Field(None, description="A fraction: 0.13 is 13 %.")
    supply: SupplyCode | None = None
    is_active: bool | None = None


class ProductCreateIn(ProductFieldsIn):
    sku: str
    name: str
    unit: str
    list_price: Decimal


class ProductPatchIn(ProductFieldsIn):
    """The SKU never changes; send only the fields that do."""


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    spec: str
    unit: str
    category: str
    list_price: Decimal
    standard_cost: Decimal | None
    tax_rate: Decimal
    supply: str
    is_active: bool
    on_hand: Decimal = Field(description="Across all warehouses.")
    reserved: Decimal
    available: Decimal
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_on_hand(obj: Product) -> Decimal:
        return _quantity(obj.total_on_hand)

    @staticmethod
    def resolve_reserved(obj: Product) -> Decimal:
        return _quantity(obj.total_reserved)

    @staticmethod
    def resolve_available(obj: Product) -> Decimal:
        return _quantity(obj.total_on_hand - obj.total_reserved)


class ProductPageOut(Schema):
    count: int
    items: list[ProductOut]


class StockOut(Schema):
    product: int
    sku: str
    name: str
    warehouse: str = Field(description="Warehouse code.")
    warehouse_name: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    updated_at: datetime

    @staticmethod
    def resolve_product(obj: Stock) -> int:
        return obj.product_id

    @staticmethod
    def resolve_sku(obj: Stock) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_name(obj: Stock) -> str:
        return obj.product.name

    @staticmethod
    def resolve_warehouse(obj: Stock) -> str:
        return obj.warehouse.code

    @staticmethod
    def resolve_warehouse_name(obj: Stock) -> str:
        return obj.warehouse.name


class StockPageOut(Schema):
    count: int
    items: list[StockOut]


class StockAdjustIn(In):
    product: int | str = Field(description="Product id or SKU.")
    warehouse: int | str = Field(description="Warehouse id or code.")
    quantity: Decimal = Field(description="Positive to add, negative to take off.")
    reason: str


GradeCode = Literal["A", "B", "C", "D", ""]


class PriceListQuery(PageQuery):
    grade: str | None = Field(
        None, description="A, B, C or D; `general` for the lists that apply to every grade."
    )
    active: bool | None = None
    on: date | None = Field(None, description="Only lists valid on this day.")


class PriceListFieldsIn(In):
    name: str | None = None
    customer_grade: GradeCode | None = Field(None, description="Empty: every grade.")
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="Empty: open-ended.")
    is_active: bool | None = None


class PriceListCreateIn(PriceListFieldsIn):
    name: str
    valid_from: date


class PriceListPatchIn(PriceListFieldsIn):
    """Send only the fields that change."""


class PriceListOut(Schema):
    id: int
    name: str
    customer_grade: str
    valid_from: date
    valid_until: date | None
    is_active: bool
    item_count: int = Field(description="How many products the list prices.")
    created_at: datetime
    updated_at: datetime


class PriceListPageOut(Schema):
    count: int
    items: list[PriceListOut]


class PriceItemIn(In):
    unit_price: Decimal = Field(description="Excluding tax, ≥ 0.")
    min_price: Decimal | None = Field(None, description="Lowest allowed price, ≤ unit price.")


class PriceItemOut(Schema):
    product: int
    sku: str
    name: str
    list_price: Decimal
    unit_price: Decimal
    min_price: Decimal | None

    @staticmethod
    def resolve_product(obj: PriceListItem) -> int:
        return obj.product_id

    @staticmethod
    def resolve_sku(obj: PriceListItem) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_name(obj: PriceListItem) -> str:
        return obj.product.name

    @staticmethod
    def resolve_list_price(obj: PriceListItem) -> Decimal:
        return obj.product.list_price


class PriceListDetailOut(PriceListOut):
    prices: list[PriceItemOut]

    @staticmethod
    def resolve_prices(obj: PriceList) -> list[PriceListItem]:
        return list(obj.items.select_related("product").order_by("product__sku"))


class PriceQuery(Schema):
    customer: int = Field(description="Customer id.")
    product: str = Field(description="Product id or SKU.")
    on: date | None = Field(None, description="The day; empty: today.")


class PriceOut(Schema):
    customer: int
    product: int
    sku: str
    on: date
    price: Decimal = Field(description="Unit price excluding tax.")
    source: Literal["price_list", "list_price"]
    source_label: str = Field(description="The price list's name, or “List price”.")
    price_list: int | None
    min_price: Decimal | None
