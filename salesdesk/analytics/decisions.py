"""Decision support (A4.1): at-risk customers, top opportunities and a metric forecast.

All figures come from metric rows scoped to the viewer (A2.2, C3.3); thresholds are company
policies. Rules and formulas: docs/analysis.md.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics import decision_rules, forecasting  # noqa: F401  (policies)
from salesdesk.analytics.analysis import MONEY, Query, rate, require_summable
from salesdesk.analytics.metrics import METRICS
from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.slicing import (
    SLICE_COLUMNS,
    Period,
    Slice,
    apply_slice,
    bucket_next,
    bucket_shift,
    bucket_start,
    buckets,
)
from salesdesk.core import policies
from salesdesk.core.errors import ValidationFailed
from salesdesk.customers.models import Customer

GRAINS = {"month": (36, 12), "quarter": (12, 4)}  # grain -> (history periods, season)
MAX_LIMIT = 500
LOOKUP_BATCH = 500


def months_back(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day where it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def windows(as_of: date, months: int) -> tuple[Period, Period]:
    """(recent, baseline): the `months` complete months before as_of's month and the 12 months
    before them. Whole months keep every read on the monthly rollups."""
    month = as_of.replace(day=1)
    recent = Period(months_back(month, months), month - timedelta(days=1))
    baseline = Period(months_back(recent.start, 12), recent.start - timedelta(days=1))
    return recent, baseline


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            _("Show between 1 and %(max)s rows.") % {"max": MAX_LIMIT},
            code="out_of_range",
            field="limit",
        )
    return limit


def _monthly(total: Any, months: int) -> Decimal:
    return (Decimal(total or 0) / months).quantize(MONEY)


def _names(codes: list[str]) -> dict[str, dict[str, Any]]:
    """Name and owner of each customer code (the codes come from scoped rows)."""
    info: dict[str, dict[str, Any]] = {}
    for start in range(0, len(codes), LOOKUP_BATCH):
        batch = codes[start : start + LOOKUP_BATCH]
        for code, short, legal, owner in Customer.objects.filter(code__in=batch).values_list(
            "code", "short_name", "legal_name", "owner__username"
        ):
            info[code] = {"name": short or legal, "salesperson": owner or ""}
    return info


def _customers(query: Query, codes: list[str], months: Period, as_of: date) -> dict:
    """As _names, plus each customer's last order day in the searched months (and its
    salesperson where the customer is not in salesdesk): one indexed read for all of them."""
    info = _names(codes)
    facts = SalesFact.objects.filter(
        customer_code__in=codes, order_date__gte=months.start, order_date__lte=as_of
    )
    values = {k: v for k, v in query.filters.items() if k in SLICE_COLUMNS}
    facts = apply_slice(facts, Slice(values=values), SLICE_COLUMNS)
    last = dict(
        facts.values("customer_code")
        .annotate(last=Max("order_date"))
        .order_by()
        .values_list("customer_code", "last")
    )
    for code in codes:
        entry = info.setdefault(code, {"name": "", "salesperson": ""})
        entry["last_order"] = last.get(code)
        if not entry["salesperson"] and entry["last_order"]:
            entry["salesperson"] = (
                facts.filter(customer_code=code, order_date=entry["last_order"])
                .values_list("salesperson", flat=True)
                .first()
                or ""
            )
    return info


@dataclass(frozen=True)
class AtRiskRow:
    customer: str
    name: str
    salesperson: str
    baseline_revenue: Decimal  # monthly average over the 12 baseline months
    recent_revenue: Decimal  # monthly average over the recent months
    revenue_drop: Decimal | None
    baseline_orders: Decimal
    recent_orders: Decimal
    orders_drop: Decimal | None
    last_order: date | None

    @property
    def monthly_loss(self) -> Decimal:
        return self.baseline_revenue - self.recent_revenue


@dataclass(frozen=True)
class AtRisk:
    recent: Period
    baseline: Period
    months: int
    threshold: Decimal
    rows: list[AtRiskRow]


def _drop(baseline: Decimal, recent: Decimal) -> Decimal | None:
    return rate(baseline - recent, baseline)


def at_risk_customers(query: Query, as_of: date | None = None, limit: int = 50) -> AtRisk:
    """Customers ordering clearly below their own baseline, largest monthly loss first (A4.1)."""
    _limit(limit)
    months = policies.value("analytics.at_risk_recent_months")
    threshold = policies.value("analytics.at_risk_drop_rate")
    minimum = policies.value("analytics.at_risk_min_orders")
    as_of = as_of or timezone.localdate()
    recent, baseline = windows(as_of, months)
    _, revenue_then = query.rows("revenue", ["customer"], baseline)
    _, orders_then = query.rows("order_count", ["customer"], baseline)
    _, revenue_now = query.rows("revenue", ["customer"], recent)
    _, orders_now = query.rows("order_count", ["customer"], recent)
    found = []
    for key, orders in orders_then.items():
        if orders < minimum or not revenue_then.get(key):
            continue
        base_revenue = _monthly(revenue_then[key], 12)
        now_revenue = _monthly(revenue_now.get(key), months)
        base_orders = _monthly(orders, 12)
        now_orders = _monthly(orders_now.get(key), months)
        revenue_drop, orders_drop = _drop(base_revenue, now_revenue), _drop(base_orders, now_orders)
        if max(revenue_drop or 0, orders_drop or 0) >= threshold:
            figures = (base_revenue, now_revenue, revenue_drop, base_orders, now_orders)
            found.append((key[0], *figures, orders_drop))
    found.sort(key=lambda item: (item[2] - item[1], item[0]))
    found = found[:limit]
    searched = Period(baseline.start, recent.end)
    info = _customers(query, [item[0] for item in found], searched, as_of)
    rows = [
        AtRiskRow(
            code,
            info.get(code, {}).get("name", ""),
            info.get(code, {}).get("salesperson", ""),
            *figures,
            last_order=info.get(code, {}).get("last_order"),
        )
        for code, *figures in found
    ]
    return AtRisk(recent, baseline, months, threshold, rows)


@dataclass(frozen=True)
class Opportunity:
    kind: str  # growing, lapsed_category or cross_sell
    customer: str
    name: str
    salesperson: str
    category: str
    measure: Decimal | None  # growth rate, or share of peers buying the category
    value: Decimal  # monthly revenue at stake

    @property
    def kind_label(self) -> Any:
        return OPPORTUNITY_KINDS[self.kind]


OPPORTUNITY_KINDS = {
    "growing": _("Growing fast"),
    "lapsed_category": _("Stopped buying a category"),
    "cross_sell": _("Cross-sell: peers buy this category"),
}


def _growing(revenue_then, revenue_now, months) -> list[tuple]:
    growth = policies.value("analytics.growth_rate")
    found = []
    for key, total in revenue_then.items():
        if not total or total <= 0:
            continue
        then, now = _monthly(total, 12), _monthly(revenue_now.get(key), months)
        change = rate(now - then, then)
        if change is not None and change >= growth:
            found.append(("growing", key[0], "", change, now - then))
    return found


def _lapsed(categories_then, categories_now, revenue_now) -> list[tuple]:
    return [
        ("lapsed_category", code, category, None, _monthly(total, 12))
        for (code, category), total in categories_then.items()
        if category
        and total > 0
        and (categories_now.get((code, category)) or 0) <= 0
        and (revenue_now.get((code,)) or 0) > 0
    ]


def _cross_sell(bought, industries) -> list[tuple]:
    """Categories that at least the policy share of a customer's industry peers bought."""
    share = policies.value("analytics.cross_sell_peer_share")
    minimum = policies.value("analytics.cross_sell_min_peers")
    industry_of: dict[str, tuple[Decimal, str]] = {}
    for (code, industry), total in industries.items():
        if industry and (code not in industry_of or total > industry_of[code][0]):
            industry_of[code] = (total, industry)
    members: dict[str, set[str]] = {}
    for code, (_total, industry) in industry_of.items():
        members.setdefault(industry, set()).add(code)
    buyers: dict[tuple[str, str], dict[str, Decimal]] = {}
    for (code, category), total in bought.items():
        if category and total > 0 and code in industry_of:
            buyers.setdefault((industry_of[code][1], category), {})[code] = total
    found = []
    for (industry, category), spent in buyers.items():
        peers = members[industry]
        peer_share = rate(len(spent), len(peers))
        if len(peers) < minimum or peer_share < share:
            continue
        typical = _monthly(sum(spent.values()) / len(spent), 12)
        found.extend(
            ("cross_sell", code, category, peer_share, typical) for code in peers - set(spent)
        )
    return found


def opportunities(query: Query, as_of: date | None = None, limit: int = 20) -> list[Opportunity]:
    """Growing customers, lapsed categories and cross-sells, each kind largest value first."""
    _limit(limit)
    months = policies.value("analytics.at_risk_recent_months")
    as_of = as_of or timezone.localdate()
    recent, baseline = windows(as_of, months)
    year = Period(months_back(recent.end.replace(day=1), 11), recent.end)
    _, revenue_then = query.rows("revenue", ["customer"], baseline)
    _, revenue_now = query.rows("revenue", ["customer"], recent)
    _, categories_then = query.rows("revenue", ["customer", "category"], baseline)
    _, categories_now = query.rows("revenue", ["customer", "category"], recent)
    _, bought = query.rows("revenue", ["customer", "category"], year)
    _, industries = query.rows("revenue", ["customer", "industry"], year)
    found = []
    for kind in (
        _growing(revenue_then, revenue_now, months),
        _lapsed(categories_then, categories_now, revenue_now),
        _cross_sell(bought, industries),
    ):
        kind.sort(key=lambda item: (-item[4], item[1], item[2]))
        found.extend(kind[:limit])
    info = _names(sorted({item[1] for item in found}))
    return [
        Opportunity(
            kind,
            code,
            info.get(code, {}).get("name", ""),
            info.get(code, {}).get("salesperson", ""),
            category,
            measure,
            value,
        )
        for kind, code, category, measure, value in found
    ]


@dataclass(frozen=True)
class ForecastPoint:
    period: date
    value: Decimal
    by_method: dict[str, Decimal]


@dataclass(frozen=True)
class BacktestRow:
    period: date
    horizon: int
    actual: Decimal
    by_method: dict[str, Decimal]


@dataclass(frozen=True)
class Forecast:
    metric: str
    grain: str
    method: str | None  # None: not enough history
    history: list[tuple[date, Decimal]]
    points: list[ForecastPoint]
    errors: dict[str, forecasting.Error]
    backtest: list[BacktestRow]


def _history(query: Query, metric: str, grain: str, as_of: date) -> list[tuple[date, Decimal]]:
    current = bucket_start(grain, as_of)
    first = current
    for _step in range(GRAINS[grain][0]):
        first = bucket_shift(grain, first, year=False)
    period = Period(first, current - timedelta(days=1))
    _, values = query.rows(metric, [grain], period)
    zero = Decimal("0.00") if METRICS[metric].unit == "money" else Decimal(0)
    series = [(start, values.get((start,)) or zero) for start in buckets(grain, period)]
    while series and not series[0][1]:
        series.pop(0)
    return series


def forecast(
    query: Query, metric: str = "revenue", grain: str = "month", as_of: date | None = None
) -> Forecast:
    """The next three periods of a metric from its complete past periods, by the method with
    the lower rolling-origin back-test error (A4.1)."""
    require_summable(metric)
    if grain not in GRAINS:
        raise ValidationFailed(
            _("Forecast by “month” or “quarter”."), code="unknown_grain", field="grain"
        )
    as_of = as_of or timezone.localdate()
    history = _history(query, metric, grain, as_of)
    if len(history) < 3:
        return Forecast(metric, grain, None, history, [], {}, [])
    series = [value for _start, value in history]
    season = GRAINS[grain][1]
    tested = forecasting.backtest(
        series, season, policies.value("analytics.forecast_backtest_periods")
    )
    scores = {name: forecasting.errors(tested, name) for name in forecasting.METHODS}
    method = forecasting.choose(scores)
    ahead = {
        name: function(series, forecasting.HORIZON, season)
        for name, function in forecasting.FUNCTIONS.items()
    }
    floor = None if metric == "gross_margin" else Decimal(0)
    points, start = [], bucket_start(grain, as_of)
    for step in range(forecasting.HORIZON):
        by_method = {name: _shown(values[step], floor) for name, values in ahead.items()}
        points.append(ForecastPoint(start, by_method[method], by_method))
        start = bucket_next(grain, start)
    backtest = [
        BacktestRow(
            history[p.target][0],
            p.horizon,
            p.actual,
            {name: _shown(value, floor) for name, value in p.forecasts.items()},
        )
        for p in tested
    ]
    return Forecast(metric, grain, method, history, points, scores, backtest)


def _shown(value: Decimal, floor: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        value = floor
    return value.quantize(MONEY)
