"""Sales orders, their lines, reviews, guarantees, change requests and delays (O1–O4, U4)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.catalog.models import PRICE, QUANTITY, RATE, Product
from salesdesk.core.models import BaseModel
from salesdesk.customers.models import Customer

MONEY = {"max_digits": 16, "decimal_places": 2}


class Channel(models.TextChoices):
    WRITTEN = "written", _("Written contract")
    ELECTRONIC = "electronic", _("Electronic order")
    VERBAL = "verbal", _("Verbal order")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    ON_HOLD = "on_hold", _("On hold")
    APPROVED = "approved", _("Approved")
    IN_FULFILLMENT = "in_fulfillment", _("In fulfilment")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Order(BaseModel):
    """One customer order through intake, review, allocation and fulfilment (O1–O4)."""

    number = models.CharField(_("order number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sales_orders",
        verbose_name=_("salesperson"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    customer_reference = models.CharField(_("customer PO number"), max_length=60, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=30)
    requested_delivery_date = models.DateField(_("requested delivery date"))
    expected_delivery_date = models.DateField(_("expected delivery date"), null=True, blank=True)
    prices_include_tax = models.BooleanField(_("prices include tax"), default=False)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    net_amount = models.DecimalField(_("net amount"), **MONEY, default=Decimal(0))
    tax_amount = models.DecimalField(_("tax"), **MONEY, default=Decimal(0))
    gross_amount = models.DecimalField(_("total incl. tax"), **MONEY, default=Decimal(0))
    note = models.TextField(_("note"), blank=True)
    confirmation_due_at = models.DateTimeField(_("written confirmation due"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("written confirmation received"), null=True, blank=True)
    hold_reasons = models.JSONField(_("hold reasons"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    is_imported = models.BooleanField(_("imported"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        permissions = [
            ("view_all_orders", _("Can see every order")),
            ("view_team_orders", _("Can see the team's orders")),
            ("submit_order", _("Can submit orders for review")),
            ("approve_order", _("Can approve or reject reviewed orders")),
            ("release_credit_hold", _("Can release a credit hold")),
            ("override_compliance", _("Can override a compliance finding")),
            ("cancel_order", _("Can cancel orders")),
            ("record_delay", _("Can record delays")),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["salesperson", "status"]),
            models.Index(
                fields=["confirmation_due_at"],
                condition=Q(confirmed_at__isnull=True),
                name="orders_unconfirmed_verbal",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """A product line with quantity, price, discount, tax and dates (O1.3, U3)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    line_number = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price"), **PRICE)
    discount_rate = models.DecimalField(_("discount"), **RATE, default=Decimal(0))
    tax_rate = models.DecimalField(_("tax rate"), **RATE)
    net_amount = models.DecimalField(_("net"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), **MONEY)
    gross_amount = models.DecimalField(_("gross"), **MONEY)
    requested_date = models.DateField(_("requested date"), null=True, blank=True)
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    reserved_quantity = models.DecimalField(_("reserved"), **QUANTITY, default=Decimal(0))
    reservation = models.JSONField(default=dict, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_number"], name="orders_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_line_qty_pos"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orders_line_price"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_number}"

    @property
    def short_quantity(self) -> Decimal:
        return self.quantity - self.reserved_quantity


class Verdict(models.TextChoices):
    PASS = "pass", _("Pass")
    HOLD = "hold", _("Hold")


class OrderReview(models.Model):
    """One run of the three-part review with its reasons (O2.1–O2.3)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="reviews")
    credit = models.CharField(_("credit"), max_length=10, choices=Verdict.choices)
    compliance = models.CharField(_("compliance"), max_length=10, choices=Verdict.choices)
    stock = models.CharField(_("stock"), max_length=10, choices=Verdict.choices)
    findings = models.JSONField(_("findings"), default=list)
    exposure = models.JSONField(_("credit exposure"), default=dict)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("order review")
        verbose_name_plural = _("order reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.credit}/{self.compliance}/{self.stock}"

    @property
    def clean(self) -> bool:
        return self.credit == self.compliance == self.stock == Verdict.PASS


class GuaranteeKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BANK_GUARANTEE = "bank_guarantee", _("Bank guarantee")
    LETTER_OF_CREDIT = "letter_of_credit", _("Letter of credit")
    PERSONAL = "personal_guarantee", _("Personal guarantee")
    COLLATERAL = "collateral", _("Collateral")


class Guarantee(BaseModel):
    """An extra guarantee that covers a credit hold (O2.1)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="guarantees")
    kind = models.CharField(_("kind"), max_length=30, choices=GuaranteeKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    document = models.FileField(_("document"), upload_to="guarantees/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("guarantee")
        verbose_name_plural = _("guarantees")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(BaseModel):
    """A proposed change to an approved order with its before/after diff (U4)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="change_requests")
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=200)
    proposal = models.JSONField(_("proposal"))
    diff = models.JSONField(_("changes"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(status="pending"), name="orders_one_pending_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.pk}"


class DelayCause(models.TextChoices):
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    SUPPLIER = "supplier", _("Supplier delay")
    PRODUCTION = "production", _("Production delay")
    LOGISTICS = "logistics", _("Logistics delay")
    CUSTOMER = "customer", _("Customer request")
    OTHER = "other", _("Other")


class Delay(BaseModel):
    """A delay with its cause and new date, and the notice sent to the customer (O4.3)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="delays")
    cause = models.CharField(_("cause"), max_length=20, choices=DelayCause.choices)
    description = models.TextField(_("description"))
    previous_date = models.DateField(_("previous date"), null=True, blank=True)
    new_date = models.DateField(_("new date"))
    notice = models.ForeignKey(
        "notifications.OutboundEmail",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("delay")
        verbose_name_plural = _("delays")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order} → {self.new_date}"


class StatusLink(BaseModel):
    """An unguessable, expiring link for the customer to follow the order (O4.2)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="status_links")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_viewed_at = models.DateTimeField(_("last viewed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("status link")
        verbose_name_plural = _("status links")

    def __str__(self) -> str:
        return f"{self.order} link {self.pk}"
