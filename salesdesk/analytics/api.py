"""Metrics over HTTP (A2.1, A2.2): one metric, grouped and filtered, as Decimal strings."""

import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from salesdesk.analytics.market import market_size_enter
from salesdesk.analytics.models import MarketSize
from salesdesk.analytics.selectors import metric_rows
from salesdesk.analytics.slicing import DIMENSIONS
from salesdesk.core.errors import PermissionDenied

router = Router(tags=["analytics"])


class MetricQuery(Schema):
    metric: str = Field(description="revenue, gross_margin, churn_rate, … (docs/metrics.md)")
    group_by: str = Field("", description="One or two dimensions, comma-separated")
    start: str = Field(alias="from", description="First day, YYYY-MM-DD")
    end: str = Field(alias="to", description="Last day, YYYY-MM-DD (inclusive)")
    top: int | None = Field(None, description="Only the N groups with the largest values")
    day: str | None = None
    week: str | None = None
    month: str | None = None
    quarter: str | None = None
    year: str | None = None
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


class MetricOut(Schema):
    metric: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    rows: list[dict[str, Any]] = Field(
        description='Each row: the group\'s dimension values and "value" (decimal string or null)'
    )


def _text(value: Any) -> Any:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@router.get("/analytics/metrics", response=MetricOut, by_alias=True)
def metric_api(request, query: Query[MetricQuery]):
    """One metric for a period, grouped by up to two dimensions and filtered by any (A2.2)."""
    filters = {
        dim: value
        for dim in DIMENSIONS
        if (value := getattr(query, dim)) is not None and value != ""
    }
    period, rows = metric_rows(
        user=request.user,
        metric=query.metric,
        group_by=query.group_by,
        start=query.start,
        end=query.end,
        filters=filters,
        top=query.top,
    )
    # Written here rather than validated against MetricOut row by row: a year by customer is
    # 100,000 rows, and every value is already a string, a date or a Decimal (tests/test_api
    # checks the shape against the schema).
    payload = {
        "metric": query.metric,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "rows": rows,
    }
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_text),
        content_type="application/json; charset=utf-8",
    )


class MarketSizeIn(Schema):
    segment: str = Field("", description="Product category; empty = all segments")
    region: str = Field("", description="Sales region; empty = all regions")
    period_start: str = Field(description="YYYY-MM-DD")
    period_end: str = Field(description="YYYY-MM-DD (inclusive)")
    size: str = Field(description="Market size excl. tax, decimal string")
    source: str = ""


class MarketSizeOut(Schema):
    id: int
    segment: str
    region: str
    period_start: str
    period_end: str
    size: str
    source: str


def _market_size(entry) -> dict:
    return {
        "id": entry.pk,
        "segment": entry.segment,
        "region": entry.region,
        "period_start": entry.period_start.isoformat(),
        "period_end": entry.period_end.isoformat(),
        "size": str(entry.size),
        "source": entry.source,
    }


@router.get("/analytics/market-sizes", response=list[MarketSizeOut], summary="Market sizes")
def market_sizes_api(request, segment: str | None = None, region: str | None = None):
    """The market sizes market share divides by (A2.2)."""
    if not request.user.has_perm("analytics.view_marketsize"):
        raise PermissionDenied(_("You may not see market sizes."))
    entries = MarketSize.objects.all()
    if segment is not None:
        entries = entries.filter(segment=segment)
    if region is not None:
        entries = entries.filter(region=region)
    return [_market_size(entry) for entry in entries[:1000]]


@router.post(
    "/analytics/market-sizes",
    response={201: MarketSizeOut},
    summary="Enter or correct a market size",
)
def market_size_enter_api(request, payload: MarketSizeIn):
    """Same segment, region and period again corrects the size (an event records both)."""
    entry = market_size_enter(actor=request.user, data=payload.dict())
    return Status(201, _market_size(entry))
