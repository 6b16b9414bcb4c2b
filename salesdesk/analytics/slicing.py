"""Dimensions, periods and buckets shared by every metric (A2.1): what a slice of sales is."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import DateField, F, Func, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed

TIME_DIMENSIONS = ("day", "week", "month", "quarter", "year")
# dimension -> column of SalesFact and DailySales
SLICE_COLUMNS = {
    "customer": "customer_code",
    "industry": "industry",
    "country": "country",
    "region": "region",
    "province": "province",
    "product": "sku",
    "category": "category",
    "salesperson": "salesperson",
    "channel": "channel",
    "ship_mode": "ship_mode",
}
DIMENSIONS = (*TIME_DIMENSIONS, *SLICE_COLUMNS)
# Every line of an order shares these, so a per-order count can be summed over them.
ORDER_LEVEL = {*TIME_DIMENSIONS, "customer", "industry", "country", "region", "province"} | {
    "salesperson",
    "channel",
}
MAX_GROUP_BY = 2


class BucketStart(Func):
    """The first day of a date's week (Monday), month, quarter or year, in native SQL.

    Django's Trunc on SQLite calls back into Python for every row; these expressions keep a
    one-year grouping inside the database on both backends."""

    output_field = DateField()
    # "%%" survives the SQLite cursor's "%s" -> "?" conversion as a literal "%".
    SQLITE = {
        "day": "date({x})",
        "week": "date({x}, '-' || ((CAST(strftime('%%w', {x}) AS INTEGER) + 6) %% 7) || ' days')",
        "month": "date({x}, 'start of month')",
        "quarter": "date({x}, 'start of month', "
        "'-' || ((CAST(strftime('%%m', {x}) AS INTEGER) - 1) %% 3) || ' months')",
        "year": "date({x}, 'start of year')",
    }

    def __init__(self, expression: Any, dimension: str) -> None:
        super().__init__(expression)
        self.dimension = dimension

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.dimension == "day":
            return sql, params
        return f"CAST(date_trunc('{self.dimension}', {sql}) AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        template = self.SQLITE[self.dimension]
        return template.replace("{x}", sql), tuple(params) * template.count("{x}")


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> int | None:
        """How many whole calendar months the period is, or None if it is not whole months."""
        after = self.end + timedelta(days=1)
        if self.start.day != 1 or after.day != 1:
            return None
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> "Period":
        """The period of equal length just before this one: as many calendar months for a
        period of whole months (March → February), else as many days."""
        months = self.months()
        if months:
            return Period(_add_months(self.start, -months), self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        return Period(year_earlier(self.start), year_earlier(self.end))


@dataclass(frozen=True)
class Slice:
    """Filters by dimension value, and the customer codes the viewer may see (None = all)."""

    values: dict[str, str] = field(default_factory=dict)
    visible_codes: QuerySet | None = None

    def dimensions(self) -> set[str]:
        return set(self.values)


def year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def bucket_start(dimension: str, day: date) -> date:
    if dimension == "week":
        return day - timedelta(days=day.weekday())
    if dimension == "month":
        return day.replace(day=1)
    if dimension == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if dimension == "year":
        return date(day.year, 1, 1)
    return day


def bucket_next(dimension: str, start: date) -> date:
    steps = {"day": timedelta(days=1), "week": timedelta(days=7)}
    if dimension in steps:
        return start + steps[dimension]
    return _add_months(start, {"month": 1, "quarter": 3, "year": 12}[dimension])


def bucket_shift(dimension: str, start: date, *, year: bool) -> date:
    """The bucket a bucket is compared with: the one before, or the same one a year earlier."""
    if dimension == "week":
        return start - timedelta(days=364 if year else 7)
    if year:
        return year_earlier(start)
    if dimension == "day":
        return start - timedelta(days=1)
    return _add_months(start, {"month": -1, "quarter": -3, "year": -12}[dimension])


def buckets(dimension: str, period: Period) -> list[date]:
    current = bucket_start(dimension, period.start)
    result = []
    while current <= period.end:
        result.append(current)
        current = bucket_next(dimension, current)
    return result


def time_dimension(group_by: list[str]) -> str | None:
    return next((dim for dim in group_by if dim in TIME_DIMENSIONS), None)


def validate_group_by(group_by: list[str]) -> list[str]:
    for dim in group_by:
        if dim not in DIMENSIONS:
            raise ValidationFailed(
                _("Unknown dimension “%(name)s”.") % {"name": dim},
                code="unknown_dimension",
                field="group_by",
            )
    if len(group_by) > MAX_GROUP_BY or len(set(group_by)) != len(group_by):
        raise ValidationFailed(
            _("Group by one or two different dimensions."),
            code="too_many_dimensions",
            field="group_by",
        )
    if sum(dim in TIME_DIMENSIONS for dim in group_by) > 1:
        raise ValidationFailed(
            _("Group by at most one time dimension."),
            code="too_many_dimensions",
            field="group_by",
        )
    return group_by


def apply_slice(queryset: QuerySet, sales_slice: Slice, columns: dict[str, str]) -> QuerySet:
    """Filter by the slice's values and the viewer's customers, using the given column names."""
    for dim, value in sales_slice.values.items():
        queryset = queryset.filter(**{columns[dim]: value})
    if sales_slice.visible_codes is not None:
        queryset = queryset.filter(**{f"{columns['customer']}__in": sales_slice.visible_codes})
    return queryset


def grouped(
    queryset: QuerySet,
    date_column: str,
    group_by: list[str],
    columns: dict[str, str],
    *,
    rank: str | None = None,
    limit: int | None = None,
    native: str | None = None,
    tuples: bool = False,
    **measures,
) -> list[Any]:
    """Aggregate `measures` per group; each row keys the groups by dimension name.

    `native` names the time dimension whose buckets the date column already holds (cells of
    that grain): grouping by it reads the column as it is. With `tuples`, each row is a tuple
    of the groups' values, then the measures' (in the order given).

    With `rank` (a measure name) and `limit`, only the `limit` groups with the largest value
    of that measure, largest first (ties by group), are read — top-N in SQL."""
    aliases = {}
    for dim in group_by:
        if dim in TIME_DIMENSIONS and dim != native:
            aliases[f"g_{dim}"] = BucketStart(F(date_column), dim)
        elif dim in TIME_DIMENSIONS:
            aliases[f"g_{dim}"] = F(date_column)
        else:
            aliases[f"g_{dim}"] = F(columns[dim])
    if not aliases:
        totals = queryset.aggregate(**measures)
        return [tuple(totals.values()) if tuples else totals]
    rows = queryset.annotate(**aliases).values(*aliases).annotate(**measures)
    if rank is not None:
        rows = rows.order_by(f"-{rank}", *aliases)[:limit]
    else:
        rows = rows.order_by(*aliases)
    # Tuples, not dicts, from the database: a year by customer is 100,000 rows.
    found = list(rows.values_list(*aliases, *measures))
    for i, dim in enumerate(group_by):
        if dim in TIME_DIMENSIONS and found and hasattr(found[0][i], "date"):
            found = [(*row[:i], row[i].date(), *row[i + 1 :]) for row in found]
    if tuples:
        return found
    keys = (*group_by, *measures)
    return [dict(zip(keys, row, strict=True)) for row in found]


def key_of(row: dict[str, Any], group_by: list[str]) -> tuple:
    return tuple(row[dim] for dim in group_by)
