"""Metric reads scoped to the viewer (A2.2, C3.3): salespeople see their own customers only."""

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.metrics import SUMMED, Rows, metric_get, summed_many
from salesdesk.analytics.slicing import (
    SLICE_COLUMNS,
    TIME_DIMENSIONS,
    Period,
    Slice,
    bucket_next,
    bucket_start,
    validate_group_by,
)
from salesdesk.analytics.top import metric_top
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.customers.models import Customer
from salesdesk.customers.policies import visible_to


def _parse_date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text},
            code="invalid_date",
            field=name,
        ) from None


def _period(start: date, end: date, time_filters: dict[str, date]) -> Period:
    """The requested range, narrowed to the bucket of every time filter (`month=2026-03-01`)."""
    for dim, day in time_filters.items():
        first = bucket_start(dim, day)
        last = bucket_next(dim, first) - timedelta(days=1)
        start, end = max(start, first), min(end, last)
    return Period(start, end)


def viewer_slice(user: Any, values: dict[str, str]) -> Slice:
    if not user.has_perm("customers.view_customer"):
        raise PermissionDenied(_("You may not see sales figures."))
    if user.has_perm("customers.view_all_customers"):
        return Slice(values=values)
    return Slice(
        values=values, visible_codes=Customer.objects.filter(visible_to(user)).values("code")
    )


def metric_rows(
    *,
    user: Any,
    metric: str,
    group_by: str,
    start: str,
    end: str,
    filters: dict[str, str],
    top: int | None = None,
) -> tuple[Period, Rows]:
    """Validate the request, then compute one metric over the viewer's slice (A2.1, A2.2).

    With `top`, only the `top` groups with the largest values, largest first."""
    definition = metric_get(metric)
    if top is not None and not 1 <= top <= 1000:
        raise ValidationFailed(
            _("Top must be between 1 and 1000."), code="invalid_top", field="top"
        )
    period, dimensions, sales_slice = _request(user, group_by, start, end, filters)
    if sales_slice is None:
        return period, []
    if top is not None:
        return period, metric_top(metric, sales_slice, period, dimensions, top)
    return period, definition.compute(sales_slice, period, dimensions)


def metric_rows_many(
    *,
    user: Any,
    metrics: list[str],
    group_by: str,
    start: str,
    end: str,
    filters: dict[str, str],
) -> tuple[Period, dict[str, Rows]]:
    """Several metrics over the same request: what `metric_rows` answers for each, with the
    summed ones sharing a query where they share a source (dashboards)."""
    definitions = {name: metric_get(name) for name in metrics}
    period, dimensions, sales_slice = _request(user, group_by, start, end, filters)
    if sales_slice is None:
        return period, {name: [] for name in metrics}
    summed = [name for name in metrics if name in SUMMED]
    result = summed_many(summed, sales_slice, period, dimensions)
    for name in metrics:
        if name not in result:
            result[name] = definitions[name].compute(sales_slice, period, dimensions)
    return period, result


def _request(
    user: Any, group_by: str, start: str, end: str, filters: dict[str, str]
) -> tuple[Period, list[str], Slice | None]:
    """The period, dimensions and viewer's slice of a request (no slice: an empty period)."""
    dimensions = validate_group_by([d.strip() for d in group_by.split(",") if d.strip()])
    first, last = _parse_date("from", start), _parse_date("to", end)
    if last < first:
        raise ValidationFailed(
            _("The end date is before the start date."), code="invalid_period", field="to"
        )
    time_filters = {d: _parse_date(d, v) for d, v in filters.items() if d in TIME_DIMENSIONS}
    values = {d: v for d, v in filters.items() if d in SLICE_COLUMNS}
    period = _period(first, last, time_filters)
    if period.end < period.start:
        return period, dimensions, None
    return period, dimensions, viewer_slice(user, values)
