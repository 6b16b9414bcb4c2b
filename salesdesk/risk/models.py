"""Risk register, contingency activations and customer credit scores (R1.1, R1.2, R2.2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel


class RiskCategory(models.TextChoices):
    CUSTOMER_CREDIT = "customer_credit", _("Customer credit")
    ORDER_EXECUTION = "order_execution", _("Order execution")
    CONTRACT_LEGAL = "contract_legal", _("Contract and legal")
    DATA_SECURITY = "data_security", _("Data security")
    OTHER = "other", _("Other")


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ASSESSED = "assessed", _("Assessed")
    TREATED = "treated", _("Treated")
    MONITORED = "monitored", _("Monitored")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


LEVEL_ORDER = {level: rank for rank, level in enumerate(RiskLevel.values)}


class Risk(BaseModel):
    """One identified risk with owner, linked record, assessment and plans (R1.1, R1.2, R2.2)."""

    number = models.CharField(_("risk number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_risks",
        verbose_name=_("owner"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("customer"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("order"),
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("contract"),
    )
    shipment = models.ForeignKey(
        "shipping.Shipment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("shipment"),
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    response_plan = models.TextField(_("response plan"), blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_risks", _("Can see every risk")),
            ("manage_risk", _("Can edit and move every risk")),
        ]
        indexes = [
            models.Index(fields=["status", "level"]),
            models.Index(fields=["likelihood", "impact"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ContingencyActivation(models.Model):
    """A contingency plan put into action: who, when and what was done (R2.2)."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="activations")
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(_("activated at"))
    note = models.TextField(_("note"))
    plan = models.TextField(_("plan as activated"))

    class Meta:
        verbose_name = _("contingency activation")
        verbose_name_plural = _("contingency activations")
        ordering = ["-activated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.activated_at:%Y-%m-%d}"


class CreditScore(models.Model):
    """A customer's credit score with the inputs it came from; history is kept (R1.2)."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="credit_scores"
    )
    score = models.PositiveSmallIntegerField(_("credit score"))
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    inputs = models.JSONField(_("inputs"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("credit score")
        verbose_name_plural = _("credit scores")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["customer", "-computed_at"])]
        permissions = [("recompute_credit_score", _("Can recompute credit scores"))]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.score}"
