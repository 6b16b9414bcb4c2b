"""Health check, attachment downloads and the policy settings pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from salesdesk.core.attachments import attachment_for_download
from salesdesk.core.errors import NotFound


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and `make run`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
@never_cache
def attachment_download_view(request, attachment_id: int):
    """A file, only for those who may see the record it belongs to (U9)."""
    try:
        attachment = attachment_for_download(actor=request.user, attachment_id=attachment_id)
    except NotFound:
        raise Http404 from None
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type or "application/octet-stream",
    )
