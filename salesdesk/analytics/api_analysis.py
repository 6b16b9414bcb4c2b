"""Analysis and decision support over HTTP (A2.1, A4.1): decimal strings, 422s naming the input."""

from typing import Any

from ninja import Field, Query, Router, Schema

from salesdesk.analytics import analysis, decisions
from salesdesk.analytics.analysis import Query as AnalysisQuery
from salesdesk.analytics.analysis import parse_date
from salesdesk.analytics.drivers import EFFECTS, revenue_drivers
from salesdesk.analytics.slicing import DIMENSIONS

router = Router(tags=["analytics"])


class SliceFilters(Schema):
    customer: str | None = Field(None, description="Customer number")
    industry: str | None = None
    country: str | None = None
    region: str | None = None
    province: str | None = None
    product: str | None = Field(None, description="SKU")
    category: str | None = None
    salesperson: str | None = Field(None, description="Username")
    channel: str | None = None
    ship_mode: str | None = None

    def filters(self) -> dict[str, str]:
        return {d: v for d in DIMENSIONS if (v := getattr(self, d, None)) not in (None, "")}

    def analysis(self, request) -> AnalysisQuery:
        return AnalysisQuery(request.user, "", "", self.filters())


class PeriodQuery(SliceFilters):
    start: str = Field(alias="from", description="First day, YYYY-MM-DD")
    end: str = Field(alias="to", description="Last day, YYYY-MM-DD (inclusive)")
    day: str | None = None
    week: str | None = None
    month: str | None = None
    quarter: str | None = None
    year: str | None = None

    def analysis(self, request) -> AnalysisQuery:
        return AnalysisQuery(request.user, self.start, self.end, self.filters())


class BaseQuery(PeriodQuery):
    basis: str = Field("previous", description="previous (equal length just before) or year")
    base_from: str = Field("", description="First day of the compared period (overrides basis)")
    base_to: str = Field("", description="Last day of the compared period")


class CompareQuery(BaseQuery):
    metric: str = Field(description="revenue, gross_margin, … (docs/metrics.md)")
    group_by: str = Field("", description="Up to two non-time dimensions, comma-separated")


class TopQuery(PeriodQuery):
    metric: str = Field("revenue", description="An additive metric (docs/analysis.md)")
    dimension: str = Field(description="customer, product, category, salesperson, …")
    n: int = Field(10, description="How many groups (1–100)")


class DriversQuery(BaseQuery):
    dimension: str = Field("category", description="Dimension of the contributions")


class DecisionQuery(SliceFilters):
    as_of: str = Field("", description="Day the analysis looks back from (default: today)")
    limit: int = Field(50, description="Rows: at-risk customers, or per opportunity rule (1–500)")


class ForecastQuery(SliceFilters):
    metric: str = Field("revenue", description="An additive metric")
    grain: str = Field("month", description="month or quarter")
    as_of: str = Field("", description="Forecast from this day's period on (default: today)")


class PeriodOut(Schema):
    start: str = Field(alias="from")
    end: str = Field(alias="to")


DECIMAL = "decimal string or null"


class CompareOut(Schema):
    metric: str
    period: PeriodOut
    base: PeriodOut = Field(description="The compared period")
    rows: list[dict[str, Any]] = Field(
        description="Each row: the group's dimension values, current, previous, change and "
        f"change_rate ({DECIMAL}; change_rate is null when previous is 0 or missing)"
    )


class TopRowOut(Schema):
    rank: int | None
    key: str | None = Field(description="The group's value; null for all others")
    value: str
    share: str | None = Field(description="Share of the total, " + DECIMAL)
    groups: int = Field(description="How many groups the row holds")


class TopOut(Schema):
    metric: str
    dimension: str
    period: PeriodOut
    total: str
    rows: list[TopRowOut]
    others: TopRowOut | None = Field(description="All groups after the first n, or null")


class ContributionOut(Schema):
    key: str
    before: str
    after: str
    change: str
    share: str | None = Field(description="Share of the total change, " + DECIMAL)


class EffectOut(Schema):
    amount: str
    share: str | None


class DriversOut(Schema):
    dimension: str
    period: PeriodOut
    base: PeriodOut
    revenue_before: str
    revenue_after: str
    change: str
    contributions: list[ContributionOut] = Field(description="They add up to change exactly")
    effects: dict[str, EffectOut] = Field(
        description="volume, mix, price, new, discontinued; they add up to change exactly"
    )
    products: list[dict[str, Any]] = Field(
        description="Per SKU: status, quantities, revenues, average prices, price_effect, "
        "quantity_effect, change"
    )


class AtRiskOut(Schema):
    recent: PeriodOut
    baseline: PeriodOut
    months: int
    threshold: str
    rows: list[dict[str, Any]] = Field(
        description="customer, name, salesperson, baseline_revenue and recent_revenue (monthly "
        "averages), revenue_drop, baseline_orders, recent_orders, orders_drop, last_order"
    )


class OpportunitiesOut(Schema):
    rows: list[dict[str, Any]] = Field(
        description="kind (growing, lapsed_category, cross_sell), customer, name, salesperson, "
        "category, measure (growth rate or peer share), value (monthly revenue at stake)"
    )


class ErrorOut(Schema):
    mae: str | None
    mape: str | None
    count: int


class ForecastOut(Schema):
    metric: str
    grain: str
    method: str | None = Field(description="holt or seasonal_naive; null without history")
    history: list[dict[str, Any]]
    forecast: list[dict[str, Any]] = Field(description="The next three periods")
    backtest_error: dict[str, ErrorOut] = Field(description="Per method: MAE and MAPE")
    backtest: list[dict[str, Any]]


def text(value: Any) -> Any:
    """JSON-ready: dates ISO, Decimals as strings, None kept."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, dict):
        return {str(k): text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _period(period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def _as_of(raw: str):
    return parse_date("as_of", raw) if raw else None


@router.get("/analytics/compare", response=CompareOut, by_alias=True)
def compare_api(request, query: Query[CompareQuery]):
    """A metric per group against the previous period or the same period a year earlier."""
    result = analysis.compare(
        query.analysis(request),
        query.metric,
        query.group_by,
        query.basis,
        query.base_from,
        query.base_to,
    )
    return {
        "metric": result.metric,
        "period": _period(result.period),
        "base": _period(result.base),
        "rows": [
            {
                **dict(zip(result.group_by, text(list(row.key)), strict=True)),
                "current": text(row.current),
                "previous": text(row.previous),
                "change": text(row.change),
                "change_rate": text(row.change_rate),
            }
            for row in result.rows
        ],
    }


def _top_row(row) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "key": row.key,
        "value": text(row.value),
        "share": text(row.share),
        "groups": row.groups,
    }


@router.get("/analytics/top", response=TopOut, by_alias=True)
def top_api(request, query: Query[TopQuery]):
    """The n largest groups of an additive metric, the rest as one row, and shares of total."""
    result = analysis.top_n(query.analysis(request), query.metric, query.dimension, query.n)
    others = result.others
    return {
        "metric": result.metric,
        "dimension": result.dimension,
        "period": _period(result.period),
        "total": text(result.total),
        "rows": [_top_row(row) for row in result.rows],
        "others": _top_row(others) if others else None,
    }


@router.get("/analytics/drivers", response=DriversOut, by_alias=True)
def drivers_api(request, query: Query[DriversQuery]):
    """The change in revenue split by a dimension and into price, volume and mix effects."""
    result = revenue_drivers(
        query.analysis(request), query.dimension, query.basis, query.base_from, query.base_to
    )
    return {
        "dimension": result.dimension,
        "period": _period(result.period),
        "base": _period(result.base),
        "revenue_before": text(result.revenue_before),
        "revenue_after": text(result.revenue_after),
        "change": text(result.change),
        "contributions": [text(vars(c)) for c in result.contributions],
        "effects": {
            name: {
                "amount": text(getattr(result.effects, name)),
                "share": text(result.effect_share(name)),
            }
            for name in EFFECTS
        },
        "products": [text({**vars(p), "change": p.change}) for p in result.products],
    }


@router.get("/analytics/at-risk", response=AtRiskOut, by_alias=True)
def at_risk_api(request, query: Query[DecisionQuery]):
    """Customers ordering clearly below their own 12-month baseline (A4.1)."""
    result = decisions.at_risk_customers(query.analysis(request), _as_of(query.as_of), query.limit)
    return {
        "recent": _period(result.recent),
        "baseline": _period(result.baseline),
        "months": result.months,
        "threshold": text(result.threshold),
        "rows": [text(vars(row)) for row in result.rows],
    }


@router.get("/analytics/opportunities", response=OpportunitiesOut, by_alias=True)
def opportunities_api(request, query: Query[DecisionQuery]):
    """Growing customers, lapsed categories and cross-sells by industry peers (A4.1)."""
    rows = decisions.opportunities(query.analysis(request), _as_of(query.as_of), query.limit)
    return {"rows": [text(vars(row)) for row in rows]}


@router.get("/analytics/forecast", response=ForecastOut, by_alias=True)
def forecast_api(request, query: Query[ForecastQuery]):
    """The next three periods with the method used and its back-test error (A4.1)."""
    result = decisions.forecast(
        query.analysis(request),
        query.metric,
        query.grain,
        _as_of(query.as_of),
    )
    return {
        "metric": result.metric,
        "grain": result.grain,
        "method": result.method,
        "history": [{"period": text(d), "value": text(v)} for d, v in result.history],
        "forecast": [
            {"period": text(p.period), "value": text(p.value), "by_method": text(p.by_method)}
            for p in result.points
        ],
        "backtest_error": {
            name: {"mae": text(e.mae), "mape": text(e.mape), "count": e.count}
            for name, e in result.errors.items()
        },
        "backtest": [text(vars(row)) for row in result.backtest],
    }
