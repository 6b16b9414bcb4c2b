"""Reads of backup runs, for IT admins only (R2.4)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesdesk.backups.models import BackupRun
from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.core.listing import sort_queryset

VIEW_PERMISSION = "backups.view_backuprun"
SORTS = {"started": "started_at", "size": "size_bytes", "status": "status", "rows": "row_count"}


def _require_view(user: Any) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied(_("You may not see backups."))


def backup_run_list(
    *, user: Any, status: str = "", verify_result: str | None = None, sort: str = "-started"
) -> tuple[QuerySet[BackupRun], str]:
    """Backup runs, filtered by status and verify result, sorted by a whitelisted key."""
    _require_view(user)
    runs = BackupRun.objects.select_related("created_by")
    if status:
        runs = runs.filter(status=status)
    if verify_result is not None:
        runs = runs.filter(verify_result=verify_result)
    return sort_queryset(runs, sort, SORTS, "-started")


def backup_run_get(*, user: Any, run_id: int) -> BackupRun:
    _require_view(user)
    run = BackupRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such backup."))
    return run
