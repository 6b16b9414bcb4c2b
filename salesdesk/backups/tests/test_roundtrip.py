"""Backup, verify and restore round trips on the configured database (R2.4)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from salesdesk.audit.models import Event
from salesdesk.backups import checksums, database
from salesdesk.backups.models import BackupRun, BackupStatus, VerifyResult
from salesdesk.backups.restore import backup_restore
from salesdesk.backups.tests.conftest import empty_database
from salesdesk.orders.models import Order

pytestmark = [pytest.mark.req("R2.4"), pytest.mark.django_db(transaction=True)]
sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="restores into a new SQLite data dir"
)


def test_backup_command_writes_an_encrypted_file_and_records_the_run(
    tmp_path, make_order, media_file, capsys
):
    make_order()
    target = tmp_path / "out.sdbk"
    call_command("backup", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(b"SDBACKUP")
    assert b"%PDF-1.4 quotation" not in data and "精工".encode() not in data
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    run = BackupRun.objects.get()
    assert (run.status, run.trigger, run.file) == (BackupStatus.SUCCEEDED, "command", str(target))
    assert run.size_bytes == len(data) and run.counts["orders_order"] == 1
    assert run.file_count >= 1
    assert Event.objects.filter(verb="backup.created", object_id=run.pk).count() == 1
    assert "backup written" in capsys.readouterr().out


def test_verify_restores_into_scratch_and_reports_every_table(tmp_path, make_order, capsys):
    make_order()
    target = tmp_path / "out.sdbk"
    call_command("backup", "--output", str(target))
    call_command("backup", "--verify", str(target))
    out = capsys.readouterr().out
    assert "orders_order" in out and "MISMATCH" not in out and "verification passed" in out
    run = BackupRun.objects.get()
    assert run.verify_result == VerifyResult.PASSED and run.verified_at is not None
    assert {line["table"] for line in run.verify_report} >= {"orders_order", "django_migrations"}
    assert Event.objects.filter(verb="backup.verified", object_id=run.pk).count() == 1


@sqlite_only
def test_restore_into_an_empty_data_dir_gives_the_same_data_and_files(
    tmp_path, make_order, media_file, capsys
):
    make_order()
    make_order()
    target = tmp_path / "out.sdbk"
    call_command("backup", "--output", str(target))
    manifest_tables = BackupRun.objects.get().counts
    restored = tmp_path / "restored"
    call_command("restore", str(target), "--data-dir", str(restored))
    assert "tables match the manifest" in capsys.readouterr().out
    db_file = restored / "salesdesk.sqlite3"
    with database.temporary_alias(NAME=str(db_file)) as alias:
        summary = checksums.database_summary(alias)
    assert {table: item["rows"] for table, item in summary.items()} == manifest_tables
    assert summary["orders_order"]["rows"] == 2
    relative = media_file.relative_to(media_file.parents[3])
    assert (restored / "media" / relative).read_bytes() == media_file.read_bytes()
    assert (restored / "hash_key").exists() and (restored / "field_keys").exists()
    assert not list(restored.glob(".restore-*"))


def _write_orders(make_order, stop: threading.Event, written: list) -> None:
    try:
        while not stop.is_set():
            written.append(make_order().pk)
    finally:
        connection.close()


def test_backup_taken_while_orders_are_written_is_consistent(tmp_path, make_order, capsys):
    make_order()
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_write_orders, args=(make_order, stop, written))
    writer.start()
    try:
        while len(written) < 3:
            threading.Event().wait(0.05)
        target = tmp_path / "busy.sdbk"
        call_command("backup", "--output", str(target))
    finally:
        stop.set()
        writer.join(timeout=60)
    run = BackupRun.objects.get(file=str(target))
    total = Order.objects.count()
    assert 1 + 3 <= run.counts["orders_order"] <= total
    # Every order in the snapshot came with its lines: no half-written order.
    assert run.counts["orders_orderline"] == run.counts["orders_order"]
    call_command("backup", "--verify", str(target))
    assert "verification passed" in capsys.readouterr().out
    if connection.vendor == "sqlite":
        call_command("restore", str(target), "--data-dir", str(tmp_path / "restored"))
        assert "tables match the manifest" in capsys.readouterr().out


def test_restore_into_the_live_database_is_refused_and_changes_nothing(tmp_path, make_order):
    make_order()
    target = tmp_path / "out.sdbk"
    call_command("backup", "--output", str(target))
    before = checksums.database_summary()
    with pytest.raises(Exception, match="already holds tables"):
        backup_restore(path=target)
    assert checksums.database_summary() == before


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL restore")
def test_restore_into_an_empty_postgresql_database(tmp_path, make_order, media_file):
    make_order()
    target = tmp_path / "out.sdbk"
    call_command("backup", "--output", str(target))
    expected = BackupRun.objects.get().counts
    with empty_database():
        outcome = backup_restore(path=target, data_dir=tmp_path / "restored")
        with pytest.raises(Exception, match="already holds tables"):
            backup_restore(path=target, data_dir=tmp_path / "again")
    assert outcome.passed
    assert {line["table"]: line["rows"] for line in outcome.report} == expected
    relative = media_file.relative_to(media_file.parents[3])
    assert (tmp_path / "restored" / "media" / relative).read_bytes() == media_file.read_bytes()
