"""Market sizes and the market-share metric (A2.2).

Market share = our revenue ÷ the market size entered for the same segment (product
category), region and period. Sizes are entered per segment/region for a period; a request
sums the sizes whose period lies inside the requested period (or inside each time bucket).
Blank segment or region means "all".
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.models import MarketSize
from salesdesk.analytics.slicing import (
    TIME_DIMENSIONS,
    Period,
    Slice,
    bucket_next,
    buckets,
    time_dimension,
)
from salesdesk.audit.services import event_record
from salesdesk.catalog.services import _number
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.customers.inputs import Errors, _text

RATE = Decimal("0.0001")
# Market sizes are known per segment (category) and region only.
SHARE_DIMENSIONS = {"category", "region", *TIME_DIMENSIONS} - {"day", "week"}
EVENT_LABELS = {
    "market_size.entered": _("Market size entered"),
    "market_size.changed": _("Market size changed"),
}


def _date(data: dict, field: str, errors: Errors) -> date | None:
    raw = data.get(field)
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None


def clean_market_size(data: dict) -> dict:
    errors = Errors()
    cleaned = {
        "segment": _text(data, "segment", errors, max_length=60),
        "region": _text(data, "region", errors, max_length=40),
        "period_start": _date(data, "period_start", errors),
        "period_end": _date(data, "period_end", errors),
        "size": _number(data, "size", errors, required=True, minimum=Decimal("0.01")),
        "source": _text(data, "source", errors, max_length=200),
    }
    if cleaned["size"] is not None:
        cleaned["size"] = cleaned["size"].quantize(Decimal("0.01"))
    start, end = cleaned["period_start"], cleaned["period_end"]
    if start and end and end < start:
        errors.add("period_end", _("The end date is before the start date."))
    errors.raise_if_any()
    return cleaned


def market_size_enter(*, actor: Any, data: dict) -> MarketSize:
    """Enter (or correct) the market size of a segment, region and period (A2.2)."""
    if not actor.has_perm("analytics.add_marketsize"):
        raise PermissionDenied(_("You may not enter market sizes."))
    cleaned = clean_market_size(data)
    key = {k: cleaned[k] for k in ("segment", "region", "period_start", "period_end")}
    with transaction.atomic():
        existing = MarketSize.objects.select_for_update().filter(**key).first()
        if existing is None:
            entry = MarketSize.objects.create(**cleaned, entered_by=actor)
            event_record(actor=actor, verb="market_size.entered", subject=entry)
            return entry
        before = {"size": str(existing.size), "source": existing.source}
        existing.size, existing.source = cleaned["size"], cleaned["source"]
        existing.entered_by = actor
        existing.save()
        event_record(
            actor=actor,
            verb="market_size.changed",
            subject=existing,
            data={"before": before, "after": {"size": str(existing.size)}},
        )
        return existing


def _sizes(segment: str, region: str, start: date, end: date) -> Decimal | None:
    total = MarketSize.objects.filter(
        segment=segment, region=region, period_start__gte=start, period_end__lte=end
    ).aggregate(total=Sum("size"))["total"]
    return None if total is None else Decimal(total)


def market_share(sales_slice: Slice, period: Period, group_by: list[str]) -> list[dict]:
    """Revenue ÷ market size per segment, region and period bucket (A2.2)."""
    from salesdesk.analytics.metrics import revenue

    for dim in [*group_by, *sales_slice.values]:
        if dim not in SHARE_DIMENSIONS:
            raise ValidationFailed(
                _("Market share cannot be sliced by “%(name)s”.") % {"name": dim},
                code="unsupported_dimension",
                field=dim,
            )
    dim = time_dimension(group_by)
    sold = {
        tuple(row[d] for d in group_by): row["value"]
        for row in revenue(sales_slice, period, group_by)
    }
    keys = set(sold) | _market_keys(sales_slice, period, group_by, dim)
    rows = []
    for key in sorted(keys, key=lambda k: [str(v) for v in k]):
        row = dict(zip(group_by, key, strict=True))
        start, end = period.start, period.end
        if dim is not None:
            start = row[dim]
            end = min(period.end, bucket_next(dim, start) - timedelta(days=1))
        size = _sizes(
            row.get("category", sales_slice.values.get("category", "")),
            row.get("region", sales_slice.values.get("region", "")),
            max(start, period.start),
            end,
        )
        value = None
        if size:
            value = (Decimal(sold.get(key) or 0) / size).quantize(RATE)
        rows.append({**row, "value": value})
    return rows or ([] if group_by else [{"value": None}])


def _market_keys(sales_slice: Slice, period: Period, group_by: list[str], dim) -> set:
    """Groups that have a market size but no sales: their share is 0, not missing."""
    others = [d for d in group_by if d not in TIME_DIMENSIONS]
    column = {"category": "segment", "region": "region"}
    entries = MarketSize.objects.filter(period_start__gte=period.start, period_end__lte=period.end)
    for d in ("category", "region"):
        if d in others:
            entries = entries.exclude(**{column[d]: ""})
        else:
            entries = entries.filter(**{column[d]: sales_slice.values.get(d, "")})
    keys = set()
    starts = buckets(dim, period) if dim else [None]
    for entry in entries:
        for start in starts:
            if start is not None and not (
                start <= entry.period_start and entry.period_end < bucket_next(dim, start)
            ):
                continue
            values = {"category": entry.segment, "region": entry.region, dim: start}
            keys.add(tuple(values[d] for d in group_by))
    return keys
