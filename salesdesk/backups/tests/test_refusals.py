"""Damaged backups, wrong keys and non-empty targets are refused and change nothing (R2.4)."""

import sqlite3

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection  # noqa: F401  (the skipif conditions)

from salesdesk.audit.models import Event
from salesdesk.backups import archive, services
from salesdesk.backups.errors import BackupUnreadable, RestoreTargetNotEmpty
from salesdesk.backups.models import BackupRun, VerifyResult
from salesdesk.backups.restore import backup_restore
from salesdesk.backups.tests.conftest import empty_database, set_policy
from salesdesk.notifications.models import Notification

pytestmark = [pytest.mark.req("R2.4"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def backup_file(tmp_path, make_order):
    make_order()
    target = tmp_path / "good.sdbk"
    call_command("backup", "--output", str(target))
    return target


def snapshot_of(folder):
    return sorted(
        (str(path.relative_to(folder)), path.is_dir() or path.read_bytes())
        for path in folder.rglob("*")
    )


def test_restore_into_a_dir_with_files_is_refused_and_changes_nothing(tmp_path, backup_file):
    target = tmp_path / "busy"
    (target / "media" / "attachments").mkdir(parents=True)
    (target / "media" / "attachments" / "old.pdf").write_bytes(b"%PDF old")
    before = snapshot_of(target)
    with empty_database(), pytest.raises(RestoreTargetNotEmpty, match="uploaded files") as caught:
        backup_restore(path=backup_file, data_dir=target)
    assert caught.value.code == "restore_target_not_empty"
    assert snapshot_of(target) == before


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="a SQLite data dir")
def test_restore_into_a_dir_with_a_database_is_refused_and_changes_nothing(tmp_path, backup_file):
    target = tmp_path / "busy"
    target.mkdir()
    db = sqlite3.connect(target / "salesdesk.sqlite3")
    db.execute("CREATE TABLE kept (id integer)")
    db.commit()
    db.close()
    before = snapshot_of(target)
    with pytest.raises(CommandError, match="already holds tables"):
        call_command("restore", str(backup_file), "--data-dir", str(target))
    assert snapshot_of(target) == before


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="a SQLite data dir")
def test_restore_into_an_empty_existing_database_file_is_allowed(tmp_path, backup_file):
    target = tmp_path / "fresh"
    target.mkdir()
    sqlite3.connect(target / "salesdesk.sqlite3").close()  # what a first start leaves
    outcome = backup_restore(path=backup_file, data_dir=target)
    assert outcome.passed and outcome.files >= 0


def truncated(path, tmp_path, cut=100):
    copy = tmp_path / "truncated.sdbk"
    copy.write_bytes(path.read_bytes()[:-cut])
    return copy


def test_truncated_backup_is_refused_by_restore_and_nothing_is_written(tmp_path, backup_file):
    target = tmp_path / "new"
    with empty_database(), pytest.raises(BackupUnreadable, match=r"truncated|damaged|altered"):
        backup_restore(path=truncated(backup_file, tmp_path), data_dir=target)
    assert [p.name for p in target.iterdir()] == []


def test_wrong_key_is_refused_by_restore_and_by_verify(tmp_path, backup_file, settings, it_admin):
    settings.FIELD_ENCRYPTION_KEYS_FROM_ENV = True
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    target = tmp_path / "new"
    with (
        empty_database(),
        pytest.raises(BackupUnreadable, match="None of the configured field-encryption keys"),
    ):
        backup_restore(path=backup_file, data_dir=target)
    assert not (target / "salesdesk.sqlite3").exists()
    with pytest.raises(CommandError, match="verification FAILED: None of the configured"):
        call_command("backup", "--verify", str(backup_file))
    run = BackupRun.objects.get(file=str(backup_file))
    assert run.verify_result == VerifyResult.FAILED
    assert Event.objects.filter(verb="backup.verify_failed", object_id=run.pk).count() == 1
    assert Notification.objects.filter(recipient=it_admin).count() == 1


def test_verify_of_a_truncated_file_fails_and_notifies_it_admins(tmp_path, backup_file, it_admin):
    with pytest.raises(CommandError, match="verification FAILED"):
        call_command("backup", "--verify", str(truncated(backup_file, tmp_path)))
    run = BackupRun.objects.get(trigger="external")
    assert run.verify_result == VerifyResult.FAILED
    assert Notification.objects.get(recipient=it_admin).title == "Backup verification failed"


def test_verify_detects_a_table_that_differs_from_the_manifest(
    tmp_path, make_order, monkeypatch, capsys
):
    make_order()
    real_manifest = archive.manifest

    def lying_manifest(snap, files):
        result = real_manifest(snap, files)
        result["tables"]["orders_order"]["rows"] += 1
        return result

    monkeypatch.setattr(archive, "manifest", lying_manifest)
    target = tmp_path / "lying.sdbk"
    call_command("backup", "--output", str(target))
    monkeypatch.undo()
    with pytest.raises(CommandError, match="verification FAILED"):
        call_command("backup", "--verify", str(target))
    out = capsys.readouterr().out
    assert next(line for line in out.splitlines() if "MISMATCH" in line).startswith("orders_order")
    run = BackupRun.objects.get(file=str(target))
    bad = [line for line in run.verify_report if not line["ok"]]
    assert [(b["table"], b["expected_rows"], b["rows"]) for b in bad] == [("orders_order", 2, 1)]


def test_a_failed_backup_is_recorded_and_told_to_it_admins(db, it_admin, system_user):
    set_policy("backups.directory", "relative/path", system_user)
    with pytest.raises(Exception, match="absolute path"):
        services.backup_create(actor=system_user, trigger="schedule")
    run = BackupRun.objects.get()
    assert run.status == "failed" and "absolute path" in run.message
    assert Event.objects.filter(verb="backup.failed", object_id=run.pk).count() == 1
    assert Notification.objects.get(recipient=it_admin).title == "Backup failed"
