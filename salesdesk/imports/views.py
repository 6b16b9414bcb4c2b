"""Import pages: upload with the column template, preview of the dry run, import, progress."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.core.errors import NotFound, ValidationFailed
from salesdesk.core.errors import PermissionDenied as Refused
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.imports import registry, services
from salesdesk.imports.base import Importer
from salesdesk.imports.models import ImportJob, ImportStatus

RECENT_JOBS = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8, GB18030 or Big5) or XLSX, at most 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


def _importer(kind: str, user) -> type[Importer]:
    try:
        importer = registry.importer_for(kind)
    except NotFound:
        raise Http404 from None
    if not importer.may_import(user):
        raise PermissionDenied
    return importer


def _job(job_id: int, user) -> ImportJob:
    try:
        return services.import_job_get(job_id=job_id, user=user)
    except NotFound:
        raise Http404 from None
    except Refused:
        raise PermissionDenied from None


@login_required
def import_index_view(request):
    importers = registry.available_to(request.user)
    if not importers:
        raise PermissionDenied
    kinds = [importer.kind for importer in importers]
    jobs = ImportJob.objects.filter(created_by=request.user, kind__in=kinds)[:RECENT_JOBS]
    return render(request, "imports/importjob_list.html", {"importers": importers, "jobs": jobs})


@login_required
def import_new_view(request, kind: str):
    importer = _importer(kind, request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                kind=kind,
                upload=form.cleaned_data["file"],
                actor=request.user,
                language=get_language() or "",
            )
        except ValidationFailed as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("imports:job", job_id=job.pk)
    return render(request, "imports/importjob_new.html", {"importer": importer, "form": form})


@login_required
def import_template_view(request, kind: str, file_format: str):
    importer = _importer(kind, request.user)
    headers = importer.column_names()
    rows = [[example.get(name, "") for name in headers] for example in importer.examples]
    filename = f"{kind}-template"
    if file_format == "csv":
        return csv_response(filename, headers, rows)
    if file_format == "xlsx":
        return xlsx_response(filename, headers, rows, sheet=kind)
    raise Http404


def _job_context(job: ImportJob) -> dict:
    progress = services.job_progress(job) if job.is_running else {}
    return {
        "job": job,
        "importer": registry.importer_for(job.kind),
        "progress": progress,
        "statuses": ImportStatus,
    }


@login_required
def import_job_view(request, job_id: int):
    job = _job(job_id, request.user)
    return render(request, "imports/importjob_detail.html", _job_context(job))


@login_required
def import_job_progress_view(request, job_id: int):
    job = _job(job_id, request.user)
    response = render(request, "imports/partials/importjob_progress.html", _job_context(job))
    if not job.is_running and request.htmx:
        # The run ended: reload the page to show its result.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_job_start_view(request, job_id: int):
    job = _job(job_id, request.user)
    services.import_job_start(
        job_id=job.pk, actor=request.user, skip_invalid=bool(request.POST.get("skip_invalid"))
    )
    messages.success(request, _("The import has started."))
    return redirect("imports:job", job_id=job.pk)


@login_required
def import_job_file_view(request, job_id: int, which: str):
    job = _job(job_id, request.user)
    stored = {"errors": job.report, "rejects": job.rejects}.get(which)
    if not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=f"{job.kind}-{job.pk}-{which}.csv"
    )
