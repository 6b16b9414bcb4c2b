"""The dashboards' figures (A2.1, A2.2, A4): KPI tiles with comparisons, trends and top-N tables.

Every number comes from `selectors.metric_rows`, which scopes it to the viewer; nothing here
re-implements a metric. To keep a page to a few metric calls:

- additive metrics (revenue, gross margin, orders, new customers) are asked once over the
  span from the earliest comparison day to the period's end, grouped by the trend's bucket
  (month or day) when every compared period is whole buckets of it, else by day; the tile
  values of the three periods and the trend buckets are sums of those groups;
- the other metrics are asked once grouped by the period's own bucket when the period is a
  whole month, quarter or year (the presets are), so one call answers the period, the bucket
  before and the same bucket a year earlier; a custom period asks them three times ungrouped.

Comparisons: a whole month/quarter/year compares with the one before and the same one a year
earlier; a custom period with `Period.previous()` (as many months or days before it) and the
same days a year earlier (docs/dashboards.md).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.metrics import METRICS, SUMMED
from salesdesk.analytics.selectors import metric_rows, metric_rows_many
from salesdesk.analytics.slicing import (
    Period,
    bucket_next,
    bucket_shift,
    bucket_start,
    buckets,
    year_earlier,
)
from salesdesk.core.errors import ValidationFailed

PRESETS = {
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "this_quarter": _("This quarter"),
    "last_quarter": _("Last quarter"),
    "this_year": _("This year"),
    "last_year": _("Last year"),
    "custom": _("Custom"),
}
DEFAULT_PRESET = "this_month"
FILTER_DIMENSIONS = ("region", "industry", "category", "channel", "salesperson")
TOP_DIMENSIONS = {
    "customer": _("Top customers"),
    "product": _("Top products"),
    "salesperson": _("Top salespeople"),
    "region": _("Top regions"),
}
TOP_SIZES = (5, 10, 20, 50)
DEFAULT_TOP = 10
TREND_METRICS = ("revenue", "gross_margin", "order_count")
ADDITIVE = (*TREND_METRICS, "new_customers")
TILES = (
    "revenue",
    "gross_margin",
    "gross_margin_rate",
    "order_count",
    "average_order_value",
    "customer_count",
    "new_customers",
    "churn_rate",
    "on_time_delivery_rate",
    "satisfaction",
)
TREND_DAYS_MAX = 62  # a longer period's trend is by month
MONEY = Decimal("0.01")
RATE = Decimal("0.0001")


@dataclass(frozen=True)
class DashboardPeriod:
    """The period shown, its comparison periods and its bucket (month/quarter/year) if whole."""

    preset: str
    current: Period
    previous: Period
    year_ago: Period
    bucket: str | None

    @property
    def span(self) -> Period:
        return Period(min(self.previous.start, self.year_ago.start), self.current.end)

    @property
    def trend_bucket(self) -> str:
        return "day" if self.current.days <= TREND_DAYS_MAX else "month"

    def _aligned(self, grains: tuple[str, ...]) -> str:
        """The first grain of which every compared period is whole buckets, else the day."""
        for grain in grains:
            if all(
                bucket_start(grain, p.start) == p.start
                and bucket_start(grain, p.end + timedelta(days=1)) == p.end + timedelta(days=1)
                for p in (self.current, self.previous, self.year_ago)
            ):
                return grain
        return "day"

    @property
    def additive_grain(self) -> str:
        """The grain the trend's metrics are asked by: the trend's bucket when every compared
        period is whole buckets of it (pre-summed tables answer coarse grains faster)."""
        return self._aligned((self.trend_bucket,))

    @property
    def tile_grain(self) -> str:
        """The coarsest grain for an additive metric that only feeds a tile."""
        return self._aligned(("year", "quarter", "month"))


def _whole_bucket(start: date, end: date) -> str | None:
    for dimension in ("year", "quarter", "month"):
        if bucket_start(dimension, start) == start and bucket_next(dimension, start) == end + (
            timedelta(days=1)
        ):
            return dimension
    return None


def _preset_range(preset: str, today: date) -> tuple[date, date]:
    dimension = preset.split("_", 1)[1]
    start = bucket_start(dimension, today)
    if preset.startswith("last_"):
        start = bucket_shift(dimension, start, year=False)
    return start, bucket_next(dimension, start) - timedelta(days=1)


def _parse(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text or ""},
            code="invalid_date",
            field=name,
        ) from None


def period_resolve(preset: str, start: str = "", end: str = "", *, today: date) -> DashboardPeriod:
    """A preset (this/last month, quarter, year) or a custom from–to range (A2.1)."""
    preset = preset if preset in PRESETS else DEFAULT_PRESET
    if preset == "custom":
        first, last = _parse("from", start), _parse("to", end)
        if last < first:
            raise ValidationFailed(
                _("The end date is before the start date."), code="invalid_period", field="to"
            )
    else:
        first, last = _preset_range(preset, today)
    current = Period(first, last)
    bucket = _whole_bucket(first, last)
    if bucket is None:
        return DashboardPeriod(preset, current, current.previous(), current.year_before(), None)
    before = bucket_shift(bucket, first, year=False)
    year_ago = year_earlier(first)
    return DashboardPeriod(
        preset,
        current,
        Period(before, first - timedelta(days=1)),
        Period(year_ago, bucket_next(bucket, year_ago) - timedelta(days=1)),
        bucket,
    )


@dataclass
class MetricReader:
    """Calls metric_rows for one viewer and slice, and counts the calls (speed budget)."""

    user: Any
    filters: dict[str, str]
    calls: int = 0

    def _request(self, group_by: str, period: Period) -> dict[str, Any]:
        return {
            "user": self.user,
            "group_by": group_by,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "filters": self.filters,
        }

    def rows(
        self, metric: str, group_by: str, period: Period, top: int | None = None
    ) -> list[dict[str, Any]]:
        self.calls += 1
        return metric_rows(metric=metric, top=top, **self._request(group_by, period))[1]

    def rows_many(
        self, metrics: list[str], group_by: str, period: Period
    ) -> dict[str, list[dict[str, Any]]]:
        """Several metrics at once (summed ones sharing a query); one call per metric."""
        self.calls += len(metrics)
        return metric_rows_many(metrics=metrics, **self._request(group_by, period))[1]


@dataclass
class Tile:
    name: str
    label: Any
    unit: str
    value: Decimal | None
    previous: Decimal | None
    year_ago: Decimal | None
    unavailable: bool = False

    @property
    def change_previous(self) -> Decimal | None:
        return change(self.value, self.previous, self.unit)

    @property
    def change_year_ago(self) -> Decimal | None:
        return change(self.value, self.year_ago, self.unit)


def change(current: Decimal | None, before: Decimal | None, unit: str) -> Decimal | None:
    """Ratios and scores change in points (difference); amounts and counts relatively."""
    if current is None or before is None:
        return None
    if unit in ("ratio", "score"):
        return (current - before).quantize(RATE)
    if not before:
        return None
    return ((current - before) / before).quantize(RATE)


def _sum_buckets(days: dict[date, Decimal], period: Period, unit: str) -> Decimal:
    total = sum((v for day, v in days.items() if period.start <= day <= period.end), Decimal(0))
    return total.quantize(MONEY) if unit == "money" else total


@dataclass
class Overview:
    """Everything a dashboard page shows; `calls` counts the metric calls made."""

    period: DashboardPeriod
    filters: dict[str, str]
    tiles: list[Tile] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    tops: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: int = 0


def _additive(reader: MetricReader, period: DashboardPeriod) -> dict[str, dict[date, Decimal]]:
    """Each additive metric per day (or coarser grain) over the whole comparison span: the
    trend's metrics by the trend's grain in one call, the others by the tiles' grain."""
    sums = {}
    for metrics, grain in (
        (list(TREND_METRICS), period.additive_grain),
        ([m for m in ADDITIVE if m not in TREND_METRICS], period.tile_grain),
    ):
        for metric, rows in reader.rows_many(metrics, grain, period.span).items():
            sums[metric] = {row[grain]: row["value"] for row in rows}
    return sums


def _tile_values(reader: MetricReader, metrics: list[str], period: DashboardPeriod) -> dict:
    """Each metric's (current, previous, year-ago) values, asked together."""
    periods = (period.current, period.previous, period.year_ago)
    if period.bucket is not None:
        found = reader.rows_many(metrics, period.bucket, period.span)
        values = {}
        for metric in metrics:
            by_start = {row[period.bucket]: row["value"] for row in found[metric]}
            values[metric] = tuple(by_start.get(p.start) for p in periods)
        return values
    answers = [reader.rows_many(metrics, "", p) for p in periods]
    return {metric: tuple(answer[metric][0]["value"] for answer in answers) for metric in metrics}


def _empty_value(metric: str) -> Decimal | None:
    """What an ungrouped metric answers for an empty period (docs/metrics.md): a missing
    group of a count is 0; of a rate, a score or the average order value, undefined."""
    return Decimal(0) if METRICS[metric].unit == "count" else None


def tiles_compute(
    reader: MetricReader, period: DashboardPeriod, sums: dict[str, dict[date, Decimal]]
) -> list[Tile]:
    """The KPI tiles: each metric in the period, the comparison period and a year earlier."""
    tiles = []
    # The summed metrics in one call; each other one alone (it may be unavailable).
    summed = [m for m in TILES if m not in sums and m in SUMMED]
    together = _tile_values(reader, summed, period) if summed else {}
    for metric in TILES:
        definition = METRICS[metric]
        unavailable = False
        if metric in sums:
            values = tuple(
                _sum_buckets(sums[metric], p, definition.unit)
                for p in (period.current, period.previous, period.year_ago)
            )
        else:
            try:
                values = together.get(metric) or _tile_values(reader, [metric], period)[metric]
            except ValidationFailed as exc:
                if exc.code != "unsupported_dimension":
                    raise
                values, unavailable = (None, None, None), True
            if period.bucket is not None:
                empty = _empty_value(metric)
                values = tuple(empty if v is None else v for v in values)
        tiles.append(Tile(metric, definition.label, definition.unit, *values, unavailable))
    return tiles


def trend_rows(period: DashboardPeriod, sums: dict[str, dict[date, Decimal]]) -> list[dict]:
    """Revenue, gross margin and orders per day or month of the period (the chart's table)."""
    dimension = period.trend_bucket
    rows = {
        start: {"bucket": start, "revenue": Decimal(0), "gross_margin": Decimal(0), "orders": 0}
        for start in buckets(dimension, period.current)
    }
    for metric, key in (("revenue", "revenue"), ("gross_margin", "gross_margin")):
        for day, value in sums[metric].items():
            if period.current.start <= day <= period.current.end:
                rows[bucket_start(dimension, day)][key] += value
    for day, value in sums["order_count"].items():
        if period.current.start <= day <= period.current.end:
            rows[bucket_start(dimension, day)]["orders"] += int(value)
    return list(rows.values())


def top_rows(
    reader: MetricReader, period: DashboardPeriod, dimension: str, size: int
) -> list[dict[str, Any]]:
    """The `size` groups of `dimension` with the most revenue in the period, largest first."""
    # Ranked in SQL: a year has as many groups as customers who ordered.
    top = reader.rows("revenue", dimension, period.current, top=size)
    return [
        {"rank": rank, "key": row[dimension], "revenue": row["value"]}
        for rank, row in enumerate(top, start=1)
    ]


def clean_filters(values: dict[str, Any]) -> dict[str, str]:
    return {name: str(values[name]).strip() for name in FILTER_DIMENSIONS if values.get(name)}


def dashboard_overview(
    *,
    user: Any,
    period: DashboardPeriod,
    filters: dict[str, str],
    top_size: int = DEFAULT_TOP,
    top_dimensions: Iterable[str] = tuple(TOP_DIMENSIONS),
) -> Overview:
    """The figures of a dashboard page for `user` (scoped by metric_rows) (A2.1, A2.2, A4)."""
    reader = MetricReader(user, clean_filters(filters))
    sums = _additive(reader, period)
    overview = Overview(period, reader.filters)
    overview.tiles = tiles_compute(reader, period, sums)
    overview.trend = trend_rows(period, sums)
    overview.tops = {
        dimension: top_rows(reader, period, dimension, top_size) for dimension in top_dimensions
    }
    overview.calls = reader.calls
    return overview


def dashboard_trend(*, user: Any, period: DashboardPeriod, filters: dict[str, str]) -> list:
    """The trend table alone (for its export): the same calls as the page."""
    reader = MetricReader(user, clean_filters(filters))
    return trend_rows(period, _additive(reader, period))


def dashboard_tiles(*, user: Any, period: DashboardPeriod, filters: dict[str, str]) -> list:
    """The KPI tiles alone (for their export)."""
    reader = MetricReader(user, clean_filters(filters))
    return tiles_compute(reader, period, _additive(reader, period))


def dashboard_top(
    *, user: Any, period: DashboardPeriod, filters: dict[str, str], dimension: str, size: int
) -> list[dict[str, Any]]:
    """One top-N table alone (for its export)."""
    return top_rows(MetricReader(user, clean_filters(filters)), period, dimension, size)
