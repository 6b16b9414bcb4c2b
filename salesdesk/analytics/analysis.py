"""Comparison, top-N and driver analysis over metric rows (A2.1, A4.1).

Every figure comes from `selectors.metric_rows`, so each metric keeps its one definition
(A2.2) and every read is scoped to what the viewer may see (C3.3). Formulas: docs/analysis.md.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.metrics import metric_get
from salesdesk.analytics.selectors import metric_rows
from salesdesk.analytics.slicing import SLICE_COLUMNS, TIME_DIMENSIONS, Period
from salesdesk.core.errors import ValidationFailed

MONEY = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")
RATE = Decimal("0.0001")
PRICE = Decimal("0.0001")
BASES = ("previous", "year")
# Metrics whose group values add up to a meaningful total (a missing group counts 0).
SUMMABLE = (
    "revenue",
    "quantity",
    "gross_margin",
    "order_count",
    "customer_count",
    "new_customers",
)
MAX_TOP = 100


def parse_date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text},
            code="invalid_date",
            field=name,
        ) from None


def rate(numerator: Any, denominator: Any) -> Decimal | None:
    """numerator ÷ denominator to four decimals; None when either is missing or the base is 0."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE)


def require_summable(metric: str) -> None:
    metric_get(metric)
    if metric not in SUMMABLE:
        raise ValidationFailed(
            _("“%(name)s” cannot be added up over groups; choose one of: %(names)s.")
            % {"name": metric, "names": ", ".join(SUMMABLE)},
            code="metric_not_summable",
            field="metric",
        )


def require_dimension(dimension: str, field_name: str = "dimension") -> str:
    if dimension not in SLICE_COLUMNS:
        raise ValidationFailed(
            _("“%(name)s” is not a dimension to break down by.") % {"name": dimension},
            code="unknown_dimension",
            field=field_name,
        )
    return dimension


def base_period(
    period: Period, basis: str = "previous", base_from: str = "", base_to: str = ""
) -> Period:
    """The period compared with: explicit dates, the previous one of equal length, or a year
    earlier."""
    if base_from or base_to:
        first, last = parse_date("base_from", base_from), parse_date("base_to", base_to)
        if last < first:
            raise ValidationFailed(
                _("The end date is before the start date."),
                code="invalid_period",
                field="base_to",
            )
        return Period(first, last)
    if basis not in BASES:
        raise ValidationFailed(
            _("Compare with “previous” or “year”."), code="unknown_basis", field="basis"
        )
    return period.year_before() if basis == "year" else period.previous()


@dataclass(frozen=True)
class Query:
    """One validated request: who asks, the period and the filters (time filters narrow it)."""

    user: Any
    start: str
    end: str
    filters: dict[str, str] = field(default_factory=dict)

    def rows(self, metric: str, group_by: list[str], period: Period | None = None):
        """(period, {group key: value}) of one metric, scoped to the viewer."""
        if period is None:
            start, end, filters = self.start, self.end, self.filters
        elif period.end < period.start:  # time filters left nothing of the period
            return period, {}
        else:
            start, end = period.start.isoformat(), period.end.isoformat()
            filters = {d: v for d, v in self.filters.items() if d not in TIME_DIMENSIONS}
        used, rows = metric_rows(
            user=self.user,
            metric=metric,
            group_by=",".join(group_by),
            start=start,
            end=end,
            filters=filters,
        )
        return used, {tuple(row[d] for d in group_by): row["value"] for row in rows}


@dataclass(frozen=True)
class ComparisonRow:
    key: tuple
    current: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    change_rate: Decimal | None


@dataclass(frozen=True)
class Comparison:
    metric: str
    group_by: list[str]
    period: Period
    base: Period
    rows: list[ComparisonRow]


def _non_time(group_by: str) -> list[str]:
    dims = [d.strip() for d in group_by.split(",") if d.strip()]
    for dim in dims:
        if dim in TIME_DIMENSIONS:
            raise ValidationFailed(
                _("Comparisons group by customers, products and the like, not by time."),
                code="time_dimension_not_allowed",
                field="group_by",
            )
    return dims


def _zero_like(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    if value is not None:
        return value
    return Decimal(0).quantize(other) if other is not None else Decimal(0)


def compare(
    query: Query,
    metric: str,
    group_by: str = "",
    basis: str = "previous",
    base_from: str = "",
    base_to: str = "",
) -> Comparison:
    """A metric per group in the period and in the compared period, with change and rate."""
    dims = _non_time(group_by)
    period, current = query.rows(metric, dims)
    base = base_period(period, basis, base_from, base_to)
    _, before = query.rows(metric, dims, base)
    rows = []
    for key in sorted(set(current) | set(before), key=str):
        now, then = current.get(key), before.get(key)
        if metric in SUMMABLE:  # a group without sales in one period had 0 there
            now, then = _zero_like(now, then), _zero_like(then, now)
        change = None if now is None or then is None else now - then
        rows.append(ComparisonRow(key, now, then, change, rate(change, then)))
    return Comparison(metric, dims, period, base, rows)


@dataclass(frozen=True)
class TopRow:
    rank: int | None
    key: str | None
    value: Decimal
    share: Decimal | None
    groups: int = 1


@dataclass(frozen=True)
class Top:
    metric: str
    dimension: str
    period: Period
    total: Decimal
    rows: list[TopRow]
    others: TopRow | None


def top_n(query: Query, metric: str, dimension: str, n: int = 10) -> Top:
    """The n largest groups, the remainder as one "all others" row, and each one's share."""
    require_summable(metric)
    require_dimension(dimension)
    if not 1 <= n <= MAX_TOP:
        raise ValidationFailed(
            _("Show between 1 and %(max)s groups.") % {"max": MAX_TOP},
            code="out_of_range",
            field="n",
        )
    period, values = query.rows(metric, [dimension])
    ranked = sorted(values.items(), key=lambda item: (-(item[1] or 0), str(item[0][0])))
    total = sum((value or 0 for value in values.values()), Decimal(0))
    rows = [
        TopRow(index + 1, key[0], value or Decimal(0), rate(value or 0, total))
        for index, (key, value) in enumerate(ranked[:n])
    ]
    others = None
    if len(ranked) > n:
        rest = sum((value or 0 for _key, value in ranked[n:]), Decimal(0))
        others = TopRow(None, None, rest, rate(rest, total), groups=len(ranked) - n)
    return Top(metric, dimension, period, total, rows, others)


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
