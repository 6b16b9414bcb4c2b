"""Work orders: an order's work allocated to a department's queue (O2.3, O3.1, O4.1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.catalog.models import QUANTITY, Product
from salesdesk.core.models import BaseModel


class WorkKind(models.TextChoices):
    PRODUCTION = "production", _("Production")
    PURCHASE = "purchase", _("Purchase")
    REPLENISHMENT_INQUIRY = "replenishment_inquiry", _("Replenishment inquiry")
    PICKING = "picking", _("Picking")
    QUALITY_INSPECTION = "quality_inspection", _("Quality inspection")
    COMPLAINT = "complaint", _("Complaint handling")


class WorkStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


# The role whose members work a kind of work order (their department's queue).
ROLE_FOR_KIND = {
    WorkKind.PRODUCTION: "production",
    WorkKind.PURCHASE: "purchasing",
    WorkKind.PICKING: "warehouse",
    WorkKind.QUALITY_INSPECTION: "quality",
}


class WorkOrder(BaseModel):
    """A request to one department with a need-by date, answered with a promised date."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=WorkKind.choices)
    role = models.CharField(_("department role"), max_length=30, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.OPEN
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("order"),
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, null=True, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    instructions = models.TextField(_("instructions"), blank=True)
    result_note = models.TextField(_("result"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("assignee"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["needed_by", "created_at"]
        permissions = [("work_workorder", _("Can work on the department's work orders"))]
        indexes = [models.Index(fields=["role", "status", "needed_by"])]

    def __str__(self) -> str:
        return self.number
