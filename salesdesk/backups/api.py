"""Backups API (R2.4): list runs, start a backup, verify one; IT admins only.

`GET /backups` needs `backups.view_backuprun`; starting and verifying need
`backups.run_backup`. Both run in the background: the answer is the run as recorded now.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from salesdesk.audit.api import add_events_route
from salesdesk.backups import selectors, services
from salesdesk.backups.models import BackupRun, BackupStatus

router = Router(tags=["backups"])


class BackupQuery(Schema):
    status: Literal[tuple(BackupStatus.values)] | Literal[""] = ""
    sort: Literal["started", "-started", "size", "-size", "status", "-status"] = "-started"
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class BackupOut(Schema):
    id: int
    trigger: str
    status: str
    file_name: str
    size_bytes: int
    db_vendor: str
    started_at: datetime
    finished_at: datetime | None
    table_count: int
    row_count: int
    file_count: int
    counts: dict[str, int]
    message: str
    verified_at: datetime | None
    verify_result: str = Field(description="'', running, passed or failed.")
    verify_report: list[dict]
    pruned_at: datetime | None


class BackupPageOut(Schema):
    count: int
    items: list[BackupOut]


def _run(request, run_id: int) -> BackupRun:
    return selectors.backup_run_get(user=request.user, run_id=run_id)


@router.get("/backups", response=BackupPageOut, summary="Backup runs, newest first")
def backup_list_api(request, query: Query[BackupQuery]):
    runs, _sort = selectors.backup_run_list(user=request.user, status=query.status, sort=query.sort)
    return {"count": runs.count(), "items": list(runs[query.offset : query.offset + query.limit])}


@router.post("/backups", response={202: BackupOut}, summary="Start a backup now")
def backup_start_api(request):
    return Status(202, services.backup_start(actor=request.user))


@router.get("/backups/{int:run_id}", response=BackupOut, summary="One backup run")
def backup_get_api(request, run_id: int):
    return _run(request, run_id)


@router.post("/backups/{int:run_id}/verify", response={202: BackupOut}, summary="Verify a backup")
def backup_verify_api(request, run_id: int):
    _run(request, run_id)
    return Status(202, services.backup_verify_start(actor=request.user, run_id=run_id))


add_events_route(router, "/backups", _run)
