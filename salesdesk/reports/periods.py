"""The months and quarters a pack covers, and the periods it is compared with (A3.1)."""

import re
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.slicing import Period, bucket_next, bucket_shift, bucket_start
from salesdesk.core.errors import ValidationFailed
from salesdesk.reports.models import ReportKind

BUCKET = {ReportKind.MONTHLY: "month", ReportKind.QUARTERLY: "quarter"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def _refusal(field: str, message, code: str) -> ValidationFailed:
    return ValidationFailed(
        message, code=code, extra={"field": field, "fields": {field: [str(message)]}}
    )


def kind_checked(kind: str) -> str:
    if kind not in ReportKind.values:
        raise _refusal("kind", _("Choose monthly or quarterly."), "invalid_kind")
    return kind


def period_of(kind: str, start: date) -> Period:
    """The month or quarter that begins on `start`."""
    dimension = BUCKET[kind]
    return Period(start, bucket_next(dimension, start) - timedelta(days=1))


def period_parse(kind: str, text: str, *, today: date) -> Period:
    """`2025-03` for a month, `2025-Q1` (or any month of it) for a quarter; it must be over."""
    kind_checked(kind)
    text = (text or "").strip()
    month = _MONTH.match(text)
    quarter = _QUARTER.match(text)
    if quarter and kind == ReportKind.QUARTERLY:
        start = date(int(quarter[1]), (int(quarter[2]) - 1) * 3 + 1, 1)
    elif month and 1 <= int(month[2]) <= 12 and int(month[1]) >= 1900:
        start = bucket_start(BUCKET[kind], date(int(month[1]), int(month[2]), 1))
    else:
        example = "2025-Q1" if kind == ReportKind.QUARTERLY else "2025-03"
        message = _("Give the period as %(example)s.") % {"example": example}
        raise _refusal("period", message, "invalid_period")
    period = period_of(kind, start)
    if period.end >= today:
        message = _("The period has not ended yet: a pack covers a finished period.")
        raise _refusal("period", message, "period_not_ended")
    return period


def last_ended(kind: str, today: date) -> Period:
    """The month or quarter that ended most recently before `today`."""
    dimension = BUCKET[kind]
    current = bucket_start(dimension, today)
    return period_of(kind, bucket_shift(dimension, current, year=False))


def previous(kind: str, period: Period) -> Period:
    return period_of(kind, bucket_shift(BUCKET[kind], period.start, year=False))


def year_before(kind: str, period: Period) -> Period:
    return period_of(kind, bucket_shift(BUCKET[kind], period.start, year=True))


def trailing_months(period: Period, months: int = 12) -> Period:
    """The `months` whole months that end with the period."""
    start = period.end.replace(day=1)
    for _step in range(months - 1):
        start = bucket_shift("month", start, year=False)
    return Period(start, period.end)


def label(kind: str, period: Period) -> str:
    if kind == ReportKind.QUARTERLY:
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    return period.start.strftime("%Y-%m")
