"""Recurring background jobs (DESIGN §2 schedules): a registry and the claim that runs them.

Apps register from their AppConfig.ready():

    schedule.register("notifications.outbox_flush", flush_task, interval=timedelta(minutes=1))

    @schedule.every("reports.daily", daily_at=time(6, 0))
    @task()
    def daily_report_task(): ...

The worker's scheduler thread calls `run_due()` every 30 seconds. Each due schedule is
claimed with a conditional UPDATE on its `ScheduleState` row and enqueued only when that
update changed one row, so several schedulers on one database never run a job twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from salesdesk.core.models import ScheduleState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    """One recurring job: a django-tasks task run every `interval` or daily at `daily_at`."""

    name: str
    task: Any
    interval: timedelta | None = None
    daily_at: time | None = None

    def first_run(self, now: datetime) -> datetime:
        """Interval jobs run at once on first sight; daily jobs wait for their time."""
        return now if self.interval is not None else self.next_run(now)

    def next_run(self, now: datetime) -> datetime:
        if self.interval is not None:
            return now + self.interval
        local = timezone.localtime(now)
        candidate = datetime.combine(local.date(), self.daily_at, tzinfo=local.tzinfo)
        if candidate <= local:
            candidate = datetime.combine(
                local.date() + timedelta(days=1), self.daily_at, tzinfo=local.tzinfo
            )
        return candidate


_REGISTRY: dict[str, Schedule] = {}


def register(
    name: str,
    task: Any,
    *,
    interval: timedelta | None = None,
    daily_at: time | None = None,
) -> Schedule:
    """Declare a recurring job; registering the same job again is harmless."""
    if (interval is None) == (daily_at is None):
        raise ValueError(f"schedule {name}: give exactly one of interval and daily_at")
    if interval is not None and interval <= timedelta(0):
        raise ValueError(f"schedule {name}: the interval must be positive")
    if not hasattr(task, "enqueue"):
        raise TypeError(f"schedule {name}: {task!r} is not a task (decorate it with @task())")
    schedule = Schedule(name=name, task=task, interval=interval, daily_at=daily_at)
    existing = _REGISTRY.get(name)
    if existing is not None and (
        existing.interval,
        existing.daily_at,
        existing.task.module_path,
    ) != (interval, daily_at, task.module_path):
        raise ValueError(f"schedule {name} registered twice with different settings")
    _REGISTRY[name] = schedule
    return schedule


def every(
    name: str, *, minutes: int | None = None, daily_at: time | None = None
) -> Callable[[Any], Any]:
    """Decorator form of `register()` for a task: `@every("x", minutes=5)`."""

    def decorate(task: Any) -> Any:
        interval = timedelta(minutes=minutes) if minutes is not None else None
        register(name, task, interval=interval, daily_at=daily_at)
        return task

    return decorate


def schedules() -> list[Schedule]:
    return sorted(_REGISTRY.values(), key=lambda s: s.name)


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def _claim_and_enqueue(schedule: Schedule, now: datetime) -> bool:
    ScheduleState.objects.get_or_create(
        name=schedule.name, defaults={"next_run_at": schedule.first_run(now)}
    )
    with transaction.atomic():
        claimed = ScheduleState.objects.filter(name=schedule.name, next_run_at__lte=now).update(
            next_run_at=schedule.next_run(now), last_run_at=now
        )
        if claimed != 1:
            return False
        schedule.task.enqueue()
    return True


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every schedule that is due and not yet claimed; returns their names."""
    now = now or timezone.now()
    started = []
    for schedule in schedules():
        try:
            if _claim_and_enqueue(schedule, now):
                started.append(schedule.name)
        except Exception:  # one broken job must not stop the others
            logger.exception("schedule %s could not be started", schedule.name)
    return started
