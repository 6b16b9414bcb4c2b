"""Retention and the daily schedule by policy (R2.4)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.backups import services
from salesdesk.backups.models import BackupRun, BackupStatus, BackupTrigger, VerifyResult
from salesdesk.backups.tests.conftest import set_policy
from salesdesk.core import schedule

pytestmark = pytest.mark.req("R2.4")


def recorded(directory, system_user, days_ago: int, name: str, **extra) -> BackupRun:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(b"SDBACKUP")
    started = timezone.now() - timedelta(days=days_ago)
    fields = {"status": BackupStatus.SUCCEEDED, "trigger": BackupTrigger.SCHEDULE} | extra
    return BackupRun.objects.create(
        file=str(path), started_at=started, created_by=system_user, **fields
    )


@pytest.mark.django_db
def test_retention_removes_only_old_files_beyond_the_newest_kept(backup_dir, system_user):
    set_policy("backups.keep_days", 7, system_user)
    set_policy("backups.keep_count", 2, system_user)
    runs = {age: recorded(backup_dir, system_user, age, f"b{age}.sdbk") for age in (1, 5, 8, 30)}
    failed = recorded(backup_dir, system_user, 40, "failed.sdbk", status=BackupStatus.FAILED)
    elsewhere = recorded(backup_dir.parent / "elsewhere", system_user, 50, "manual.sdbk")
    (backup_dir / "notes.txt").write_text("not a backup")

    pruned = services.backups_prune(actor=system_user)

    assert sorted(run.pk for run in pruned) == sorted([runs[8].pk, runs[30].pk])
    remaining = sorted(p.name for p in backup_dir.iterdir())
    assert remaining == ["b1.sdbk", "b5.sdbk", "failed.sdbk", "notes.txt"]
    assert (backup_dir.parent / "elsewhere" / "manual.sdbk").exists()
    for run in BackupRun.objects.all():
        assert (run.pruned_at is not None) == (run.pk in {runs[8].pk, runs[30].pk})
    assert Event.objects.filter(verb="backup.pruned").count() == 2
    assert failed.pk and elsewhere.pk


@pytest.mark.django_db
def test_retention_keeps_the_newest_count_however_old(backup_dir, system_user):
    set_policy("backups.keep_days", 1, system_user)
    set_policy("backups.keep_count", 3, system_user)
    for age in (10, 20, 30):
        recorded(backup_dir, system_user, age, f"b{age}.sdbk")
    assert services.backups_prune(actor=system_user) == []
    assert len(list(backup_dir.iterdir())) == 3


def test_the_daily_job_is_registered_every_15_minutes():
    job = {s.name: s for s in schedule.schedules()}["backups.daily"]
    assert job.interval == timedelta(minutes=15)


def local(hour: int, minute: int = 0) -> datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime(today.year, today.month, today.day, hour, minute))


@pytest.mark.django_db(transaction=True)
def test_daily_backup_runs_once_after_its_time_then_prunes_and_verifies(
    backup_dir, system_user, make_order
):
    make_order()
    set_policy("backups.daily_at", "03:00", system_user)
    old = recorded(backup_dir, system_user, 60, "ancient.sdbk")
    set_policy("backups.keep_count", 1, system_user)

    assert services.backup_scheduled(actor=system_user, now=local(2, 45)) is None
    run = services.backup_scheduled(actor=system_user, now=local(3, 5))
    assert services.backup_scheduled(actor=system_user, now=local(3, 20)) is None

    assert run.status == BackupStatus.SUCCEEDED and run.trigger == BackupTrigger.SCHEDULE
    assert run.verify_result == VerifyResult.PASSED
    assert [p.name for p in backup_dir.iterdir()] == [run.file_name]
    old.refresh_from_db()
    assert old.pruned_at is not None
    assert BackupRun.objects.filter(trigger=BackupTrigger.SCHEDULE).count() == 2


@pytest.mark.django_db
def test_daily_backup_is_off_when_the_policy_says_so(backup_dir, system_user):
    set_policy("backups.enabled", False, system_user)
    assert services.backup_scheduled(actor=system_user, now=local(23, 59)) is None
    assert not BackupRun.objects.exists()
