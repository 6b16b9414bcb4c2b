"""Backups: write, verify, schedule and prune (R2.4). Each run is a BackupRun with events.

A failure is recorded on the run, written as a `backup.failed`/`backup.verify_failed`
event and told to the IT admins (the `admin` role), then raised again for the caller.
"""

import logging
import os
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.audit.services import event_record
from salesdesk.backups import archive, checksums, database
from salesdesk.backups.models import BackupRun, BackupStatus, BackupTrigger, VerifyResult
from salesdesk.core import policies
from salesdesk.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

logger = logging.getLogger(__name__)
RUN_PERMISSION = "backups.run_backup"
IT_ADMIN_ROLE = "admin"


def _require(actor: Any, permission: str = RUN_PERMISSION) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not run backups."))


def backup_directory() -> Path:
    """The policy's directory, or <data dir>/backups; never inside the uploaded files."""
    configured = policies.value("backups.directory").strip()
    directory = Path(configured) if configured else settings.DATA_DIR / "backups"
    if not directory.is_absolute():
        raise ValidationFailed(
            _("The backup directory must be an absolute path."), extra={"field": "directory"}
        )
    media = Path(settings.MEDIA_ROOT).resolve()
    if directory.resolve() == media or media in directory.resolve().parents:
        raise ValidationFailed(
            _("The backup directory may not be inside the uploaded files."),
            extra={"field": "directory"},
        )
    return directory


def _file_name(now: datetime) -> str:
    return f"salesdesk-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.sdbk"


def backup_write(path: Path) -> dict:
    """Write one backup file at `path` (via a .partial file, mode 0600); its manifest."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
            snap = database.snapshot(Path(work))
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                manifest = archive.write(handle, snap, Path(settings.MEDIA_ROOT))
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _notify_it_admins(run: BackupRun, title: str, body: str) -> None:
    from salesdesk.accounts.services import system_user
    from salesdesk.notifications.services import notification_send

    admins = get_user_model().objects.filter(groups__name=IT_ADMIN_ROLE, is_active=True)
    notification_send(
        recipients=admins, title=title, body=body, url="/backups/", email=True, actor=system_user()
    )


def _fail(run: BackupRun, actor: Any, exc: Exception) -> None:
    message = str(getattr(exc, "message", exc))[:4000]
    logger.error("backup %s failed: %s", run.pk, message)
    with transaction.atomic():
        BackupRun.objects.filter(pk=run.pk).update(
            status=BackupStatus.FAILED, message=message, finished_at=timezone.now()
        )
        run.refresh_from_db()
        event_record(actor=actor, verb="backup.failed", subject=run, note=message)
        _notify_it_admins(run, _("Backup failed"), message)


def backup_create(
    *, actor: Any, trigger: str, output: Path | None = None, run: BackupRun | None = None
) -> BackupRun:
    """Write a backup now and record it; the run of `backup_start`, or a new one (R2.4)."""
    _require(actor)
    if run is None:
        run = BackupRun.objects.create(trigger=trigger, started_at=timezone.now(), created_by=actor)
    try:
        path = (output or backup_directory() / _file_name(run.started_at)).resolve()
        manifest = backup_write(path)
    except Exception as exc:
        _fail(run, actor, exc)
        raise
    counts = {table: item["rows"] for table, item in manifest["tables"].items()}
    with transaction.atomic():
        BackupRun.objects.filter(pk=run.pk).update(
            status=BackupStatus.SUCCEEDED,
            file=str(path),
            size_bytes=path.stat().st_size,
            db_vendor=manifest["db_vendor"],
            finished_at=timezone.now(),
            table_count=len(counts),
            row_count=sum(counts.values()),
            file_count=len(manifest["files"]),
            counts=counts,
        )
        run.refresh_from_db()
        event_record(
            actor=actor,
            verb="backup.created",
            subject=run,
            data={"file": run.file_name, "size": run.size_bytes, "rows": run.row_count},
        )
    logger.info("backup %s written to %s (%s bytes)", run.pk, path, run.size_bytes)
    return run


def backup_start(*, actor: Any) -> BackupRun:
    """ "Back up now": record a running backup and write it in the background."""
    from salesdesk.backups.tasks import backup_run_task

    _require(actor)
    with transaction.atomic():
        # A run left "running" by a worker that died does not block new backups for ever.
        recent = timezone.now() - timedelta(hours=6)
        running = BackupRun.objects.select_for_update().filter(
            status=BackupStatus.RUNNING, started_at__gte=recent
        )
        if running.exists():
            raise Conflict(_("A backup is already running."), code="backup_running")
        run = BackupRun.objects.create(
            trigger=BackupTrigger.MANUAL, started_at=timezone.now(), created_by=actor
        )
        transaction.on_commit(lambda: backup_run_task.enqueue(run.pk))
    return run


def backup_check(path: Path) -> tuple[bool, list[dict], dict]:
    """Restore `path` into a scratch database and compare it with its manifest.

    Returns (passed, per-table report, manifest); an unreadable file raises BackupUnreadable.
    """
    with tempfile.TemporaryDirectory(prefix="salesdesk-verify-") as work:
        with open(path, "rb") as source:
            extracted = archive.read(source, Path(work), keep_files=False)
        database.check_vendor(extracted.manifest["db_vendor"])
        with database.scratch(extracted.database) as alias:
            actual = checksums.database_summary(alias)
    report = checksums.compare(extracted.manifest["tables"], actual)
    return all(line["ok"] for line in report), report, extracted.manifest


def _run_for_file(path: Path, actor: Any) -> BackupRun:
    run = BackupRun.objects.filter(file=str(path)).first()
    if run is not None:
        return run
    now = timezone.now()
    return BackupRun.objects.create(
        trigger=BackupTrigger.EXTERNAL,
        status=BackupStatus.SUCCEEDED,
        file=str(path),
        size_bytes=path.stat().st_size,
        started_at=now,
        finished_at=now,
        created_by=actor,
    )


def backup_verify(*, actor: Any, run_id: int | None = None, path: Path | None = None) -> BackupRun:
    """Verify a backup (by run, or by file for the command line) and record the result."""
    _require(actor)
    if run_id is not None:
        run = BackupRun.objects.filter(pk=run_id).first()
        if run is None:
            raise NotFound(_("No such backup."))
        path = Path(run.file)
    else:
        path = path.resolve()
        if not path.is_file():
            raise ValidationFailed(_("No backup file at %(path)s.") % {"path": path}, field="file")
        run = _run_for_file(path, actor)
    BackupRun.objects.filter(pk=run.pk).update(verify_result=VerifyResult.RUNNING)
    try:
        passed, report, _manifest = backup_check(path)
        message = ""
    except (DomainError, OSError, RuntimeError) as exc:
        passed, report, message = False, [], str(getattr(exc, "message", exc))
    result = VerifyResult.PASSED if passed else VerifyResult.FAILED
    with transaction.atomic():
        BackupRun.objects.filter(pk=run.pk).update(
            verify_result=result, verified_at=timezone.now(), verify_report=report
        )
        run.refresh_from_db()
        bad = [line["table"] for line in report if not line["ok"]]
        verb = "backup.verified" if passed else "backup.verify_failed"
        note = message or ", ".join(bad[:20])
        event_record(actor=actor, verb=verb, subject=run, note=note, data={"tables": len(report)})
        if not passed:
            _notify_it_admins(run, _("Backup verification failed"), f"{run.file_name}: {note}")
    run.verify_message = message
    return run


def backup_verify_start(*, actor: Any, run_id: int) -> BackupRun:
    """The "Verify" button: check the run can be verified, then verify in the background."""
    from salesdesk.backups.tasks import backup_verify_task

    _require(actor)
    with transaction.atomic():
        run = BackupRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise NotFound(_("No such backup."))
        if run.status != BackupStatus.SUCCEEDED or run.pruned_at or not Path(run.file).is_file():
            raise Conflict(_("Only a written backup whose file exists can be verified."))
        if run.verify_result == VerifyResult.RUNNING:
            raise Conflict(_("This backup is being verified."), code="verify_running")
        BackupRun.objects.filter(pk=run.pk).update(verify_result=VerifyResult.RUNNING)
        transaction.on_commit(lambda: backup_verify_task.enqueue(run.pk, actor.pk))
    run.refresh_from_db()
    return run


def backups_prune(*, actor: Any, now: datetime | None = None) -> list[BackupRun]:
    """Remove backup files past retention: older than keep_days and not among the newest
    keep_count. Only files of recorded runs in the backup directory are touched (R2.4)."""
    _require(actor)
    now = now or timezone.now()
    directory = backup_directory().resolve()
    cutoff = now - timedelta(days=policies.value("backups.keep_days"))
    runs = [
        run
        for run in BackupRun.objects.filter(status=BackupStatus.SUCCEEDED, pruned_at=None)
        .exclude(file="")
        .order_by("-started_at", "-pk")
        if Path(run.file).parent == directory
    ]
    pruned = []
    for run in runs[policies.value("backups.keep_count") :]:
        if run.started_at >= cutoff:
            continue
        Path(run.file).unlink(missing_ok=True)
        with transaction.atomic():
            BackupRun.objects.filter(pk=run.pk).update(pruned_at=now)
            event_record(actor=actor, verb="backup.pruned", subject=run, data={"file": run.file})
        logger.info("backup %s past retention: removed %s", run.pk, run.file)
        pruned.append(run)
    return pruned


def _due_today(now: datetime) -> datetime | None:
    local = timezone.localtime(now)
    hour, minute = (int(part) for part in policies.value("backups.daily_at").split(":"))
    due = datetime.combine(local.date(), time(hour, minute), tzinfo=local.tzinfo)
    return due if local >= due else None


def backup_scheduled(*, actor: Any, now: datetime | None = None) -> BackupRun | None:
    """The daily backup by policy: once a day after `backups.daily_at`, then retention and,
    by policy, a verification. Checked every 15 minutes, so a changed time needs no restart."""
    now = now or timezone.now()
    if not policies.value("backups.enabled"):
        return None
    due = _due_today(now)
    if due is None:
        return None
    with transaction.atomic():
        if BackupRun.objects.filter(trigger=BackupTrigger.SCHEDULE, started_at__gte=due).exists():
            return None
        run = BackupRun.objects.create(
            trigger=BackupTrigger.SCHEDULE, started_at=now, created_by=actor
        )
    run = backup_create(actor=actor, trigger=BackupTrigger.SCHEDULE, run=run)
    backups_prune(actor=actor, now=now)
    if policies.value("backups.verify"):
        run = backup_verify(actor=actor, run_id=run.pk)
    return run
