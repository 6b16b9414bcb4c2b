"""Money and tax in Decimal, quantised at defined points (U3, STYLE rule 10).

Floats are refused with TypeError: a float has already lost the cents. The rounding rules
and the rules for amounts in Chinese capitals are explained in docs/money-and-numbering.md.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed

DEFAULT_TAX_RATE = Decimal("0.13")
MONEY_PLACES = 2
RATE_PLACES = 4
# Unit prices derived from the other side of the tax (net <-> gross) keep four places.
PRICE_PLACES = 4
ZERO = Decimal("0.00")
ONE = Decimal(1)
WORDS_LIMIT = Decimal(10) ** 16


def to_decimal(value: Any, *, field: str | None = None) -> Decimal:
    """A Decimal from a str, int or Decimal; blanks and garbage raise ValidationFailed."""
    if isinstance(value, float):
        raise TypeError("money and rates must be Decimal, int or str, never float")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | None):
        raise TypeError(f"cannot read a number from {type(value).__name__}")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _field_error(_("Enter a number."), field, "required")
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise _field_error(_("Enter a valid number."), field, "invalid_number") from None
    if not number.is_finite():
        raise _field_error(_("Enter a valid number."), field, "invalid_number")
    return number


def _field_error(message: Any, field: str | None, code: str) -> ValidationFailed:
    extra = {"field": field, "fields": {field: [str(message)]}} if field else {}
    return ValidationFailed(message, code=code, extra=extra)


def quantize_money(value: Any, places: int = MONEY_PLACES) -> Decimal:
    """Round half up (0.005 -> 0.01) to `places` decimal places."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def quantize_rate(value: Any) -> Decimal:
    """A tax or discount rate as stored: four places, half up."""
    return quantize_money(value, RATE_PLACES)


def default_currency() -> str:
    """The ISO 4217 code from SALESDESK_CURRENCY (CNY unless configured)."""
    return settings.CURRENCY


def format_money(amount: Any, currency: str | None = None) -> str:
    """`CNY 1,234.50`: two places, thousand separators; currency "" gives the bare number."""
    value = quantize_money(to_decimal(amount, field="amount"))
    if not value:
        value = abs(value)
    code = default_currency() if currency is None else currency
    number = f"{value:,.2f}"
    return f"{code} {number}" if code else number


def _rate(value: Any, field: str) -> Decimal:
    rate = to_decimal(value, field=field)
    if not ZERO <= rate < ONE:
        raise _field_error(
            _("Enter a rate from 0 up to but not including 1."), field, "invalid_rate"
        )
    return rate


def tax_of_net(net: Any, rate: Any) -> Decimal:
    """The tax on a net amount: round(net × rate)."""
    return quantize_money(to_decimal(net, field="net") * _rate(rate, "tax_rate"))


def gross_from_net(net: Any, rate: Any) -> Decimal:
    """round(net) + round(net × rate), so that net + tax == gross exactly."""
    net_amount = quantize_money(to_decimal(net, field="net"))
    return net_amount + tax_of_net(net_amount, rate)


def net_from_gross(gross: Any, rate: Any) -> Decimal:
    """round(gross / (1 + rate)); the tax is then gross − net."""
    return quantize_money(to_decimal(gross, field="gross") / (ONE + _rate(rate, "tax_rate")))


@dataclass(frozen=True)
class LineAmounts:
    """One document line split into net, tax and gross; net + tax == gross always (U3)."""

    net: Decimal
    tax: Decimal
    gross: Decimal
    unit_price_net: Decimal
    unit_price_gross: Decimal


def line_amounts(
    *,
    quantity: Any,
    unit_price: Any,
    tax_rate: Any,
    discount_rate: Any = 0,
    price_includes_tax: bool = False,
) -> LineAmounts:
    """Compute the line total first, then split it into net and tax (U3)."""
    qty, price, rate, discount = _line_inputs(quantity, unit_price, tax_rate, discount_rate)
    total = quantize_money(qty * price * (ONE - discount))
    if price_includes_tax:
        gross = total
        net = quantize_money(gross / (ONE + rate))
        tax = gross - net
        unit_gross, unit_net = price, quantize_money(price / (ONE + rate), PRICE_PLACES)
    else:
        net = total
        tax = quantize_money(net * rate)
        gross = net + tax
        unit_net, unit_gross = price, quantize_money(price * (ONE + rate), PRICE_PLACES)
    return LineAmounts(
        net=net, tax=tax, gross=gross, unit_price_net=unit_net, unit_price_gross=unit_gross
    )


def _line_inputs(*raw: Any) -> tuple[Decimal, ...]:
    """Parse and check all four inputs, reporting every bad field at once."""
    names = ("quantity", "unit_price", "tax_rate", "discount_rate")
    rules = {
        "quantity": (lambda d: d > 0, _("The quantity must be greater than 0.")),
        "unit_price": (lambda d: d >= 0, _("The unit price may not be negative.")),
        "tax_rate": (lambda d: 0 <= d < 1, _("The tax rate must be from 0 up to 1.")),
        "discount_rate": (lambda d: 0 <= d < 1, _("The discount must be from 0 up to 1.")),
    }
    values: list[Decimal] = []
    errors: dict[str, list[Any]] = {}
    for name, value in zip(names, raw, strict=True):
        try:
            number = to_decimal(value, field=name)
        except ValidationFailed as exc:
            errors[name] = [exc.message]
            continue
        check, message = rules[name]
        if not check(number):
            errors[name] = [message]
        values.append(number)
    if errors:
        raise ValidationFailed.from_fields(_("Check the line's amounts."), errors)
    return tuple(values)


def document_totals(lines: Any) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of a document: the sums of its lines, never recomputed (U3)."""
    net = tax = gross = ZERO
    for line in lines:
        net += line.net
        tax += line.tax
        gross += line.gross
    return net, tax, gross


_CAPITALS = {
    "hant": {"digits": "零壹貳叁肆伍陸柒捌玖", "wan": "萬", "yi": "億", "minus": "負"},
    "hans": {"digits": "零壹贰叁肆伍陆柒捌玖", "wan": "万", "yi": "亿", "minus": "负"},
}
_SMALL_UNITS = ("", "拾", "佰", "仟")


def amount_in_words(amount: Any, variant: str = "hant") -> str:
    """The amount in Chinese financial capitals (大寫金額) for documents (U3)."""
    try:
        words = _CAPITALS[variant]
    except KeyError:
        raise ValueError(f"unknown variant {variant!r}: use 'hant' or 'hans'") from None
    value = quantize_money(to_decimal(amount, field="amount"))
    if abs(value) >= WORDS_LIMIT:
        raise ValueError("amounts in words must be below 10^16")
    digits = words["digits"]
    if not value:
        return digits[0] + "元整"
    yuan, fraction = divmod(int(abs(value) * 100), 100)
    jiao, fen = divmod(fraction, 10)
    parts = [words["minus"] if value < 0 else ""]
    if yuan:
        parts.append(_integer_words(yuan, words) + "元")
    if jiao:
        parts.append(digits[jiao] + "角")
    elif yuan and fen:
        parts.append(digits[0])
    if fen:
        parts.append(digits[fen] + "分")
    if not fraction:
        parts.append("整")
    return "".join(parts)


def _integer_words(number: int, words: dict[str, str]) -> str:
    """A positive whole number: 億 and 萬 split it; a lower part with a leading gap gets 零."""
    zero = words["digits"][0]
    for size, unit in ((10**8, words["yi"]), (10**4, words["wan"])):
        if number >= size:
            high, low = divmod(number, size)
            text = _integer_words(high, words) + unit
            if low:
                text += (zero if low < size // 10 else "") + _integer_words(low, words)
            return text
    return _four_digits(number, words["digits"])


def _four_digits(number: int, digits: str) -> str:
    """1..9999: inner zeros collapse to one 零, trailing zeros are dropped, 拾 keeps 壹."""
    out: list[str] = []
    gap = False
    for position in (3, 2, 1, 0):
        digit = number // 10**position % 10
        if not digit:
            gap = bool(out)
            continue
        if gap:
            out.append(digits[0])
            gap = False
        out.append(digits[digit] + _SMALL_UNITS[position])
    return "".join(out)
