from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from salesdesk.core import schedule
from salesdesk.core.models import ScheduleState

RUNS: list[str] = []


@task()
def tick_task() -> None:
    RUNS.append("tick")


@task()
def report_task() -> None:
    RUNS.append("report")


@pytest.fixture
def ticking():
    RUNS.clear()
    schedule.register("test.tick", tick_task, interval=timedelta(minutes=1))
    schedule.register("test.report", report_task, daily_at=time(6, 0))
    yield
    schedule.unregister("test.tick")
    schedule.unregister("test.report")


def test_outbox_flush_is_registered_every_minute():
    flush = {s.name: s for s in schedule.schedules()}["notifications.outbox_flush"]
    assert flush.interval == timedelta(minutes=1)
    assert flush.task.module_path == "salesdesk.notifications.tasks.outbox_flush_task"


@pytest.mark.django_db
def test_run_due_claims_once_per_interval(ticking):
    now = timezone.now()
    assert "test.tick" in schedule.run_due(now)
    assert "test.tick" not in schedule.run_due(now)
    assert "test.tick" not in schedule.run_due(now + timedelta(seconds=30))
    assert RUNS.count("tick") == 1
    state = ScheduleState.objects.get(name="test.tick")
    assert (state.last_run_at, state.next_run_at) == (now, now + timedelta(minutes=1))
    assert "test.tick" in schedule.run_due(now + timedelta(seconds=61))
    assert RUNS.count("tick") == 2


@pytest.mark.django_db
def test_a_second_scheduler_finds_the_schedule_claimed(ticking):
    now = timezone.now()
    ScheduleState.objects.create(name="test.tick", next_run_at=now - timedelta(seconds=5))
    first = schedule.run_due(now)
    second = schedule.run_due(now)  # another worker, same moment
    assert ("test.tick" in first, "test.tick" in second) == (True, False)
    assert RUNS.count("tick") == 1


@pytest.mark.django_db
def test_daily_schedule_waits_for_its_time(ticking, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    shanghai = ZoneInfo("Asia/Shanghai")
    morning = datetime(2026, 3, 2, 5, 0, tzinfo=shanghai)
    assert "test.report" not in schedule.run_due(morning)
    state = ScheduleState.objects.get(name="test.report")
    assert state.next_run_at == datetime(2026, 3, 2, 6, 0, tzinfo=shanghai)
    assert "test.report" in schedule.run_due(datetime(2026, 3, 2, 6, 0, 20, tzinfo=shanghai))
    state.refresh_from_db()
    assert state.next_run_at == datetime(2026, 3, 3, 6, 0, tzinfo=shanghai)
    assert RUNS.count("report") == 1


@pytest.mark.django_db
def test_a_failing_schedule_does_not_stop_the_others(ticking, monkeypatch):
    original = ImmediateBackend.enqueue

    def enqueue(backend, task_to_run, args, kwargs):
        if task_to_run.func is report_task.func:
            raise RuntimeError("queue is down")
        return original(backend, task_to_run, args, kwargs)

    monkeypatch.setattr(ImmediateBackend, "enqueue", enqueue)
    schedule.register("test.broken", report_task, interval=timedelta(minutes=5))
    try:
        started = schedule.run_due(timezone.now())
    finally:
        schedule.unregister("test.broken")
    assert "test.tick" in started
    assert "test.broken" not in started
    # The claim rolled back with the failed enqueue, so the next pass tries again.
    assert ScheduleState.objects.get(name="test.broken").last_run_at is None


def test_every_decorator_registers_the_task():
    decorated = schedule.every("test.every", minutes=5)(tick_task)
    try:
        assert decorated is tick_task
        assert {s.name: s for s in schedule.schedules()}["test.every"].interval == timedelta(
            minutes=5
        )
    finally:
        schedule.unregister("test.every")


@pytest.mark.parametrize(
    "options",
    [{}, {"interval": timedelta(minutes=1), "daily_at": time(6)}, {"interval": timedelta(0)}],
)
def test_register_refuses_unclear_timing(options):
    with pytest.raises(ValueError):
        schedule.register("test.bad", tick_task, **options)


def test_register_refuses_a_name_twice_with_other_settings():
    schedule.register("test.twice", tick_task, interval=timedelta(minutes=1))
    try:
        schedule.register("test.twice", tick_task, interval=timedelta(minutes=1))
        with pytest.raises(ValueError):
            schedule.register("test.twice", tick_task, interval=timedelta(minutes=2))
    finally:
        schedule.unregister("test.twice")
