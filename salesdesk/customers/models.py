"""Customers, their contacts, ship-to addresses, invoicing details and data sharing (C1–C3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.core.fields import EncryptedTextField, KeyedHashField
from salesdesk.core.models import BaseModel

PHONE_NORMALIZER = "salesdesk.core.crypto.normalize_phone"
EMAIL_NORMALIZER = "salesdesk.core.crypto.normalize_email"
NAME_NORMALIZER = "salesdesk.customers.validators.fold"


class CustomerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual")


class CustomerStage(models.TextChoices):
    POTENTIAL = "potential", _("Potential")
    INTENTIONAL = "intentional", _("Intentional")
    SIGNED = "signed", _("Signed")
    DORMANT = "dormant", _("Dormant")
    LOST = "lost", _("Lost")


class Potential(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Unknown")


class IntentionLevel(models.TextChoices):
    STRONG = "strong", _("Strong")
    MEDIUM = "medium", _("Medium")
    WEAK = "weak", _("Weak")
    NONE = "none", _("None yet")


class TaxIdKind(models.TextChoices):
    USCC = "uscc", _("Unified social credit code")
    TW_UBN = "tw_ubn", _("Taiwan business number (統一編號)")
    NONE = "", _("None")


class Country(models.TextChoices):
    CN = "CN", _("Mainland China")
    TW = "TW", _("Taiwan")
    HK = "HK", _("Hong Kong")
    MO = "MO", _("Macau")
    OTHER = "XX", _("Other")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


class CustomerGrade(models.TextChoices):
    A = "A", _("A (strategic)")
    B = "B", _("B (regular)")
    C = "C", _("C (occasional)")
    D = "D", _("D (watch)")


class Customer(BaseModel):
    """A prospect or customer with classification, owner and cooperation stage (C1.1–C2.2)."""

    code = models.CharField(_("customer number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CustomerKind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    core_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    tax_id = models.CharField(_("tax ID"), max_length=20, blank=True)
    tax_id_kind = models.CharField(
        _("tax ID kind"), max_length=10, choices=TaxIdKind.choices, blank=True
    )
    tax_id_override_reason = models.CharField(
        _("reason to accept a failing check digit"), max_length=200, blank=True
    )
    country = models.CharField(
        _("country/region"), max_length=2, choices=Country.choices, default=Country.CN
    )
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    district = models.CharField(_("district"), max_length=40, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    # Sales region (華東, 北部 …) for analysis; filled by the history import (A1.1).
    region = models.CharField(_("sales region"), max_length=40, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True, db_index=True)
    potential = models.CharField(
        _("purchase potential"), max_length=10, choices=Potential.choices, default=Potential.UNKNOWN
    )
    annual_capacity = models.DecimalField(
        _("estimated annual purchasing capacity"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    intention_level = models.CharField(
        _("purchase intention"),
        max_length=10,
        choices=IntentionLevel.choices,
        default=IntentionLevel.NONE,
    )
    intention_note = models.TextField(_("intention notes"), blank=True)
    source = models.CharField(_("source"), max_length=40)
    source_note = models.CharField(_("source details"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_customers",
        verbose_name=_("owner"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=CustomerStage.choices, default=CustomerStage.POTENTIAL
    )
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    # Credit and compliance (O2.1, O2.2): set by finance; used by the order review.
    grade = models.CharField(
        _("customer grade"), max_length=1, choices=CustomerGrade.choices, default=CustomerGrade.B
    )
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no credit granted yet."),
    )
    default_payment_terms = models.CharField(_("default payment terms"), max_length=30, blank=True)
    opening_balance = models.DecimalField(
        _("opening receivable balance"), max_digits=16, decimal_places=2, default=0
    )
    is_blocked = models.BooleanField(_("blocked for new orders"), default=False)
    blocked_reason = models.CharField(_("reason for the block"), max_length=200, blank=True)
    completeness = models.PositiveSmallIntegerField(_("completeness %"), default=0)
    is_imported = models.BooleanField(_("imported"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        permissions = [
            ("view_all_customers", _("Can see every customer")),
            ("view_team_customers", _("Can see the team's customers")),
            ("reveal_contact", _("Can reveal contact details")),
            ("export_customer", _("Can export customer lists")),
            ("import_customer", _("Can import customers")),
            ("transfer_customer", _("Can change a customer's owner")),
            ("qualify_customer", _("Can change a customer's stage")),
            ("erase_contact", _("Can erase a person's data")),
            ("share_customer", _("Can share customer data with outside parties")),
            ("change_credit", _("Can set credit limits, grades and blocks")),
            ("import_history", _("Can import sales history")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_id"], condition=~Q(tax_id=""), name="customers_unique_tax_id"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["stage", "kind"]),
            models.Index(fields=["country", "province", "city"]),
            models.Index(fields=["last_verified_at"]),
        ]

    def __str__(self) -> str:
        return self.short_name or self.legal_name

    @property
    def address(self) -> str:
        return "".join(p for p in (self.province, self.city, self.district, self.street) if p)


class Contact(BaseModel):
    """A person at a customer; name, phones and e-mail encrypted at rest (C1.2, C1.3, C3.1)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("customer")
    )
    name = EncryptedTextField(_("name"))
    name_hash = KeyedHashField(source="name", normalizer=NAME_NORMALIZER)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    mobile = EncryptedTextField(_("mobile"), blank=True)
    mobile_hash = KeyedHashField(source="mobile", normalizer=PHONE_NORMALIZER)
    phone = EncryptedTextField(_("office phone"), blank=True)
    phone_hash = KeyedHashField(source="phone", normalizer=PHONE_NORMALIZER)
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_hash = KeyedHashField(source="email", normalizer=EMAIL_NORMALIZER)
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    is_influencer = models.BooleanField(_("influencer"), default=False)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=30,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGITIMATE_INTEREST,
    )
    consent_note = models.CharField(_("consent or basis note"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose of processing"), max_length=200, blank=True)
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.customer} · {self.title or _('contact')} #{self.pk}"


class ShipToAddress(BaseModel):
    """A delivery address of a customer (C1.2)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("customer")
    )
    label = models.CharField(_("label"), max_length=60)
    recipient = EncryptedTextField(_("recipient"), blank=True)
    recipient_phone = EncryptedTextField(_("recipient phone"), blank=True)
    country = models.CharField(
        _("country/region"), max_length=2, choices=Country.choices, default=Country.CN
    )
    province = models.CharField(_("province"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    district = models.CharField(_("district"), max_length=40, blank=True)
    street = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ship-to address")
        verbose_name_plural = _("ship-to addresses")
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.province}{self.city}{self.district}{self.street}"


class InvoicingDetails(BaseModel):
    """開票信息: what finance prints on the customer's invoices (C1.2)."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, related_name="invoicing", verbose_name=_("customer")
    )
    invoice_title = models.CharField(_("invoice title"), max_length=200)
    tax_id = models.CharField(_("tax ID"), max_length=20, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=200, blank=True)
    registered_phone = models.CharField(_("registered phone"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = EncryptedTextField(_("bank account"), blank=True)

    class Meta:
        verbose_name = _("invoicing details")
        verbose_name_plural = _("invoicing details")

    def __str__(self) -> str:
        return self.invoice_title


class DataSharingAgreement(BaseModel):
    """An NDA with an outside party that allows sharing customer data within a scope (C3.4)."""

    recipient = models.CharField(_("recipient organisation"), max_length=200)
    scope = models.TextField(_("scope"))
    document = models.FileField(_("signed NDA"), upload_to="nda/%Y/%m/")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("revocation reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("data-sharing agreement")
        verbose_name_plural = _("data-sharing agreements")
        ordering = ["-valid_until"]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.valid_until:%Y-%m-%d})"
