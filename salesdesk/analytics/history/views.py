"""History import pages (A1.1): upload three files, see the check, import, follow progress."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.analytics.history import jobs
from salesdesk.analytics.history.importers import CUSTOMER_COLUMNS, PRODUCT_COLUMNS
from salesdesk.analytics.history.lines import LINE_COLUMNS
from salesdesk.core.errors import Conflict, NotFound, ValidationFailed
from salesdesk.core.errors import PermissionDenied as Refused
from salesdesk.imports.models import ImportJob, ImportStatus

RECENT_JOBS = 20
ACCEPT = {"accept": ".csv,.xlsx"}


class HistoryUploadForm(forms.Form):
    customers = forms.FileField(
        label=gettext_lazy("Customers file"), required=False, widget=forms.FileInput(ACCEPT)
    )
    products = forms.FileField(
        label=gettext_lazy("Products file"), required=False, widget=forms.FileInput(ACCEPT)
    )
    order_lines = forms.FileField(
        label=gettext_lazy("Order lines file"), required=False, widget=forms.FileInput(ACCEPT)
    )


def _allowed(user) -> None:
    if not jobs.HistoryImporter.may_import(user):
        raise PermissionDenied


def _job(job_id: int, user) -> ImportJob:
    try:
        return jobs.history_job_get(job_id=job_id, user=user)
    except NotFound:
        raise Http404 from None
    except Refused:
        raise PermissionDenied from None


@login_required
def history_import_view(request):
    _allowed(request.user)
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.history_job_create(
                uploads=dict(form.cleaned_data), actor=request.user, language=get_language() or ""
            )
        except ValidationFailed as error:
            for name, problems in (error.extra.get("fields") or {}).items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, str(problem))
        else:
            return redirect("analytics:history_job", job_id=job.pk)
    recent = ImportJob.objects.filter(kind=jobs.KIND, created_by=request.user)[:RECENT_JOBS]
    templates = [
        ("customers", CUSTOMER_COLUMNS),
        ("products", PRODUCT_COLUMNS),
        ("order_lines", LINE_COLUMNS),
    ]
    return render(
        request,
        "analytics/history_import.html",
        {"form": form, "jobs": recent, "templates": templates},
    )


def _context(job: ImportJob) -> dict:
    summary = job.problems if isinstance(job.problems, dict) else {}
    return {
        "job": job,
        "summary": summary,
        "progress": jobs.job_progress(job) if job.is_running else {},
        "statuses": ImportStatus,
    }


@login_required
def history_job_view(request, job_id: int):
    job = _job(job_id, request.user)
    return render(request, "analytics/history_job.html", _context(job))


@login_required
def history_job_progress_view(request, job_id: int):
    job = _job(job_id, request.user)
    response = render(request, "analytics/partials/history_progress.html", _context(job))
    if not job.is_running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def history_job_start_view(request, job_id: int):
    job = _job(job_id, request.user)
    try:
        jobs.history_job_start(
            job_id=job.pk, actor=request.user, accept_errors=bool(request.POST.get("accept"))
        )
    except Conflict as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The import has started."))
    return redirect("analytics:history_job", job_id=job.pk)


@login_required
def history_job_errors_view(request, job_id: int):
    job = _job(job_id, request.user)
    if not job.report:
        raise Http404
    return FileResponse(
        job.report.open("rb"), as_attachment=True, filename=f"history-{job.pk}-errors.csv"
    )
