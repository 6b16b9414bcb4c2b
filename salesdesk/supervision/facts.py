"""The facts behind a KPI: one row per record counted, with the person responsible, the day
it falls on and its contribution (E2.2). Aggregation and drill-down both read these rows, so
a KPI's value and its record list can never disagree."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from salesdesk.analytics.slicing import Period
from salesdesk.audit.models import Event

ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Fact:
    """One record behind a KPI.

    Ratio KPIs fill `numerator` and `denominator` (1/1 or 0/1 for counts, money for the
    collection rate); statistic KPIs (hours, scores) fill `value`.
    """

    kind: str
    record_id: int
    label: str
    url: str
    person_id: int | None
    day: date
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def in_numerator(self) -> bool:
        """Counted as a success (ratio KPIs); every statistic fact counts."""
        return self.numerator is None or self.numerator > 0


def day_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end) in local time, for filtering timestamps."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(period.start, time.min), zone)
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), zone)
    return start, end


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def url_of(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def events_of(model: type[models.Model], verbs: tuple[str, ...], object_ids=None, **filters):
    """Events with `verbs` on records of `model`, oldest first."""
    events = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(model), verb__in=verbs, **filters
    )
    if object_ids is not None:
        events = events.filter(object_id__in=list(object_ids))
    return events.order_by("created_at", "id")


def first_event_times(model, verb: str, object_ids) -> dict[int, datetime]:
    """When each record first got `verb` (the event log is the clock, E2.2)."""
    found: dict[int, datetime] = {}
    for object_id, moment in events_of(model, (verb,), object_ids).values_list(
        "object_id", "created_at"
    ):
        found.setdefault(object_id, moment)
    return found


def hours_between(start: datetime, end: datetime) -> Decimal:
    return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))


def success(ok: bool) -> dict[str, Decimal]:
    return {"numerator": ONE if ok else ZERO, "denominator": ONE}
