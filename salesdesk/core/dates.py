"""Date helpers shared by apps."""

from datetime import date, datetime, time

from django.utils import timezone


def start_of_day(day: date | None) -> datetime | None:
    """The local midnight that starts `day`, as an aware datetime (for due times)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max))
