"""Products, price lists, warehouses and stock (O1.3, O2.3)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel

QUANTITY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 16, "decimal_places": 4}
RATE = {"max_digits": 5, "decimal_places": 4}


class Supply(models.TextChoices):
    MAKE = "make", _("Made in house")
    BUY = "buy", _("Bought in")


class Product(BaseModel):
    """A catalogue item with spec, unit, list price, standard cost and tax rate (O1.3)."""

    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    category = models.CharField(_("category"), max_length=60, blank=True, db_index=True)
    list_price = models.DecimalField(_("list price (excl. tax)"), **PRICE)
    standard_cost = models.DecimalField(_("standard cost"), **PRICE, null=True, blank=True)
    tax_rate = models.DecimalField(_("tax rate"), **RATE, default=Decimal("0.13"))
    supply = models.CharField(
        _("supply"),
        max_length=10,
        choices=Supply.choices,
        default=Supply.BUY,
        help_text=_("Shortages go to production (made) or purchasing."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=Q(list_price__gte=0), name="catalog_price_not_neg"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lt=1), name="catalog_tax_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class PriceList(BaseModel):
    """Prices for a customer grade within a validity period (O1.3, O2.2)."""

    name = models.CharField(_("name"), max_length=100)
    customer_grade = models.CharField(
        _("customer grade"), max_length=10, blank=True, help_text=_("Empty means every grade.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    unit_price = models.DecimalField(_("unit price (excl. tax)"), **PRICE)
    min_price = models.DecimalField(_("lowest allowed price"), **PRICE, null=True, blank=True)

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product"], name="catalog_price_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_list} {self.product_id} {self.unit_price}"


class Warehouse(BaseModel):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """On hand and reserved per product and warehouse; available = on hand − reserved.

    Changed only by conditional UPDATEs with F() (STYLE rule 5), and the database refuses
    negative stock or reservations above what is on hand.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock")
    on_hand = models.DecimalField(_("on hand"), **QUANTITY, default=Decimal(0))
    reserved = models.DecimalField(_("reserved"), **QUANTITY, default=Decimal(0))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="catalog_stock_unique"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="catalog_on_hand_not_neg"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="catalog_reserved_not_neg"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="catalog_reserved_within_on_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.on_hand}/{self.reserved}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RESERVATION = "reservation", _("Reservation")
    RELEASE = "release", _("Release")
    ISSUE = "issue", _("Issue")


class StockMovement(models.Model):
    """The stock ledger: every change to on hand or reserved, with who and why."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "warehouse", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} {self.reference}"
