"""The shipment page's buttons and small forms (S1–S4). Each calls one service; a refusal
comes back as a message on the shipment page and changes nothing."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from salesdesk.core.errors import DomainError
from salesdesk.shipping import forms, services
from salesdesk.shipping.documents import KINDS, shipment_pdf_response
from salesdesk.shipping.services.register import shipment_file_add
from salesdesk.shipping.views import shipment_or_404


def _attempt(request, shipment_id: int, call: Callable[[], Any], success: str):
    """Call the service for a visible shipment; say what happened on the shipment page."""
    shipment_or_404(request.user, shipment_id)
    try:
        call()
    except DomainError as exc:
        messages.error(request, problem_text(exc))
    else:
        messages.success(request, success)
    return redirect("shipping:detail", shipment_id=shipment_id)


def problem_text(error: DomainError) -> str:
    details = [m for messages_ in (error.extra.get("fields") or {}).values() for m in messages_]
    return " ".join([str(error.message), *[str(d) for d in details]])


def lines_from_post(post) -> dict[str, dict[str, str]]:
    """`received-<line>` / `damaged-<line>` inputs as the receipt services take them."""
    lines: dict[str, dict[str, str]] = {}
    for key, value in post.items():
        if key.startswith(("received-", "damaged-")):
            kind, line_id = key.split("-", 1)
            lines.setdefault(line_id, {})[kind] = value
    return lines


@login_required
@require_POST
def shipment_readiness_view(request, shipment_id: int):
    """Goods picked, inspection passed, packed with packages and weight (S1.1)."""
    post = request.POST
    payload: dict[str, Any] = {
        flag: bool(post.get(flag)) for flag in ("goods_ready", "qc_passed", "packed")
    }
    payload["qc_note"] = post.get("qc_note", "")
    for name in ("packages", "gross_weight"):
        if post.get(name, "").strip():
            payload[name] = post[name].strip()
    return _attempt(
        request,
        shipment_id,
        lambda: services.shipment_readiness(
            actor=request.user, shipment_id=shipment_id, data=payload
        ),
        _("Readiness recorded."),
    )


@login_required
@require_POST
def shipment_book_view(request, shipment_id: int):
    """Book a carrier with a valid agreement (S2.2, S2.3)."""
    data = forms.BookingForm(request.POST).values()
    carrier = data.get("carrier") or ""
    return _attempt(
        request,
        shipment_id,
        lambda: services.shipment_book(
            actor=request.user,
            shipment_id=shipment_id,
            carrier_id=int(carrier) if str(carrier).isdigit() else 0,
            mode=data.get("mode", ""),
            planned_ship_date=data.get("planned_ship_date", ""),
            promised_delivery_date=data.get("promised_delivery_date") or None,
        ),
        _("Carrier booked."),
    )


@login_required
@require_POST
def shipment_dispatch_view(request, shipment_id: int):
    """The goods leave; the customer gets the shipping notice (S3.1)."""
    data = forms.DispatchForm(request.POST).values()
    return _attempt(
        request,
        shipment_id,
        lambda: services.shipment_dispatch(
            actor=request.user,
            shipment_id=shipment_id,
            tracking_number=data.get("tracking_number", ""),
        ),
        _("Dispatched; the shipping notice is on its way to the customer."),
    )


@login_required
@require_POST
def shipment_tracking_view(request, shipment_id: int):
    """A tracking event entered by hand (S3.2)."""
    data = forms.TrackingForm(request.POST).values()
    return _attempt(
        request,
        shipment_id,
        lambda: services.tracking_add(
            actor=request.user,
            shipment_id=shipment_id,
            occurred_at=data.get("occurred_at", ""),
            description=data.get("description", ""),
            location=data.get("location", ""),
            is_exception=bool(data.get("is_exception")),
        ),
        _("Tracking event recorded."),
    )


@login_required
@require_POST
def shipment_deliver_view(request, shipment_id: int):
    note = forms.NoteForm(request.POST).values().get("note", "")
    return _attempt(
        request,
        shipment_id,
        lambda: services.shipment_deliver(actor=request.user, shipment_id=shipment_id, note=note),
        _("Marked delivered."),
    )


@login_required
@require_POST
def shipment_cancel_view(request, shipment_id: int):
    reason = forms.ReasonForm(request.POST).values().get("reason", "")
    return _attempt(
        request,
        shipment_id,
        lambda: services.shipment_cancel(
            actor=request.user, shipment_id=shipment_id, reason=reason
        ),
        _("Shipment cancelled."),
    )


@login_required
@require_POST
@never_cache
def receipt_link_view(request, shipment_id: int):
    """E-mail the customer a one-time receipt link and show it once (S4.1)."""
    shipment = shipment_or_404(request.user, shipment_id)
    try:
        url = services.receipt_link_send(actor=request.user, shipment_id=shipment.pk)
    except DomainError as exc:
        messages.error(request, problem_text(exc))
        return redirect("shipping:detail", shipment_id=shipment.pk)
    return render(request, "shipping/receipt_link_sent.html", {"shipment": shipment, "url": url})


@login_required
@require_POST
def receipt_upload_view(request, shipment_id: int):
    """Upload the signed receipt (回單) with what was received per line (S4.1)."""
    upload = forms.ReceiptUploadForm(request.POST, request.FILES).values().get("file")
    return _attempt(
        request,
        shipment_id,
        lambda: services.receipt_confirm_by_upload(
            actor=request.user,
            shipment_id=shipment_id,
            upload=upload,
            lines=lines_from_post(request.POST),
        ),
        _("Receipt confirmed."),
    )


@login_required
@require_POST
def complaint_record_view(request, shipment_id: int):
    """Record a complaint; it goes to the department as a work order (S4.2)."""
    data = forms.ComplaintForm(request.POST).values()
    line = str(data.get("line") or "")
    return _attempt(
        request,
        shipment_id,
        lambda: services.complaint_record(
            actor=request.user,
            shipment_id=shipment_id,
            description=data.get("description", ""),
            role=data.get("role", ""),
            line_id=int(line) if line.isdigit() else None,
        ),
        _("Complaint recorded and sent to the department."),
    )


@login_required
@require_POST
def complaint_resolve_view(request, shipment_id: int, complaint_id: int):
    shipment = shipment_or_404(request.user, shipment_id)
    if not shipment.complaints.filter(pk=complaint_id).exists():
        raise Http404
    data = forms.ComplaintResolveForm(request.POST).values()
    return _attempt(
        request,
        shipment_id,
        lambda: services.complaint_resolve(
            actor=request.user,
            complaint_id=complaint_id,
            outcome=data.get("outcome", ""),
            resolution=data.get("resolution", ""),
        ),
        _("Complaint resolved."),
    )


@login_required
@require_POST
def shipment_file_view(request, shipment_id: int):
    """Attach a QC report, photo or other file (S1.2)."""
    data = forms.FileForm(request.POST, request.FILES).values()
    return _attempt(
        request,
        shipment_id,
        lambda: shipment_file_add(
            actor=request.user,
            shipment_id=shipment_id,
            upload=data.get("file"),
            kind=data.get("kind", ""),
            note=data.get("note", ""),
        ),
        _("File attached."),
    )


@login_required
@require_GET
def shipment_document_view(request, shipment_id: int, kind: str):
    """Packing list, delivery note, commercial invoice or QC report as PDF (S1.2)."""
    shipment = shipment_or_404(request.user, shipment_id)
    if kind not in KINDS:
        raise Http404
    return shipment_pdf_response(shipment, kind, request.user)
