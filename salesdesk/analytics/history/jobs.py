"""History import runs as `ImportJob` records (kind "history"): the CLI's and the web's (A1.1).

A run is recorded once, not per row: one ImportJob with the totals, the first errors and a
summary per file (kept in its `problems` JSON as {"files": [...], "errors": [...]}); the
framework's own pages ignore this kind. On the web the three uploaded files are kept together
as one ZIP, checked by a dry run in the background, then imported on request. The checkpoint
and the progress of a web run are small JSON files beside the ZIP.
"""

import csv
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.history.importers import HistoryImporter
from salesdesk.analytics.history.runner import (
    FILES,
    SUFFIXES,
    HistoryReport,
    Progress,
    find_files,
    history_import,
)
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.imports.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

KIND = "history"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # per file; larger histories go through the CLI


def _check_permission(actor: Any) -> None:
    if not HistoryImporter.may_import(actor):
        raise PermissionDenied(_("You may not import sales history."))


def summary(report: HistoryReport) -> dict[str, Any]:
    return {
        "files": [
            {"key": r.key, "name": r.name, "skipped": r.skipped, **r.counts.as_dict()}
            for r in report.files
        ],
        "errors": report.problems,
        "first_day": report.first_day.isoformat() if report.first_day else "",
        "last_day": report.last_day.isoformat() if report.last_day else "",
    }


def _record(job: ImportJob, report: HistoryReport) -> None:
    read = sum(r.counts.read for r in report.files)
    job.total_rows, job.error_rows = read, report.error_rows
    job.valid_rows = read - report.error_rows
    job.imported_rows = 0 if report.dry_run else report.created
    job.problems = summary(report)
    job.ignored_columns = sorted({c for r in report.files for c in r.ignored_columns})


def history_run_logged(
    files: dict[str, Path], *, actor: Any, dry_run: bool, source: str, **options: Any
) -> HistoryReport:
    """`history_import` for the CLI; a real run leaves one ImportJob as its record."""
    _check_permission(actor)
    if dry_run:
        return history_import(files, actor=actor, dry_run=True, **options)
    job = ImportJob.objects.create(
        kind=KIND,
        original_name=source[-255:],
        created_by=actor,
        status=ImportStatus.IMPORTING,
        started_at=timezone.now(),
    )
    try:
        report = history_import(files, actor=actor, **options)
    except BaseException as error:  # interrupted too: the record must not stay "importing"
        job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
        job.message = str(_("Interrupted (%(error)s): run it again to resume.")) % {
            "error": type(error).__name__
        }
        job.save()
        raise
    _record(job, report)
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.save()
    return report


def history_job_create(
    *, uploads: dict[str, UploadedFile], actor: Any, language: str = ""
) -> ImportJob:
    """Keep the uploaded history files as one ZIP and check them by a dry run."""
    _check_permission(actor)
    uploads = {key: upload for key, upload in uploads.items() if upload}
    errors: dict[str, list[Any]] = {}
    for key, upload in uploads.items():
        if Path(upload.name or "").suffix.lower() not in SUFFIXES:
            errors[key] = [_("Upload a .csv or .xlsx file.")]
        elif upload.size > MAX_UPLOAD_BYTES:
            errors[key] = [
                _("The file is larger than %(mb)s MB: use the command line.")
                % {"mb": MAX_UPLOAD_BYTES // 2**20}
            ]
    if not uploads:
        errors["order_lines"] = [_("Upload at least one of the three files.")]
    if errors:
        raise ValidationFailed.from_fields(_("Check the files."), errors)
    archive = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for key, upload in uploads.items():
            suffix = Path(upload.name).suffix.lower()
            with bundle.open(f"{key}{suffix}", "w", force_zip64=True) as member:
                for chunk in upload.chunks():
                    member.write(chunk)
    archive.seek(0)
    names = ", ".join(Path(upload.name).name for upload in uploads.values())
    with transaction.atomic():
        job = ImportJob(
            kind=KIND, original_name=names[:255], created_by=actor, language=language[:10]
        )
        job.upload.save("history.zip", File(archive), save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk, True))
    return job


def _enqueue(job_id: int, dry_run: bool) -> None:
    from salesdesk.analytics.history.tasks import history_job_run_task

    history_job_run_task.enqueue(job_id, dry_run)


def history_job_get(*, job_id: int, user: Any) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, kind=KIND, created_by=user).first()
    if job is None:
        raise NotFound(_("No such import."))
    _check_permission(user)
    return job


def history_job_start(*, job_id: int, actor: Any, accept_errors: bool) -> ImportJob:
    """Import checked files: the valid rows, after the user accepted any rows with errors."""
    with transaction.atomic():
        job = history_job_get(job_id=job_id, user=actor)
        if job.error_rows and not accept_errors:
            raise Conflict(
                _("The check found rows with errors: confirm that they are to be skipped."),
                code="import_has_errors",
            )
        started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
            status=ImportStatus.IMPORTING, skip_invalid=accept_errors, started_at=None
        )
        if not started:
            raise Conflict(
                _("Only a checked file can be imported, and only once."), code="import_not_ready"
            )
        transaction.on_commit(lambda: _enqueue(job.pk, False))
    job.refresh_from_db()
    return job


def progress_path(job: ImportJob) -> Path:
    return Path(f"{job.upload.path}.progress.json")


def job_progress(job: ImportJob) -> dict:
    try:
        return json.loads(progress_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _progress_writer(path: Path) -> Progress:
    def write(key: str, name: str, done: int, total: int) -> None:
        partial = path.with_name(path.name + ".tmp")
        data = {"file": name, "processed": done, "total": total}
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)

    return write


def _claim(job_id: int, dry_run: bool) -> bool:
    jobs = ImportJob.objects.filter(pk=job_id, kind=KIND)
    if dry_run:
        return bool(
            jobs.filter(status=ImportStatus.UPLOADED).update(status=ImportStatus.VALIDATING)
        )
    return bool(
        jobs.filter(status=ImportStatus.IMPORTING, started_at__isnull=True).update(
            started_at=timezone.now()
        )
    )


def _error_report(job: ImportJob, report: HistoryReport, work: Path) -> None:
    """One CSV of every problem of every file: file, line, column, message."""
    paths = [(r.name, r.report_path) for r in report.files if r.report_path]
    if not paths:
        return
    combined = work / "errors.csv"
    with combined.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "line", "column", "message"])
        for name, path in paths:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = csv.reader(handle)
                next(rows, None)
                writer.writerows([name, *row] for row in rows)
    with combined.open("rb") as handle:
        job.report.save(f"history-{job.pk}-errors.csv", File(handle), save=False)


def history_job_run(*, job_id: int, dry_run: bool) -> ImportJob | None:
    """Run a job's check or import as its uploader, in the uploader's language."""
    if not _claim(job_id, dry_run):
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = job.language or job.created_by.language or settings.LANGUAGE_CODE
    progress = progress_path(job)
    with translation.override(language), tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        try:
            with zipfile.ZipFile(job.upload.path) as bundle:
                allowed = {f"{key}{suffix}" for key, _i in FILES for suffix in SUFFIXES}
                for member in bundle.namelist():
                    if member in allowed:
                        bundle.extract(member, work_dir / "files")
            report = history_import(
                find_files(work_dir / "files"),
                actor=job.created_by,
                dry_run=dry_run,
                checkpoint=Path(f"{job.upload.path}.checkpoint.json"),
                report_dir=work_dir,
                progress=_progress_writer(progress),
            )
            _record(job, report)
            _error_report(job, report, work_dir)
            now = timezone.now()
            if dry_run:
                job.status, job.validated_at = ImportStatus.VALIDATED, now
            else:
                job.status, job.finished_at = ImportStatus.DONE, now
        except Exception as error:
            logger.exception("history import job %s failed", job_id)
            job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
            message = getattr(error, "message", None)
            job.message = str(message or _("The import stopped because of an internal error."))
        finally:
            progress.unlink(missing_ok=True)
        if job.status == ImportStatus.DONE:
            job.upload.delete(save=False)  # the rows are in the database now
        job.save()
    return job
