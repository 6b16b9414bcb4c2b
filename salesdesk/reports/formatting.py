"""How pack figures are written in the PDF, the pages and the findings (A3.1).

Money with thousands separators and two decimals, ratios as percentages with one decimal,
changes of ratios in percentage points. One place, so the PDF, the page and a test agree.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DIMENSION_LABELS = {
    "region": gettext_lazy("region"),
    "category": gettext_lazy("category"),
    "salesperson": gettext_lazy("salesperson"),
    "customer": gettext_lazy("customer"),
    "product": gettext_lazy("product"),
    "channel": gettext_lazy("channel"),
    "ship_mode": gettext_lazy("ship mode"),
}
NONE = "—"


def decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money(value: Any) -> str:
    number = decimal(value)
    return NONE if number is None else f"{number:,.2f}"


def percent(value: Any) -> str:
    number = decimal(value)
    return NONE if number is None else f"{number * 100:.1f}%"


def points(value: Any) -> str:
    """A difference of two ratios, in percentage points with a sign."""
    number = decimal(value)
    return NONE if number is None else f"{number * 100:+.1f}"


def count(value: Any) -> str:
    number = decimal(value)
    return NONE if number is None else f"{number:,.0f}"


def score(value: Any) -> str:
    number = decimal(value)
    return NONE if number is None else f"{number:.2f}"


def growth(value: Any) -> str:
    """A growth rate with its sign: +12.5%."""
    number = decimal(value)
    return NONE if number is None else f"{number * 100:+.1f}%"


BY_UNIT = {"money": money, "ratio": percent, "count": count, "score": score}


def value(unit: str, number: Any) -> str:
    return BY_UNIT.get(unit, str)(number)


def change(unit: str, number: Any) -> str:
    """Ratios and scores change by points, amounts and counts by a growth rate."""
    if unit == "ratio":
        return points(number)
    if unit == "score":
        number = decimal(number)
        return NONE if number is None else f"{number:+.2f}"
    return growth(number)


def segment(key: Any) -> str:
    return str(key) if key not in (None, "") else _("(not set)")


def dimension(name: str) -> str:
    return str(DIMENSION_LABELS.get(name, name))
