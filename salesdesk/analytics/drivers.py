"""Driver analysis (A2.1): a change in revenue between two periods split into contributions by
a dimension, and into volume, mix, price, new and discontinued effects at SKU level, exactly
(fractions, then cents allocated so the parts add up). Formulas: docs/analysis.md."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from salesdesk.analytics.analysis import (
    MONEY,
    ZERO_MONEY,
    Query,
    base_period,
    rate,
    require_dimension,
)
from salesdesk.analytics.slicing import Period

PRICE = Decimal("0.0001")


def allocate_cents(parts: dict[str, Fraction]) -> dict[str, Decimal]:
    """Round exact amounts to cents so the rounded amounts add up to the rounded total exactly
    (largest remainder); the exact total must itself be whole cents."""
    units = {name: floor(value * 100) for name, value in parts.items()}
    target = sum(parts.values(), Fraction(0)) * 100
    if target.denominator != 1:
        raise ValueError("the total of the parts is not a whole number of cents")
    remaining = int(target) - sum(units.values())
    by_remainder = sorted(parts, key=lambda name: parts[name] * 100 - units[name], reverse=True)
    for name in by_remainder[:remaining]:
        units[name] += 1
    return {name: (Decimal(units[name]) / 100).quantize(MONEY) for name in parts}


def to_fraction(value: Any) -> Fraction:
    return Fraction(Decimal(value or 0))


@dataclass(frozen=True)
class Contribution:
    key: str
    before: Decimal
    after: Decimal
    change: Decimal
    share: Decimal | None


@dataclass(frozen=True)
class ProductEffect:
    """One SKU's part in the price/volume/mix split."""

    sku: str
    status: str  # continuing, new or discontinued
    quantity_before: Decimal
    quantity_after: Decimal
    revenue_before: Decimal
    revenue_after: Decimal
    price_before: Decimal | None
    price_after: Decimal | None
    price_effect: Decimal | None
    quantity_effect: Decimal | None

    @property
    def change(self) -> Decimal:
        return self.revenue_after - self.revenue_before


EFFECTS = ("volume", "mix", "price", "new", "discontinued")


@dataclass(frozen=True)
class Effects:
    volume: Decimal
    mix: Decimal
    price: Decimal
    new: Decimal
    discontinued: Decimal

    @property
    def total(self) -> Decimal:
        return self.volume + self.mix + self.price + self.new + self.discontinued


def _price(revenue: Fraction, quantity: Fraction) -> Decimal | None:
    if quantity <= 0:
        return None
    return (_decimal(revenue) / _decimal(quantity)).quantize(PRICE)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def price_volume_mix(
    before: dict[str, tuple[Any, Any]], after: dict[str, tuple[Any, Any]]
) -> tuple[Effects, list[ProductEffect]]:
    """Split Σ revenue_after − Σ revenue_before into volume, mix, price, new and discontinued.

    `before`/`after` map SKU -> (quantity, revenue). Continuing SKUs sold a positive quantity
    in both periods; the three classic effects are computed over them exactly (fractions), the
    rest of the change is the new (positive quantity only after) or discontinued term, and the
    five are rounded to cents so that they add up to the change exactly (docs/analysis.md)."""
    skus = sorted(set(before) | set(after))
    q0 = {s: to_fraction(before.get(s, (0, 0))[0]) for s in skus}
    r0 = {s: to_fraction(before.get(s, (0, 0))[1]) for s in skus}
    q1 = {s: to_fraction(after.get(s, (0, 0))[0]) for s in skus}
    r1 = {s: to_fraction(after.get(s, (0, 0))[1]) for s in skus}
    continuing = [s for s in skus if q0[s] > 0 and q1[s] > 0]
    p0 = {s: r0[s] / q0[s] for s in continuing}
    p1 = {s: r1[s] / q1[s] for s in continuing}
    parts = dict.fromkeys(EFFECTS, Fraction(0))
    if continuing:
        total_q0 = sum((q0[s] for s in continuing), Fraction(0))
        total_q1 = sum((q1[s] for s in continuing), Fraction(0))
        average_p0 = sum((r0[s] for s in continuing), Fraction(0)) / total_q0
        parts["volume"] = (total_q1 - total_q0) * average_p0
        parts["mix"] = sum(
            ((q1[s] / total_q1 - q0[s] / total_q0) * total_q1 * p0[s] for s in continuing),
            Fraction(0),
        )
        parts["price"] = sum(((p1[s] - p0[s]) * q1[s] for s in continuing), Fraction(0))
    products = []
    for sku in skus:
        status = "continuing" if sku in p0 else "new" if q1[sku] > 0 else "discontinued"
        if status != "continuing":
            parts[status] += r1[sku] - r0[sku]
        products.append(
            ProductEffect(
                sku=sku,
                status=status,
                quantity_before=_decimal(q0[sku]),
                quantity_after=_decimal(q1[sku]),
                revenue_before=_decimal(r0[sku]).quantize(MONEY),
                revenue_after=_decimal(r1[sku]).quantize(MONEY),
                price_before=_price(r0[sku], q0[sku]),
                price_after=_price(r1[sku], q1[sku]),
                price_effect=_decimal((p1[sku] - p0[sku]) * q1[sku]).quantize(MONEY)
                if status == "continuing"
                else None,
                quantity_effect=_decimal((q1[sku] - q0[sku]) * p0[sku]).quantize(MONEY)
                if status == "continuing"
                else None,
            )
        )
    return Effects(**allocate_cents(parts)), products


@dataclass(frozen=True)
class Drivers:
    dimension: str
    period: Period
    base: Period
    revenue_before: Decimal
    revenue_after: Decimal
    contributions: list[Contribution]
    effects: Effects
    products: list[ProductEffect]

    @property
    def change(self) -> Decimal:
        return self.revenue_after - self.revenue_before

    def effect_share(self, name: str) -> Decimal | None:
        return rate(getattr(self.effects, name), self.change)


def revenue_drivers(
    query: Query,
    dimension: str = "category",
    basis: str = "previous",
    base_from: str = "",
    base_to: str = "",
) -> Drivers:
    """Split the change in revenue from the compared period to this one by a dimension, and into
    price, volume and mix effects at SKU level (A2.1)."""
    require_dimension(dimension)
    period, after = query.rows("revenue", [dimension])
    base = base_period(period, basis, base_from, base_to)
    _, before = query.rows("revenue", [dimension], base)
    revenue_before = sum(before.values(), ZERO_MONEY)
    revenue_after = sum(after.values(), ZERO_MONEY)
    change = revenue_after - revenue_before
    contributions = []
    for key in set(before) | set(after):
        was, now = before.get(key, ZERO_MONEY), after.get(key, ZERO_MONEY)
        contributions.append(Contribution(key[0], was, now, now - was, rate(now - was, change)))
    contributions.sort(key=lambda c: (-abs(c.change), str(c.key)))
    effects, products = price_volume_mix(_by_sku(query, base), _by_sku(query, period))
    products.sort(key=lambda p: (-abs(p.change), p.sku))
    return Drivers(
        dimension, period, base, revenue_before, revenue_after, contributions, effects, products
    )


def _by_sku(query: Query, period: Period) -> dict[str, tuple[Any, Any]]:
    _, quantities = query.rows("quantity", ["product"], period)
    _, revenues = query.rows("revenue", ["product"], period)
    return {
        key[0]: (quantities.get(key, 0), revenues.get(key, 0))
        for key in set(quantities) | set(revenues)
    }
