"""Fast cell parsers for the history import (A1.1): dates, decimals, rates, bounded text.

Each returns the parsed value or raises `BadCell` with the message; the importers turn it into
a `RowError` naming the column. Parsed dates are cached: three years of history have about a
thousand distinct days, parsed once each.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
# Amounts stored with 18 digits, 2 places (SalesFact.revenue); keep well inside.
MAX_AMOUNT = Decimal(10) ** 15


class BadCell(Exception):
    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))


_DATES: dict[str, date] = {}
_ISO: dict[str, str] = {}
# Plain numbers as spreadsheets and exports write them: parsed without further checks.
_PLAIN = {places: re.compile(rf"\d{{1,15}}(\.\d{{0,{places}}})?").fullmatch for places in (2, 3, 4)}
_RATES: dict[str, Decimal | None] = {}


def parse_date(text: str) -> date:
    """`YYYY-MM-DD` (also `YYYY/MM/DD`, or with a time after it, as spreadsheets write)."""
    value = _DATES.get(text)
    if value is not None:
        return value
    cleaned = text.split(" ", 1)[0].split("T", 1)[0].replace("/", "-")
    try:
        year, month, day = (int(part) for part in cleaned.split("-"))
        value = date(year, month, day)
    except ValueError:
        raise BadCell(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]}) from None
    if len(_DATES) < 100_000:
        _DATES[text] = value
    return value


def parse_optional_date(text: str) -> date | None:
    return parse_date(text) if text else None


def iso_date(text: str) -> str:
    """The date as `YYYY-MM-DD` text (what both databases take for a date column); cached."""
    value = _ISO.get(text)
    if value is None:
        value = parse_date(text).isoformat()
        if len(_ISO) < 100_000:
            _ISO[text] = value
    return value


def parse_decimal(text: str, *, minimum: Decimal | None = ZERO, places: int = 4) -> Decimal:
    """A finite number ≥ minimum with at most `places` decimals (thousands commas allowed)."""
    if minimum == ZERO and _PLAIN[places](text):
        return Decimal(text)
    if "," in text:
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadCell(_("“%(value)s” is not a number.") % {"value": text[:40]}) from None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise BadCell(_("“%(value)s” is not a number.") % {"value": text[:40]})
    if minimum is not None and value < minimum:
        raise BadCell(_("Must be at least %(minimum)s.") % {"minimum": minimum})
    if value.as_tuple().exponent < -places:  # type: ignore[operator]
        raise BadCell(_("At most %(places)s decimal places.") % {"places": places})
    return value


def parse_rate(text: str, default: Decimal | None = ZERO) -> Decimal | None:
    """A fraction from 0 to 1 such as 0.05; empty gives `default`."""
    if not text:
        return default
    value = _RATES.get(text)
    if value is not None:
        return value
    value = parse_decimal(text, places=4)
    if value > ONE:
        raise BadCell(_("A rate is a fraction from 0 to 1, such as 0.05."))
    if len(_RATES) < 10_000:
        _RATES[text] = value
    return value


def parse_positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0 or value > 2_000_000_000:
        raise BadCell(_("A whole number from 1 up."))
    return value


def bounded(text: str, max_length: int, *, required: bool = False) -> str:
    if not text:
        if required:
            raise BadCell(_("This value is required."))
        return ""
    if len(text) > max_length:
        raise BadCell(_("At most %(count)s characters.") % {"count": max_length})
    return text
