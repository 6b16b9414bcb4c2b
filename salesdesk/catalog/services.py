"""Every write to products and stock (O1.3, O2.3); stock changes are race-free (STYLE rule 5)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.catalog.models import (
    MovementKind,
    Product,
    Stock,
    StockMovement,
    Supply,
    Warehouse,
)
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.inputs import Errors, _choice, _text
from salesdesk.customers.validators import fold

EVENT_LABELS = {
    "product.created": _("Product created"),
    "product.updated": _("Product updated"),
    "stock.adjusted": _("Stock adjusted"),
    "stock.received": _("Stock received"),
}
PRODUCT_FIELDS = (
    "sku",
    "name",
    "spec",
    "unit",
    "category",
    "list_price",
    "standard_cost",
    "tax_rate",
    "supply",
    "is_active",
)


def _number(
    data: dict, field: str, errors: Errors, *, required: bool, minimum=Decimal(0), below=None
) -> Decimal | None:
    raw = data.get(field)
    if raw in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if value < minimum or (below is not None and value >= below):
        errors.add(field, _("Out of the allowed range."))
        return None
    return value


def clean_product(data: dict, instance: Product | None = None) -> dict:
    if instance is not None:
        data = {**{f: getattr(instance, f) for f in PRODUCT_FIELDS}, **data}
    errors = Errors()
    cleaned = {
        "sku": _text(data, "sku", errors, max_length=40, required=True).upper(),
        "name": _text(data, "name", errors, max_length=200, required=True),
        "spec": _text(data, "spec", errors, max_length=200),
        "unit": _text(data, "unit", errors, max_length=20, required=True),
        "category": _text(data, "category", errors, max_length=60),
        "list_price": _number(data, "list_price", errors, required=True),
        "standard_cost": _number(data, "standard_cost", errors, required=False),
        "tax_rate": _number(data, "tax_rate", errors, required=False, below=Decimal(1)),
        "supply": _choice(data, "supply", Supply.choices, errors, Supply.BUY),
        "is_active": data.get("is_active", True) not in (False, "false", "0", "no", "off"),
    }
    if cleaned["tax_rate"] is None:
        cleaned["tax_rate"] = Decimal("0.13")
    errors.raise_if_any()
    cleaned["name_folded"] = fold(cleaned["name"])
    return cleaned


def product_create(*, actor: Any, data: dict) -> Product:
    """Add a catalogue item (O1.3)."""
    if not actor.has_perm("catalog.add_product"):
        raise PermissionDenied(_("You may not maintain the catalogue."))
    cleaned = clean_product(data)
    with transaction.atomic():
        if Product.objects.filter(sku=cleaned["sku"]).exists():
            raise Conflict(
                _("SKU %(sku)s exists already.") % {"sku": cleaned["sku"]},
                code="duplicate_sku",
                extra={"field": "sku"},
            )
        product = Product.objects.create(**cleaned)
        event_record(actor=actor, verb="product.created", subject=product)
    return product


def product_update(*, actor: Any, product_id: int, data: dict) -> Product:
    if not actor.has_perm("catalog.change_product"):
        raise PermissionDenied(_("You may not maintain the catalogue."))
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(pk=product_id).first()
        if product is None:
            raise NotFound(_("No such product."))
        cleaned = clean_product({k: v for k, v in data.items() if k != "sku"}, instance=product)
        changes = {
            f: [str(getattr(product, f)), str(v)]
            for f, v in cleaned.items()
            if f != "name_folded" and getattr(product, f) != v
        }
        for name, value in cleaned.items():
            setattr(product, name, value)
        product.save()
        event_record(
            actor=actor, verb="product.updated", subject=product, data={"changes": changes}
        )
    return product


def warehouse_ensure(*, code: str, name: str) -> Warehouse:
    warehouse, _created = Warehouse.objects.get_or_create(code=code, defaults={"name": name})
    return warehouse


def _stock_row(product: Product, warehouse: Warehouse) -> Stock:
    stock, _created = Stock.objects.get_or_create(product=product, warehouse=warehouse)
    return stock


def stock_adjust(
    *,
    actor: Any,
    product_id: int,
    warehouse_id: int,
    quantity: Any,
    reason: str,
    kind: str = MovementKind.ADJUSTMENT,
) -> Stock:
    """Receive (+) or correct (±) stock on hand; never below what is reserved."""
    if not actor.has_perm("catalog.change_stock"):
        raise PermissionDenied(_("You may not adjust stock."))
    errors = Errors()
    delta = _number(
        {"quantity": quantity}, "quantity", errors, required=True, minimum=Decimal("-1e12")
    )
    reason = _text({"reason": reason}, "reason", errors, max_length=200, required=True)
    if delta == 0:
        errors.add("quantity", _("Enter a quantity other than zero."))
    errors.raise_if_any()
    with transaction.atomic():
        product = Product.objects.filter(pk=product_id).first()
        warehouse = Warehouse.objects.filter(pk=warehouse_id).first()
        if product is None or warehouse is None:
            raise NotFound(_("No such product or warehouse."))
        stock = _stock_row(product, warehouse)
        updated = Stock.objects.filter(pk=stock.pk, on_hand__gte=F("reserved") - delta).update(
            on_hand=F("on_hand") + delta
        )
        if updated != 1:
            raise Conflict(
                _("Stock cannot go below what is on hand and reserved."),
                code="insufficient_stock",
                extra={"field": "quantity"},
            )
        StockMovement.objects.create(
            product=product,
            warehouse=warehouse,
            kind=kind,
            quantity=delta,
            note=reason,
            actor=actor,
        )
        stock.refresh_from_db()
        verb = "stock.received" if kind == MovementKind.RECEIPT else "stock.adjusted"
        event_record(
            actor=actor,
            verb=verb,
            subject=product,
            note=reason,
            data={
                "warehouse": warehouse.code,
                "quantity": str(delta),
                "on_hand": str(stock.on_hand),
            },
        )
    return stock


@dataclass
class Reservation:
    requested: Decimal
    reserved: Decimal
    by_warehouse: dict[int, Decimal]

    @property
    def short(self) -> Decimal:
        return self.requested - self.reserved


def stock_reserve(
    *, actor: Any, product_id: int, quantity: Decimal, reference: str, partial: bool = False
) -> Reservation:
    """Reserve stock for an order line, warehouse by warehouse, race-free (O2.3).

    Each warehouse's share is taken with a conditional UPDATE that only succeeds while
    enough is available, so parallel approvals can never reserve more than is on hand.
    Without `partial`, a line that cannot be fully covered reserves nothing.
    """
    if quantity <= 0:
        raise ValidationFailed(_("The quantity must be positive."), extra={"field": "quantity"})
    taken: dict[int, Decimal] = {}
    with transaction.atomic():
        remaining = quantity
        rows = Stock.objects.filter(product_id=product_id).order_by("warehouse__code")
        for stock in rows:
            while remaining > 0:
                stock.refresh_from_db(fields=["on_hand", "reserved"])
                share = min(remaining, stock.on_hand - stock.reserved)
                if share <= 0:
                    break
                updated = Stock.objects.filter(
                    pk=stock.pk, on_hand__gte=F("reserved") + share
                ).update(reserved=F("reserved") + share)
                if updated == 1:
                    taken[stock.warehouse_id] = taken.get(stock.warehouse_id, 0) + share
                    remaining -= share
            if remaining <= 0:
                break
        if remaining > 0 and not partial:
            transaction.set_rollback(True)
            return Reservation(quantity, Decimal(0), {})
        for warehouse_id, share in taken.items():
            StockMovement.objects.create(
                product_id=product_id,
                warehouse_id=warehouse_id,
                kind=MovementKind.RESERVATION,
                quantity=share,
                reference=reference,
                actor=actor,
            )
    return Reservation(quantity, quantity - remaining, taken)


def stock_release(
    *, actor: Any, product_id: int, by_warehouse: dict[int, Decimal], reference: str
) -> None:
    """Give back a reservation (cancel, change request); never below zero."""
    with transaction.atomic():
        for warehouse_id, share in by_warehouse.items():
            updated = Stock.objects.filter(
                product_id=product_id, warehouse_id=warehouse_id, reserved__gte=share
            ).update(reserved=F("reserved") - share)
            if updated != 1:
                raise Conflict(
                    _("The reservation to release is not there."), code="reservation_missing"
                )
            StockMovement.objects.create(
                product_id=product_id,
                warehouse_id=warehouse_id,
                kind=MovementKind.RELEASE,
                quantity=-Decimal(share),
                reference=reference,
                actor=actor,
            )


def stock_issue(
    *, actor: Any, product_id: int, quantity: Decimal, reserved: dict[int, Decimal], reference: str
) -> dict[int, Decimal]:
    """Goods leave the warehouse (S3): first from the line's reservations, then from free
    stock; every step a conditional UPDATE, so stock never goes negative. Returns what was
    taken from each warehouse's reservation (the caller reduces the line's reservation)."""
    remaining = Decimal(quantity)
    from_reserved: dict[int, Decimal] = {}
    with transaction.atomic():
        for warehouse_id, held in sorted(reserved.items()):
            take = min(remaining, Decimal(held))
            if take <= 0:
                continue
            updated = Stock.objects.filter(
                product_id=product_id,
                warehouse_id=warehouse_id,
                reserved__gte=take,
                on_hand__gte=take,
            ).update(on_hand=F("on_hand") - take, reserved=F("reserved") - take)
            if updated != 1:
                raise Conflict(
                    _("The reserved stock is not there any more."), code="reservation_missing"
                )
            from_reserved[warehouse_id] = take
            remaining -= take
        taken = dict(from_reserved)
        for stock in Stock.objects.filter(product_id=product_id).order_by("warehouse_id"):
            if remaining <= 0:
                break
            take = min(remaining, stock.on_hand - stock.reserved)
            if take > 0 and Stock.objects.filter(
                pk=stock.pk, on_hand__gte=F("reserved") + take
            ).update(on_hand=F("on_hand") - take):
                taken[stock.warehouse_id] = taken.get(stock.warehouse_id, Decimal(0)) + take
                remaining -= take
        if remaining > 0:
            raise Conflict(
                _("Not enough stock to ship %(qty)s more.") % {"qty": remaining},
                code="insufficient_stock",
                extra={"product": product_id},
            )
        for warehouse_id, take in taken.items():
            StockMovement.objects.create(
                product_id=product_id,
                warehouse_id=warehouse_id,
                kind=MovementKind.ISSUE,
                quantity=-take,
                reference=reference,
                actor=actor,
            )
    return from_reserved
