"""Import the catalogue, price lists and stock levels from CSV or XLSX (O1.3, O2.3; issue #4).

Products: every row passes `services.clean_product`, the same check as the product form; a
SKU already in the catalogue or earlier in the file refuses the row. Price list items: each
row sets a product's price in a named list, checked by `pricing.clean_price_item` like
`price_item_set`. Stock: each row sets a receipt (`quantity` added to on hand) for a known
product and warehouse, through the same race-free update and ledger as `stock_adjust`.
All are all-or-nothing like every import.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.models import Event
from salesdesk.catalog.models import (
    MovementKind,
    PriceList,
    PriceListItem,
    Product,
    Stock,
    StockMovement,
    Warehouse,
)
from salesdesk.catalog.pricing import clean_price_item
from salesdesk.catalog.services import clean_product
from salesdesk.core.errors import ValidationFailed
from salesdesk.imports import registry
from salesdesk.imports.base import Column, Importer, RowError, ValidRow


def _events(actor: Any, verb: str, subjects: list, data: list[dict]) -> None:
    if not subjects:
        return
    content_type = ContentType.objects.get_for_model(type(subjects[0]))
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            actor=actor,
            verb=verb,
            content_type=content_type,
            object_id=subject.pk,
            subject_label=str(subject)[:200],
            data=item,
            created_at=now,
        )
        for subject, item in zip(subjects, data, strict=True)
    )


@registry.register
class ProductImporter(Importer):
    """Catalogue items: SKU, name, spec, unit, category, prices, tax rate, supply."""

    kind = "products"
    label = _("products")
    permission = "catalog.add_product"
    columns = (
        Column("sku", _("Unique article number, letters and digits"), required=True),
        Column("name", _("Product name"), required=True),
        Column("spec", _("Specification")),
        Column("unit", _("Unit, e.g. 個, 台, kg"), required=True),
        Column("category", _("Category")),
        Column("list_price", _("List price excluding tax"), required=True),
        Column("standard_cost", _("Standard cost")),
        Column("tax_rate", _("Tax rate as a fraction, e.g. 0.13; empty means 0.13")),
        Column("supply", _("make (produced in house) or buy (purchased); empty means buy")),
    )
    aliases = {
        "料號": "sku",
        "品名": "name",
        "规格": "spec",
        "規格": "spec",
        "单位": "unit",
        "單位": "unit",
        "类别": "category",
        "類別": "category",
        "单价": "list_price",
        "單價": "list_price",
        "成本": "standard_cost",
        "税率": "tax_rate",
        "稅率": "tax_rate",
    }
    examples = (
        {
            "sku": "B-6204",
            "name": "深溝球軸承",
            "spec": "6204-2RS",
            "unit": "個",
            "category": "軸承",
            "list_price": "18.50",
            "standard_cost": "11.20",
            "tax_rate": "0.13",
            "supply": "buy",
        },
    )

    def validate_row(self, row: dict[str, str]) -> dict:
        data = {k: v for k, v in row.items() if v not in (None, "")}
        try:
            return clean_product(data)
        except ValidationFailed as exc:
            raise RowError(RowError.problems_of(exc)) from None

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        skus = [row.cleaned["sku"] for row in rows]
        taken = set(Product.objects.filter(sku__in=skus).values_list("sku", flat=True))
        errors, seen = {}, set()
        for row in rows:
            sku = row.cleaned["sku"]
            if sku in taken or sku in seen:
                errors[row.line] = RowError.one(
                    "sku", _("SKU %(sku)s exists already.") % {"sku": sku}
                )
            seen.add(sku)
        return errors

    def apply_batch(self, rows: list[ValidRow]) -> int:
        products = Product.objects.bulk_create(
            Product(is_imported=True, **row.cleaned) for row in rows
        )
        _events(self.actor, "product.created", products, [{"imported": True}] * len(products))
        return len(products)


@registry.register
class PriceListItemImporter(Importer):
    """Prices per product in named price lists; a row for a priced product replaces it."""

    kind = "price_list_items"
    label = _("price list items")
    permission = "catalog.change_pricelist"
    columns = (
        Column("price_list", _("Name of an existing price list"), required=True),
        Column("sku", _("Product SKU"), required=True),
        Column("unit_price", _("Unit price excluding tax"), required=True),
        Column("min_price", _("Lowest allowed price; empty means no minimum")),
    )
    aliases = {
        "价目表": "price_list",
        "價目表": "price_list",
        "料號": "sku",
        "料号": "sku",
        "单价": "unit_price",
        "單價": "unit_price",
        "最低价": "min_price",
        "最低價": "min_price",
    }
    examples = (
        {"price_list": "A 級客戶價", "sku": "B-6204", "unit_price": "17.58", "min_price": "16.65"},
    )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.price_lists = dict(PriceList.objects.values_list("name", "pk"))
        self.products = dict(Product.objects.values_list("sku", "pk"))
        self.seen: set[tuple[int, int]] = set()

    def validate_row(self, row: dict[str, str]) -> dict:
        problems = []
        name = (row.get("price_list") or "").strip()
        sku = (row.get("sku") or "").strip().upper()
        if name not in self.price_lists:
            problems.append(("price_list", _("Unknown price list “%(name)s”.") % {"name": name}))
        if sku not in self.products:
            problems.append(("sku", _("Unknown product “%(sku)s”.") % {"sku": sku}))
        try:
            prices = clean_price_item(row.get("unit_price"), row.get("min_price"))
        except ValidationFailed as exc:
            problems += RowError.problems_of(exc)
        if problems:
            raise RowError(problems)
        return {
            "price_list_id": self.price_lists[name],
            "product_id": self.products[sku],
            "sku": sku,
            **prices,
        }

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        errors = {}
        for row in rows:
            key = (row.cleaned["price_list_id"], row.cleaned["product_id"])
            if key in self.seen:
                errors[row.line] = RowError.one(
                    "sku", _("This product is priced twice for the same list in the file.")
                )
            self.seen.add(key)
        return errors

    def apply_batch(self, rows: list[ValidRow]) -> int:
        keys = {(r.cleaned["price_list_id"], r.cleaned["product_id"]) for r in rows}
        existing = {
            (item.price_list_id, item.product_id): item
            for item in PriceListItem.objects.filter(
                price_list_id__in={k[0] for k in keys}, product_id__in={k[1] for k in keys}
            )
        }
        changed, created = [], []
        for row in rows:
            values = row.cleaned
            item = existing.get((values["price_list_id"], values["product_id"]))
            if item is None:
                created.append(
                    PriceListItem(
                        price_list_id=values["price_list_id"],
                        product_id=values["product_id"],
                        unit_price=values["unit_price"],
                        min_price=values["min_price"],
                    )
                )
            else:
                item.unit_price, item.min_price = values["unit_price"], values["min_price"]
                changed.append(item)
        PriceListItem.objects.bulk_create(created)
        PriceListItem.objects.bulk_update(changed, ["unit_price", "min_price"])
        lists = PriceList.objects.in_bulk({row.cleaned["price_list_id"] for row in rows})
        _events(
            self.actor,
            "price_list.price_set",
            [lists[row.cleaned["price_list_id"]] for row in rows],
            [
                {
                    "sku": row.cleaned["sku"],
                    "unit_price": str(row.cleaned["unit_price"]),
                    "min_price": ""
                    if row.cleaned["min_price"] is None
                    else str(row.cleaned["min_price"]),
                    "imported": True,
                    "line": row.line,
                }
                for row in rows
            ],
        )
        return len(rows)


@registry.register
class StockImporter(Importer):
    """Opening stock or receipts: quantity added to on hand per product and warehouse."""

    kind = "stock"
    label = _("stock levels")
    permission = "catalog.change_stock"
    columns = (
        Column("sku", _("Product SKU"), required=True),
        Column("warehouse", _("Warehouse code"), required=True),
        Column("quantity", _("Quantity received (added to on hand)"), required=True),
        Column("note", _("Reason, e.g. opening stock")),
    )
    aliases = {
        "料號": "sku",
        "仓库": "warehouse",
        "倉庫": "warehouse",
        "数量": "quantity",
        "數量": "quantity",
        "备注": "note",
        "備註": "note",
    }
    examples = ({"sku": "B-6204", "warehouse": "main", "quantity": "800", "note": "期初庫存"},)

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.products = dict(Product.objects.values_list("sku", "pk"))
        self.warehouses = dict(Warehouse.objects.filter(is_active=True).values_list("code", "pk"))

    def validate_row(self, row: dict[str, str]) -> dict:
        problems = []
        sku = (row.get("sku") or "").strip().upper()
        code = (row.get("warehouse") or "").strip()
        if sku not in self.products:
            problems.append(("sku", _("Unknown product “%(sku)s”.") % {"sku": sku}))
        if code not in self.warehouses:
            problems.append(("warehouse", _("Unknown warehouse “%(code)s”.") % {"code": code}))
        try:
            quantity = Decimal((row.get("quantity") or "").replace(",", "").strip())
            if quantity <= 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(("quantity", _("Enter a quantity above zero.")))
            quantity = Decimal(0)
        if problems:
            raise RowError(problems)
        return {
            "product_id": self.products[sku],
            "warehouse_id": self.warehouses[code],
            "quantity": quantity,
            "note": (row.get("note") or "")[:200] or "import",
        }

    def apply_batch(self, rows: list[ValidRow]) -> int:
        for row in rows:
            values = row.cleaned
            stock, _created = Stock.objects.get_or_create(
                product_id=values["product_id"], warehouse_id=values["warehouse_id"]
            )
            Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + values["quantity"])
        StockMovement.objects.bulk_create(
            StockMovement(
                product_id=row.cleaned["product_id"],
                warehouse_id=row.cleaned["warehouse_id"],
                kind=MovementKind.RECEIPT,
                quantity=row.cleaned["quantity"],
                note=row.cleaned["note"],
                reference="import",
                actor=self.actor,
            )
            for row in rows
        )
        products = list(Product.objects.filter(pk__in={row.cleaned["product_id"] for row in rows}))
        _events(self.actor, "stock.received", products, [{"imported": True}] * len(products))
        return len(rows)
