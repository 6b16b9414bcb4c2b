"""Shipments with readiness, carriers and agreements, tracking, receipt, complaints and
surveys (S1–S4, U1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.catalog.models import QUANTITY
from salesdesk.core.fields import EncryptedTextField
from salesdesk.core.models import BaseModel


class Mode(models.TextChoices):
    ROAD = "road", _("Road")
    EXPRESS = "express", _("Express parcel")
    RAIL = "rail", _("Rail")
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")


class Carrier(BaseModel):
    """A logistics provider with its modes, service areas and rates (S2.1)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    modes = models.JSONField(_("modes"), default=list)
    service_areas = models.JSONField(
        _("service areas"), default=list, help_text=_("Provinces/regions served; empty means all.")
    )
    base_rate = models.DecimalField(_("base rate"), max_digits=12, decimal_places=2, default=0)
    rate_per_kg = models.DecimalField(_("rate per kg"), max_digits=12, decimal_places=2, default=0)
    transit_days = models.PositiveSmallIntegerField(_("transit days"), default=3)
    webhook_secret = EncryptedTextField(_("tracking push secret"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CarrierAgreement(BaseModel):
    """The transport contract with a carrier; booking needs a valid one (S2.2)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(_("reference"), max_length=60)
    document = models.FileField(_("document"), upload_to="carriers/%Y/", blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("carrier agreement")
        verbose_name_plural = _("carrier agreements")
        ordering = ["-valid_until"]

    def __str__(self) -> str:
        return f"{self.carrier} {self.reference}"


class CarrierPreference(models.Model):
    """The carrier a customer asks for (S2.1)."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.PROTECT, related_name="carrier_preference"
    )
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("carrier preference")
        verbose_name_plural = _("carrier preferences")

    def __str__(self) -> str:
        return f"{self.customer_id} → {self.carrier_id}"


class ShipmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARING = "preparing", _("Preparing")
    READY = "ready", _("Ready")
    BOOKED = "booked", _("Booked")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_TRANSIT = "in_transit", _("In transit")
    EXCEPTION = "exception", _("Exception")
    DELIVERED = "delivered", _("Delivered")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Shipment(BaseModel):
    """Goods of one order leaving together; partial shipments are normal (S1–S4, U1)."""

    number = models.CharField(_("delivery note number"), max_length=30, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="shipments", verbose_name=_("order")
    )
    ship_to = models.ForeignKey(
        "customers.ShipToAddress",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ship to"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PLANNED
    )
    goods_ready = models.BooleanField(_("goods picked and available"), default=False)
    qc_passed = models.BooleanField(_("quality inspection passed"), default=False)
    qc_note = models.CharField(_("quality inspection"), max_length=200, blank=True)
    packed = models.BooleanField(_("packed"), default=False)
    packages = models.PositiveSmallIntegerField(_("packages"), default=0)
    gross_weight = models.DecimalField(
        _("gross weight (kg)"), max_digits=10, decimal_places=2, default=0
    )
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shipments",
        verbose_name=_("carrier"),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, blank=True)
    planned_ship_date = models.DateField(_("planned ship date"), null=True, blank=True)
    promised_delivery_date = models.DateField(_("promised delivery date"), null=True, blank=True)
    tracking_number = models.CharField(
        _("tracking number"), max_length=60, blank=True, db_index=True
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    receipt_confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    exception_reason = models.CharField(_("exception"), max_length=200, blank=True)
    notice = models.ForeignKey(
        "notifications.OutboundEmail",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at"]
        permissions = [
            ("prepare_shipment", _("Can prepare shipments (pick, QC, pack)")),
            ("book_shipment", _("Can book carriers and dispatch")),
            ("view_all_shipments", _("Can see every shipment")),
        ]
        indexes = [
            models.Index(fields=["status", "promised_delivery_date"]),
            models.Index(fields=["order", "status"]),
        ]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(models.Model):
    """A quantity of one order line in a shipment, and what the customer received (S4.1)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="lines")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="shipment_lines"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    received_quantity = models.DecimalField(_("received"), **QUANTITY, null=True, blank=True)
    damaged_quantity = models.DecimalField(_("damaged"), **QUANTITY, default=0)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipping_line_qty_pos"),
            models.UniqueConstraint(fields=["shipment", "order_line"], name="shipping_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}/{self.order_line_id} {self.quantity}"


class TrackingSource(models.TextChoices):
    MANUAL = "manual", _("Entered")
    IMPORT = "import", _("Imported")
    CARRIER = "carrier", _("Carrier push")


class TrackingEvent(models.Model):
    """A point on the way: when, where, what (S3.2)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="tracking")
    occurred_at = models.DateTimeField(_("time"))
    location = models.CharField(_("location"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=200)
    is_exception = models.BooleanField(_("exception"), default=False)
    source = models.CharField(_("source"), max_length=20, choices=TrackingSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.occurred_at:%Y-%m-%d %H:%M} {self.description}"


class OneTimeLink(BaseModel):
    """A customer link for receipt confirmation or a survey: unguessable, expiring, used once."""

    class Purpose(models.TextChoices):
        RECEIPT = "receipt", _("Receipt confirmation")
        SURVEY = "survey", _("Satisfaction survey")

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.purpose}"


class SurveyResponse(models.Model):
    """Scores 1–5 for product quality, delivery timeliness and service (S4.3)."""

    shipment = models.OneToOneField(Shipment, on_delete=models.PROTECT, related_name="survey")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="survey_responses"
    )
    quality = models.PositiveSmallIntegerField(_("product quality"))
    timeliness = models.PositiveSmallIntegerField(_("delivery timeliness"))
    service = models.PositiveSmallIntegerField(_("service"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(quality__range=(1, 5), timeliness__range=(1, 5), service__range=(1, 5)),
                name="shipping_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.quality}/{self.timeliness}/{self.service}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Outcome(models.TextChoices):
    REPLACEMENT = "replacement", _("Replacement")
    RETURN = "return", _("Return")
    CREDIT = "credit", _("Credit note")
    EXPLANATION = "explanation", _("Explained, no action")


class Complaint(BaseModel):
    """A quality problem or objection, routed to a department and resolved (S4.2)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="complaints")
    line = models.ForeignKey(
        ShipmentLine, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    description = models.TextField(_("description"))
    role = models.CharField(_("department"), max_length=30)
    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status}"
