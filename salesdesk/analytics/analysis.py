"""Comparison and top-N over metric rows (A2.1, A4.1); driver analysis is in `drivers`.

Every figure comes from `selectors.metric_rows`, so each metric keeps its one definition
(A2.2) and every read is scoped to what the viewer may see (C3.3). Formulas: docs/analysis.md.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.metrics import metric_get
from salesdesk.analytics.selectors import metric_rows
from salesdesk.analytics.slicing import SLICE_COLUMNS, TIME_DIMENSIONS, Period
from salesdesk.core.errors import ValidationFailed

MONEY = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")
RATE = Decimal("0.0001")
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
