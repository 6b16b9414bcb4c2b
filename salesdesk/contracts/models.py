"""Contracts: drafts from templates, countersign reviews, signing, originals, supplements,
obligations and breaches (K1–K4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel
from salesdesk.customers.models import Customer

MONEY = {"max_digits": 16, "decimal_places": 2}


class ContractType(BaseModel):
    """A kind of contract with its HTML template; placeholders like {{ customer.legal_name }}."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    template = models.TextField(_("template"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contract type")
        verbose_name_plural = _("contract types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ContractStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SIGNING = "signing", _("Signing")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")
    VOIDED = "voided", _("Voided")


class SigningMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    MAIL = "mail", _("By mail")
    ELECTRONIC = "electronic", _("Electronic")


class Contract(BaseModel):
    """A sales contract (or a supplementary agreement to one) and its lifecycle (K1–K4)."""

    number = models.CharField(_("contract number"), max_length=30, unique=True)
    contract_type = models.ForeignKey(
        ContractType, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("type")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("customer")
    )
    orders = models.ManyToManyField(
        "orders.Order", blank=True, related_name="contracts", verbose_name=_("orders")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplements",
        verbose_name=_("amends contract"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    amount = models.DecimalField(_("amount incl. tax"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    payment_terms = models.CharField(_("payment terms"), max_length=30, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFTING
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    review_round = models.PositiveIntegerField(_("review round"), default=0)
    signing_method = models.CharField(
        _("signing method"), max_length=20, blank=True, choices=SigningMethod.choices
    )
    esign_provider = models.CharField(_("e-signature provider"), max_length=60, blank=True)
    esign_reference = models.CharField(_("envelope reference"), max_length=100, blank=True)
    originals = models.PositiveSmallIntegerField(_("number of originals"), default=2)
    original_due_on = models.DateField(_("customer's original due back"), null=True, blank=True)
    original_received_at = models.DateTimeField(
        _("customer's original received"), null=True, blank=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drafted_contracts",
        verbose_name=_("drafter"),
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at"]
        permissions = [
            ("draft_contract", _("Can draft contracts")),
            ("review_contract", _("Can review contracts")),
            ("sign_contract", _("Can record contract signing")),
            ("end_contract", _("Can terminate or void contracts")),
            ("view_all_contracts", _("Can see every contract")),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            models.Index(fields=["customer", "signed_on"]),
        ]

    def __str__(self) -> str:
        return self.number


class ContractVersion(models.Model):
    """Every saved change of the text while drafting, with its diff (K1.1, K3.1)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    amount = models.DecimalField(_("amount"), **MONEY)
    diff = models.TextField(_("changes"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contracts_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} v{self.number}"


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


class ContractReview(BaseModel):
    """One reviewer's part of the countersign (會簽) in one round (K1.2)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveIntegerField(_("round"))
    role = models.CharField(_("reviewing role"), max_length=30)
    decision = models.CharField(
        _("decision"), max_length=20, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version reviewed"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")
        ordering = ["contract", "round", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "round", "role"], name="contracts_review_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} r{self.round} {self.role} {self.decision}"


class Party(models.TextChoices):
    COMPANY = "company", _("Our company")
    CUSTOMER = "customer", _("Customer")


class Signature(models.Model):
    """Who signed and sealed for each party, and when (K2.1, K2.2)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    signatory = models.CharField(_("signatory"), max_length=100)
    title = models.CharField(_("title"), max_length=60, blank=True)
    seal = models.CharField(_("seal"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"))
    originals_held = models.PositiveSmallIntegerField(_("originals held"), default=1)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "party"], name="contracts_one_signature_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.party} {self.signatory}"


class ObligationKind(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    PAYMENT = "payment", _("Payment")
    OTHER = "other", _("Other")


class Obligation(BaseModel):
    """Something a party must do by a date under the contract (K4.1)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="obligations")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ObligationKind.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    due_on = models.DateField(_("due on"))
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    responsible_role = models.CharField(_("responsible department"), max_length=30)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alerted_at = models.DateTimeField(_("overdue alert sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(fulfilled_on__isnull=True),
                name="contracts_open_obligations",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind} {self.due_on}"


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Breach(BaseModel):
    """A breach of contract by one party, the remedy sought and its outcome (K4.2)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="breaches")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, null=True, blank=True, related_name="breaches"
    )
    description = models.TextField(_("description"))
    remedy = models.TextField(_("remedy"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.party}"
