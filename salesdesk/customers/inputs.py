"""Validate customer and contact input at the boundary (C1.4); every error names its field."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import User
from salesdesk.core.errors import ValidationFailed
from salesdesk.customers import rules
from salesdesk.customers.models import (
    Country,
    Customer,
    CustomerKind,
    IntentionLevel,
    LegalBasis,
    Potential,
    TaxIdKind,
)
from salesdesk.customers.validators import check_tax_id, parse_phone

CUSTOMER_FIELDS = (
    "kind",
    "legal_name",
    "short_name",
    "tax_id",
    "tax_id_override_reason",
    "country",
    "province",
    "city",
    "district",
    "street",
    "postal_code",
    "business_scope",
    "industry",
    "potential",
    "annual_capacity",
    "intention_level",
    "intention_note",
    "source",
    "source_note",
    "owner",
)
CONTACT_FIELDS = (
    "name",
    "title",
    "mobile",
    "phone",
    "email",
    "is_decision_maker",
    "is_influencer",
    "is_primary",
    "legal_basis",
    "consent_note",
    "purpose",
    "retain_until",
    "source",
)
REQUIRED = _("This field is required.")


class Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[Any]] = {}
        self.codes: dict[str, str] = {}

    def add(self, field: str, message: Any) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: Any = None) -> None:
        if self.fields:
            error = ValidationFailed.from_fields(
                message or _("Please correct the marked fields."), self.fields
            )
            codes = {k: v for k, v in self.codes.items() if k in self.fields}
            if codes:
                error.extra["codes"] = codes
            raise error

    def code(self, field: str, code: str) -> None:
        self.codes[field] = code


def _text(data: dict, field: str, errors: Errors, *, max_length: int, required=False) -> str:
    value = data.get(field)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.add(field, REQUIRED)
    if len(value) > max_length:
        errors.add(field, _("At most %(n)s characters.") % {"n": max_length})
    return value


def _choice(data: dict, field: str, choices, errors: Errors, default: str) -> str:
    value = str(data.get(field) or default).strip()
    if value not in {c for c, _label in choices}:
        errors.add(field, _("“%(value)s” is not one of the allowed values.") % {"value": value})
    return value


def _tax_id(data: dict, cleaned: dict, errors: Errors) -> None:
    raw = _text(data, "tax_id", errors, max_length=30)
    reason = _text(data, "tax_id_override_reason", errors, max_length=200)
    cleaned["tax_id_override_reason"] = reason
    if not raw:
        cleaned["tax_id"], cleaned["tax_id_kind"] = "", TaxIdKind.NONE
        return
    result = check_tax_id(raw, cleaned.get("country", ""))
    cleaned["tax_id"], cleaned["tax_id_kind"] = result.normalized, result.kind
    if not result.well_formed:
        errors.add(
            "tax_id",
            _(
                "Not a valid unified social credit code (18 characters, no I, O, "
                "S, V, Z) or Taiwan business number (8 digits)."
            ),
        )
        errors.code("tax_id", "malformed_tax_id")
    elif not result.checksum_ok and not reason:
        errors.add(
            "tax_id",
            _(
                "The check digit does not match. If the code is right as "
                "registered, give a reason to accept it."
            ),
        )
        errors.code("tax_id", "tax_id_checksum")


def _owner(data: dict, errors: Errors, actor: User) -> User | None:
    value = data.get("owner")
    if value in (None, ""):
        return actor
    if isinstance(value, User):
        owner = value
    else:
        lookup = {"pk": value} if str(value).isdigit() else {"username": value}
        owner = User.objects.filter(is_active=True, **lookup).first()
    if owner is None or not owner.is_active or not owner.has_perm("customers.add_customer"):
        errors.add("owner", _("Choose an active salesperson or sales admin."))
        return None
    return owner


def clean_customer(data: dict, *, actor: User, instance: Customer | None = None) -> dict:
    """Cleaned customer fields merged over `instance`, or ValidationFailed naming each field."""
    if instance is not None:
        base = {f: getattr(instance, f) for f in CUSTOMER_FIELDS if f != "owner"}
        base["owner"] = instance.owner
        data = {**base, **{k: v for k, v in data.items() if k in CUSTOMER_FIELDS}}
    errors = Errors()
    unknown = sorted(set(data) - set(CUSTOMER_FIELDS))
    for field in unknown:
        errors.add(field, _("Unknown field."))
    cleaned: dict[str, Any] = {
        "kind": _choice(data, "kind", CustomerKind.choices, errors, ""),
        "legal_name": _text(data, "legal_name", errors, max_length=200, required=True),
        "short_name": _text(data, "short_name", errors, max_length=60),
        "country": _choice(data, "country", Country.choices, errors, Country.CN),
        "potential": _choice(data, "potential", Potential.choices, errors, Potential.UNKNOWN),
        "intention_level": _choice(
            data, "intention_level", IntentionLevel.choices, errors, IntentionLevel.NONE
        ),
        "source": _choice(data, "source", rules.source_choices(), errors, ""),
        "owner": _owner(data, errors, actor),
    }
    for field, length in (
        ("province", 40),
        ("city", 40),
        ("district", 40),
        ("street", 200),
        ("postal_code", 12),
        ("industry", 60),
        ("source_note", 200),
    ):
        cleaned[field] = _text(data, field, errors, max_length=length)
    for field in ("business_scope", "intention_note"):
        cleaned[field] = _text(data, field, errors, max_length=4000)
    _tax_id(data, cleaned, errors)
    cleaned["annual_capacity"] = _decimal(data, "annual_capacity", errors)
    if cleaned["kind"] == CustomerKind.ENTERPRISE and not (cleaned["province"] or cleaned["city"]):
        errors.add("city", _("An enterprise needs at least a province or a city."))
    errors.raise_if_any()
    return cleaned


def _decimal(data: dict, field: str, errors: Errors) -> Decimal | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if number < 0 or number >= Decimal("1e14"):
        errors.add(field, _("Enter an amount from 0 to 99,999,999,999,999."))
        return None
    return number.quantize(Decimal("0.01"))


def _bool(data: dict, field: str) -> bool:
    value = data.get(field)
    return value is True or str(value).strip().lower() in {"1", "true", "yes", "on", "y", "是"}


def clean_contact(data: dict, *, instance=None) -> dict:
    """Cleaned contact fields; phones stored in E.164 so search and display agree."""
    if instance is not None:
        data = {**{f: getattr(instance, f) for f in CONTACT_FIELDS}, **data}
    errors = Errors()
    cleaned: dict[str, Any] = {
        "name": _text(data, "name", errors, max_length=100, required=True),
        "title": _text(data, "title", errors, max_length=60),
        "consent_note": _text(data, "consent_note", errors, max_length=200),
        "purpose": _text(data, "purpose", errors, max_length=200),
        "source": _text(data, "source", errors, max_length=100),
        "legal_basis": _choice(
            data, "legal_basis", LegalBasis.choices, errors, LegalBasis.LEGITIMATE_INTEREST
        ),
    }
    for field in ("is_decision_maker", "is_influencer", "is_primary"):
        cleaned[field] = _bool(data, field)
    for field in ("mobile", "phone"):
        raw = _text(data, field, errors, max_length=40)
        parsed = parse_phone(raw) if raw else ""
        if raw and parsed is None:
            errors.add(
                field,
                _(
                    "Not a valid phone number for mainland China, Taiwan or Hong "
                    "Kong; use +country code for others."
                ),
            )
        cleaned[field] = parsed or ""
    email = _text(data, "email", errors, max_length=254).lower()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.add("email", _("Enter a valid e-mail address."))
    cleaned["email"] = email
    cleaned["retain_until"] = data.get("retain_until") or None
    errors.raise_if_any()
    return cleaned


def clean_credit(data: dict, *, instance: Customer) -> dict:
    """Credit settings: grade, limit, default payment terms, block with a reason (O2.1, O2.2)."""
    from salesdesk.core import policies
    from salesdesk.customers.models import CustomerGrade

    data = {
        **{
            f: getattr(instance, f)
            for f in (
                "grade",
                "credit_limit",
                "default_payment_terms",
                "is_blocked",
                "blocked_reason",
            )
        },
        **data,
    }
    errors = Errors()
    cleaned = {
        "grade": _choice(data, "grade", CustomerGrade.choices, errors, CustomerGrade.B),
        "credit_limit": _decimal(data, "credit_limit", errors),
        "is_blocked": _bool(data, "is_blocked"),
        "blocked_reason": _text(data, "blocked_reason", errors, max_length=200),
    }
    terms = str(data.get("default_payment_terms") or "").strip()
    if terms and terms not in policies.value("orders.payment_terms"):
        errors.add("default_payment_terms", _("Not one of the company's payment terms."))
    cleaned["default_payment_terms"] = terms
    if cleaned["is_blocked"] and not cleaned["blocked_reason"]:
        errors.add("blocked_reason", _("Say why the customer is blocked."))
    errors.raise_if_any()
    return cleaned
