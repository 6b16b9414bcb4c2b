"""Invoices from shipped lines or imported from the finance system, payments and their
allocation to invoices (U1, U6, O2.1)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from salesdesk.catalog.models import QUANTITY
from salesdesk.core.models import BaseModel

MONEY = {"max_digits": 16, "decimal_places": 2}


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOIDED = "voided", _("Voided")


class Invoice(BaseModel):
    """A receivable document; voided with a reason, never deleted (U1, U6, U7)."""

    number = models.CharField(_("invoice number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("customer"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("order"),
    )
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    net_amount = models.DecimalField(_("net amount"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), **MONEY)
    gross_amount = models.DecimalField(_("total incl. tax"), **MONEY)
    # Kept equal to the sum of the allocations, under the invoice's row lock.
    paid_amount = models.DecimalField(_("paid"), **MONEY, default=Decimal(0))
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    is_imported = models.BooleanField(_("imported"), default=False)
    external_reference = models.CharField(
        _("finance system reference"), max_length=60, blank=True, db_index=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-pk"]
        permissions = [
            ("void_invoice", _("Can void invoices")),
            ("import_invoice", _("Can import invoices")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_amount__gte=0, tax_amount__gte=0, gross_amount__gte=0),
                name="finance_invoice_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0, paid_amount__lte=F("gross_amount")),
                name="finance_invoice_paid_within_gross",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["customer", "issue_date"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self) -> Decimal:
        if self.status == InvoiceStatus.VOIDED:
            return Decimal("0.00")
        return self.gross_amount - self.paid_amount


class InvoiceLine(models.Model):
    """What one invoice bills: a shipped quantity of an order line, or an imported amount."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    shipment_line = models.ForeignKey(
        "shipping.ShipmentLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    net_amount = models.DecimalField(_("net"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), **MONEY)
    gross_amount = models.DecimalField(_("gross"), **MONEY)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="finance_line_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.description}"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    ACCEPTANCE_BILL = "acceptance_bill", _("Acceptance bill (承兌匯票)")
    OTHER = "other", _("Other")


class Payment(BaseModel):
    """Money received from a customer, allocated to its invoices (U1, U6)."""

    number = models.CharField(_("payment number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("customer"),
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    # Kept equal to the sum of the allocations, under the payment's row lock.
    allocated_amount = models.DecimalField(_("allocated"), **MONEY, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    is_imported = models.BooleanField(_("imported"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("allocate_payment", _("Can allocate payments to invoices")),
            ("import_payment", _("Can import payments")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_payment_positive"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0, allocated_amount__lte=F("amount")),
                name="finance_payment_allocated_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["customer", "received_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def unallocated_amount(self) -> Decimal:
        return self.amount - self.allocated_amount


class PaymentAllocation(models.Model):
    """Part of a payment settling part of an invoice; never more than either has open."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), **MONEY)
    created_at = models.DateTimeField(_("allocated at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.invoice_id} {self.amount}"
