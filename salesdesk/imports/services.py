"""Upload, check and import files through ImportJobs; the pages and the task call these (#3).

A job is checked by a dry run as soon as it is uploaded; its uploader then starts the real
import. Both run in the background. While the import's transaction is open nothing else may
be committed on SQLite, so progress goes to a small JSON file beside the upload instead of
the database; `job_progress` reads it.
"""

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from salesdesk.imports import registry
from salesdesk.imports.base import Importer, ImportReport, run_import
from salesdesk.imports.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")


def _importer_for(kind: str, actor: Any) -> type[Importer]:
    importer = registry.importer_for(kind)
    if not importer.may_import(actor):
        raise PermissionDenied(_("You may not import %(label)s.") % {"label": importer.label})
    return importer


def _enqueue_run(job_id: int, dry_run: bool) -> None:
    from salesdesk.imports.tasks import import_job_run_task  # the task calls these services

    import_job_run_task.enqueue(job_id, dry_run)


def import_job_create(
    *, kind: str, upload: UploadedFile, actor: Any, language: str = ""
) -> ImportJob:
    """Keep an uploaded CSV/XLSX file and check it by a dry run (DESIGN §6)."""
    _importer_for(kind, actor)
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationFailed.from_fields(
            _("Upload a .csv or .xlsx file."), {"file": [_("Upload a .csv or .xlsx file.")]}
        )
    if upload.size > MAX_UPLOAD_BYTES:
        message = _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        raise ValidationFailed.from_fields(message, {"file": [message]})
    with transaction.atomic():
        job = ImportJob(
            kind=kind, original_name=name[:255], created_by=actor, language=language[:10]
        )
        job.upload.save(f"{kind}{Path(name).suffix.lower()}", upload, save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue_run(job.pk, True))
    return job


def import_job_get(*, job_id: int, user: Any) -> ImportJob:
    """A job its uploader may still see: theirs, of a kind they may still import."""
    job = ImportJob.objects.filter(pk=job_id, created_by=user).first()
    if job is None:
        raise NotFound(_("No such import."))
    _importer_for(job.kind, user)
    return job


def import_job_start(*, job_id: int, actor: Any, skip_invalid: bool) -> ImportJob:
    """Import a checked file: all rows or none, or only the valid rows with `skip_invalid`."""
    with transaction.atomic():
        job = import_job_get(job_id=job_id, user=actor)
        if job.error_rows and not skip_invalid:
            raise Conflict(
                _(
                    "The check found rows with errors: correct the file and upload it again, "
                    "or choose to skip the invalid rows."
                ),
                code="import_has_errors",
                extra={"error_rows": job.error_rows},
            )
        started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
            status=ImportStatus.IMPORTING, skip_invalid=skip_invalid, started_at=None
        )
        if not started:
            raise Conflict(
                _("Only a checked file can be imported, and only once."),
                code="import_not_ready",
                extra={"status": job.status},
            )
        transaction.on_commit(lambda: _enqueue_run(job.pk, False))
    job.refresh_from_db()
    return job


def progress_path(job: ImportJob) -> Path:
    return Path(f"{job.upload.path}.progress.json")


def job_progress(job: ImportJob) -> dict:
    """Rows processed and rows with errors so far, while the job runs."""
    try:
        return json.loads(progress_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"processed": 0, "errors": 0}


def _progress_writer(path: Path):
    def write(report: ImportReport) -> None:
        partial = path.with_name(path.name + ".tmp")
        partial.write_text(
            json.dumps({"processed": report.total, "errors": report.error_rows}), encoding="utf-8"
        )
        os.replace(partial, path)

    return write


def _claim(job_id: int, dry_run: bool) -> bool:
    """Take the job for this run; a second delivery of the same task finds nothing to do."""
    jobs = ImportJob.objects.filter(pk=job_id)
    if dry_run:
        return bool(
            jobs.filter(status=ImportStatus.UPLOADED).update(status=ImportStatus.VALIDATING)
        )
    return bool(
        jobs.filter(status=ImportStatus.IMPORTING, started_at__isnull=True).update(
            started_at=timezone.now()
        )
    )


def _store(job: ImportJob, field: str, path: Path | None, suffix: str) -> None:
    if path is not None and path.exists():
        with path.open("rb") as handle:
            getattr(job, field).save(f"{job.kind}-{suffix}.csv", File(handle), save=False)


def _finish(job: ImportJob, report: ImportReport, dry_run: bool) -> None:
    job.total_rows, job.valid_rows = report.total, report.valid
    job.error_rows, job.imported_rows = report.error_rows, report.imported
    job.problems = [problem.as_dict() for problem in report.problems]
    job.ignored_columns = report.ignored_columns
    _store(job, "report", report.report_path, "errors")
    _store(job, "rejects", report.reject_path, "rejects")
    now = timezone.now()
    if dry_run:
        job.status, job.validated_at = ImportStatus.VALIDATED, now
    else:
        job.finished_at = now
        failed = report.error_rows and not job.skip_invalid
        job.status = ImportStatus.FAILED if failed else ImportStatus.DONE
        if failed:
            job.message = str(_("Nothing was imported: some rows have errors."))


def import_job_run(*, job_id: int, dry_run: bool) -> ImportJob | None:
    """Run a job's dry run or import as its uploader, in the uploader's language."""
    if not _claim(job_id, dry_run):
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = job.language or job.created_by.language or settings.LANGUAGE_CODE
    with translation.override(language), tempfile.TemporaryDirectory() as work:
        try:
            with job.upload.open("rb") as handle:
                report = run_import(
                    registry.importer_for(job.kind),
                    handle,
                    actor=job.created_by,
                    dry_run=dry_run,
                    skip_invalid=job.skip_invalid and not dry_run,
                    report_path=Path(work) / "errors.csv",
                    reject_path=Path(work) / "rejects.csv" if job.skip_invalid else None,
                    progress=_progress_writer(progress_path(job)),
                    name=job.original_name,
                )
            _finish(job, report, dry_run)
        except DomainError as error:
            job.status, job.message = ImportStatus.FAILED, str(error.message)
            job.finished_at = timezone.now()
        except Exception:
            logger.exception("import job %s failed", job_id)
            job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
            job.message = str(_("The import stopped because of an internal error."))
            job.save()
            raise
        finally:
            progress_path(job).unlink(missing_ok=True)
        if not dry_run:
            # The rows are in the database now (personal data encrypted); the plain-text
            # upload is no longer needed.
            job.upload.delete(save=False)
        job.save()
    return job
