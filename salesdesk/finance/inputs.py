"""Validate finance input (U1, U6): every error names its field; the services and the
importers use the same checks."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed
from salesdesk.core.money import quantize_money
from salesdesk.finance.models import PaymentMethod

REQUIRED = _("This field is required.")


class Errors:
    """Problems per field, raised together as one ValidationFailed."""

    def __init__(self) -> None:
        self.fields: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: Any = None) -> None:
        if self.fields:
            raise ValidationFailed.from_fields(
                message or _("Please correct the marked fields."), self.fields
            )


def clean_text(value: Any, field: str, errors: Errors, *, max_length: int, required=False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.add(field, REQUIRED)
    if len(text) > max_length:
        errors.add(field, _("At most %(n)s characters.") % {"n": max_length})
    return text


def clean_amount(
    value: Any, field: str, errors: Errors, *, allow_zero: bool = False
) -> Decimal | None:
    """A money amount with at most two decimals: above zero (or zero when allowed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add(field, REQUIRED)
        return None
    if isinstance(value, float):
        raise TypeError("money must be Decimal, int or str, never float")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if not amount.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    if amount != quantize_money(amount):
        errors.add(field, _("Enter an amount with at most two decimals."))
        return None
    if amount < 0 or (amount == 0 and not allow_zero):
        errors.add(field, _("Enter an amount above zero."))
        return None
    return quantize_money(amount)


def clean_past_date(value: Any, field: str, errors: Errors, *, required=True) -> date | None:
    """A date that is today or earlier: money is never received or invoiced in the future."""
    if value in (None, ""):
        if required:
            errors.add(field, REQUIRED)
        return None
    parsed = value if isinstance(value, date) else parse_date(str(value).strip()[:10])
    if parsed is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None
    if parsed > timezone.localdate():
        errors.add(field, _("The date must not be in the future."))
    return parsed


def clean_payment(data: dict) -> dict:
    """Amount above zero, a received date not in the future, a known method (U6)."""
    errors = Errors()
    method = str(data.get("method") or "").strip()
    if method not in PaymentMethod.values:
        errors.add("method", _("Choose a payment method."))
    cleaned = {
        "amount": clean_amount(data.get("amount"), "amount", errors),
        "received_on": clean_past_date(data.get("received_on"), "received_on", errors),
        "method": method,
        "reference": clean_text(data.get("reference"), "reference", errors, max_length=60),
        "notes": clean_text(data.get("notes"), "notes", errors, max_length=2000),
    }
    errors.raise_if_any()
    return cleaned


def clean_allocations(pairs: Any) -> dict[int, Decimal]:
    """[(invoice id, amount), …] → {invoice id: amount}; repeated invoices add up."""
    errors = Errors()
    wanted: dict[int, Decimal] = {}
    for index, pair in enumerate(pairs or [], start=1):
        field = f"allocations.{index}"
        try:
            invoice_id, raw = pair
            invoice_id = int(invoice_id)
        except (TypeError, ValueError):
            errors.add(field, _("Give an invoice and an amount."))
            continue
        amount = clean_amount(raw, field, errors)
        if amount is not None:
            wanted[invoice_id] = wanted.get(invoice_id, Decimal(0)) + amount
    errors.raise_if_any(_("Check the allocations."))
    return wanted
