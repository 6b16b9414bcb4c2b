"""The shipment list (U8, U11) and detail page (S1–S4).

The detail page's buttons and forms post to views_actions.py; planning a shipment from an
order is in views_create.py, the dispatch board in views_board.py and the carrier register in
views_carriers.py. Every write calls one service.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import role_label
from salesdesk.core.attachments import attachments_of
from salesdesk.core.errors import NotFound
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.shipping import forms
from salesdesk.shipping.models import (
    Carrier,
    ComplaintStatus,
    Outcome,
    Shipment,
    ShipmentStatus,
)
from salesdesk.shipping.selectors import (
    carrier_list,
    is_late,
    shipment_actions,
    shipment_get,
    shipment_lines,
    shipment_list,
)
from salesdesk.shipping.services import carrier_suggest

STATUS_BADGES = {
    ShipmentStatus.READY: "badge-ok",
    ShipmentStatus.BOOKED: "badge-ok",
    ShipmentStatus.EXCEPTION: "badge-danger",
    ShipmentStatus.RECEIPT_CONFIRMED: "badge-ok",
    ShipmentStatus.CANCELLED: "badge-warn",
}
DOCUMENTS = (
    ("packing-list", _("Packing list")),
    ("delivery-note", _("Delivery note")),
    ("commercial-invoice", _("Commercial invoice")),
    ("qc-report", _("Quality inspection report")),
)
SORTS = {
    "number": "number",
    "created": "created_at",
    "status": "status",
    "ship": "planned_ship_date",
    "eta": "promised_delivery_date",
}
SORT_COLUMNS = (
    ("number", _("Delivery note number")),
    ("status", _("Status")),
    ("ship", _("Planned ship date")),
    ("eta", _("Promised delivery")),
)
EXPORT_HEADERS = (
    _("Delivery note number"),
    _("Created"),
    _("Order"),
    _("Customer number"),
    _("Customer"),
    _("Status"),
    _("Carrier"),
    _("Mode"),
    _("Tracking number"),
    _("Planned ship date"),
    _("Promised delivery"),
    _("Dispatched at"),
    _("Delivered at"),
    _("Receipt confirmed at"),
    _("Past ETA"),
)


def shipment_or_404(user: Any, shipment_id: int) -> Shipment:
    """The shipment if `user` may see it; otherwise the page does not exist for them."""
    try:
        return shipment_get(user=user, shipment_id=shipment_id)
    except NotFound:
        raise Http404 from None


def _filter_form(request, visible: QuerySet[Shipment]) -> forms.ShipmentFilterForm:
    customers = (
        visible.order_by()
        .values_list("order__customer_id", "order__customer__code", "order__customer__legal_name")
        .distinct()
        .order_by("order__customer__code")
    )
    carriers = Carrier.objects.order_by("code").values_list("pk", "name")
    return forms.ShipmentFilterForm(
        request.GET,
        customers=[(pk, f"{code} {name}") for pk, code, name in customers],
        carriers=list(carriers),
    )


def filtered_shipments(request) -> tuple[QuerySet[Shipment], forms.ShipmentFilterForm, str]:
    """The list's rows for the query string: the page and the export show the same."""
    form = _filter_form(request, shipment_list(user=request.user))
    chosen = form.filters()
    shipments = shipment_list(
        user=request.user,
        status=chosen.get("status", ""),
        customer_id=chosen.get("customer"),
        carrier_id=chosen.get("carrier"),
        overdue=bool(chosen.get("overdue")),
        date_from=chosen.get("created_from"),
        date_to=chosen.get("created_to"),
        q=chosen.get("q", ""),
    )
    shipments, sort = sort_queryset(shipments, request.GET.get("sort", ""), SORTS, "-created")
    return shipments, form, sort


def _export_row(shipment: Shipment) -> list[Any]:
    customer = shipment.order.customer
    return [
        shipment.number,
        shipment.created_at,
        shipment.order.number,
        customer.code,
        customer.legal_name,
        shipment.get_status_display(),
        str(shipment.carrier or ""),
        shipment.get_mode_display(),
        shipment.tracking_number,
        shipment.planned_ship_date,
        shipment.promised_delivery_date,
        shipment.dispatched_at,
        shipment.delivered_at,
        shipment.receipt_confirmed_at,
        _("yes") if is_late(shipment) else "",
    ]


@login_required
def shipment_list_view(request):
    """Filter, search, page and export the shipments the user may see (U8, U11)."""
    if not request.user.has_perm("shipping.view_shipment"):
        raise PageForbidden
    shipments, form, sort = filtered_shipments(request)
    export = request.GET.get("export")
    if export in ("xlsx", "csv"):
        rows = (_export_row(s) for s in shipments.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        if export == "csv":
            return csv_response(f"shipments-{stamp}", EXPORT_HEADERS, rows)
        return xlsx_response(f"shipments-{stamp}", EXPORT_HEADERS, rows, sheet=_("Shipments"))
    context = paginate(request, shipments)
    context.update(
        form=form,
        sort=sort,
        rows=[
            {"shipment": s, "badge": STATUS_BADGES.get(s.status, ""), "late": is_late(s)}
            for s in context["page_obj"]
        ],
        export_query=query_without(request, "page", "export"),
        columns=sort_columns(request, sort, SORT_COLUMNS),
    )
    return render(request, "shipping/shipment_list.html", context)


@login_required
def shipment_redirect_view(request, shipment_id: int):
    """Short links (alerts point at /shipping/<id>/) lead to the detail page."""
    return redirect("shipping:detail", shipment_id=shipment_id)


def _booking(shipment: Shipment, user: Any) -> dict[str, Any]:
    suggestion = carrier_suggest(shipment, shipment.mode)
    chosen = suggestion.carrier
    today = timezone.localdate()
    carriers = carrier_list(user=user, active_only=True).order_by("name")
    form = forms.BookingForm(
        initial={
            "carrier": chosen.pk if chosen else "",
            "mode": (chosen.modes or [""])[0] if chosen else "",
            "planned_ship_date": max(shipment.planned_ship_date or today, today).isoformat(),
        },
        carriers=[(c.pk, c.name) for c in carriers],
        auto_id="booking_%s",
    )
    return {"suggestion": suggestion, "booking_form": form}


def _complaints(shipment: Shipment, user: Any) -> list[dict[str, Any]]:
    roles = set(user.groups.values_list("name", flat=True))
    logistics = user.has_perm("shipping.book_shipment")
    return [
        {
            "complaint": c,
            "department": role_label(c.role),
            "can_resolve": c.status == ComplaintStatus.OPEN and (logistics or c.role in roles),
        }
        for c in shipment.complaints.select_related("line__order_line__product", "work_order")
    ]


def _survey(shipment: Shipment):
    try:
        return shipment.survey
    except Shipment.survey.RelatedObjectDoesNotExist:
        return None


@login_required
def shipment_detail_view(request, shipment_id: int):
    """One shipment: lines, readiness, booking, tracking, receipt, complaints, survey,
    documents, files and timeline (S1–S4)."""
    user = request.user
    shipment = shipment_or_404(user, shipment_id)
    actions = shipment_actions(shipment, user)
    lines = list(shipment_lines(shipment))
    context: dict[str, Any] = {
        "shipment": shipment,
        "order": shipment.order,
        "badge": STATUS_BADGES.get(shipment.status, ""),
        "late": is_late(shipment),
        "lines": lines,
        "actions": actions,
        "readiness_form": forms.ReadinessForm(
            initial={
                name: getattr(shipment, name)
                for name in ("goods_ready", "qc_passed", "qc_note", "packed", "packages")
            }
            | {"gross_weight": shipment.gross_weight or ""},
            auto_id="readiness_%s",
        ),
        "dispatch_form": forms.DispatchForm(auto_id="dispatch_%s"),
        "tracking_form": forms.TrackingForm(
            initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
            auto_id="tracking_%s",
        ),
        "tracking": shipment.tracking.all(),
        "complaints": _complaints(shipment, user),
        "can_complain": any(
            user.has_perm(p)
            for p in (
                "shipping.add_shipment",
                "shipping.prepare_shipment",
                "shipping.book_shipment",
            )
        )
        and shipment.status != ShipmentStatus.CANCELLED,
        "complaint_form": forms.ComplaintForm(
            lines=[(line.pk, line.order_line.product.name) for line in lines],
            auto_id="complaint_%s",
        ),
        "outcomes": Outcome.choices,
        "survey": _survey(shipment),
        "documents": DOCUMENTS,
        "attachments": attachments_of(shipment).select_related("uploaded_by"),
        "can_add_files": any(
            user.has_perm(p)
            for p in (
                "shipping.add_shipment",
                "shipping.prepare_shipment",
                "shipping.book_shipment",
            )
        ),
        "file_form": forms.FileForm(auto_id="file_%s"),
    }
    if "book" in actions:
        context.update(_booking(shipment, user))
    return render(request, "shipping/shipment_detail.html", context)
