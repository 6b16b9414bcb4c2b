"""The backups page for IT admins (R2.4): runs with sizes and verify results, "Back up now"
and "Verify" (both run in the background), filters, sorting, paging and Excel export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.backups import selectors, services
from salesdesk.backups.models import BackupRun, BackupStatus, VerifyResult
from salesdesk.core.errors import DomainError
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns

SORT_COLUMNS = (
    ("started", gettext_lazy("Started")),
    ("status", gettext_lazy("Status")),
    ("size", gettext_lazy("Size")),
    ("rows", gettext_lazy("Rows")),
)
EXPORT_HEADERS = (
    gettext_lazy("Started"),
    gettext_lazy("Finished"),
    gettext_lazy("Started by"),
    gettext_lazy("Status"),
    gettext_lazy("File"),
    gettext_lazy("Size (bytes)"),
    gettext_lazy("Tables"),
    gettext_lazy("Rows"),
    gettext_lazy("Files"),
    gettext_lazy("Verify result"),
    gettext_lazy("Verified at"),
    gettext_lazy("File removed at"),
    gettext_lazy("Message"),
)
STATUS_BADGES = {"succeeded": "badge-ok", "failed": "badge-danger", "running": "badge-warn"}


def _export_row(run: BackupRun) -> list[Any]:
    return [
        run.started_at,
        run.finished_at,
        run.get_trigger_display(),
        run.get_status_display(),
        run.file_name,
        run.size_bytes,
        run.table_count,
        run.row_count,
        run.file_count,
        run.get_verify_result_display(),
        run.verified_at,
        run.pruned_at,
        run.message,
    ]


def _checked(request) -> None:
    if not request.user.has_perm(selectors.VIEW_PERMISSION):
        raise PageForbidden


@login_required
def backup_list_view(request):
    """Every backup run, newest first; IT admins start and verify backups here."""
    _checked(request)
    status = request.GET.get("status", "")
    status = status if status in BackupStatus.values else ""
    runs, sort = selectors.backup_run_list(
        user=request.user, status=status, sort=request.GET.get("sort", "")
    )
    if request.GET.get("export") == "xlsx":
        rows = (_export_row(run) for run in runs.iterator(chunk_size=500))
        name = f"backups-{timezone.localdate().isoformat()}"
        return xlsx_response(name, EXPORT_HEADERS, rows, sheet=_("Backups"))
    context = paginate(request, runs)
    context.update(
        sort=sort,
        status=status,
        statuses=BackupStatus.choices,
        columns=sort_columns(request, sort, SORT_COLUMNS),
        export_query=query_without(request, "page", "export"),
        badges=STATUS_BADGES,
        can_run=request.user.has_perm(services.RUN_PERMISSION),
        verify_running=VerifyResult.RUNNING,
    )
    return render(request, "backups/backuprun_list.html", context)


def _act(request, call, success: str):
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("backups:list")


@login_required
@require_POST
def backup_start_view(request):
    _checked(request)
    return _act(
        request,
        lambda: services.backup_start(actor=request.user),
        _("The backup has started; refresh this page to see when it is done."),
    )


@login_required
@require_POST
def backup_verify_view(request, run_id: int):
    _checked(request)
    return _act(
        request,
        lambda: services.backup_verify_start(actor=request.user, run_id=run_id),
        _("The verification has started; refresh this page to see its result."),
    )
