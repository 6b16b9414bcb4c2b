"""Shipping API (S1–S4, U1): shipments from order lines, readiness, carrier suggestion and
booking, dispatch, tracking, receipt, complaints, documents and history; the carrier register.

Every handler parses, calls one service or selector, and returns a schema. A shipment the
caller may not see is 404, an action they may not take 403, a wrong state 409.

The carrier's tracking push is open to carriers (no user token): it is authenticated by an
HMAC signature of the body with the carrier's secret (S3.2). A logged-in user's own entry
goes to `/tracking-events`.
"""

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from salesdesk.accounts.services import system_user
from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.idempotency import idempotent_create
from salesdesk.shipping import selectors, services
from salesdesk.shipping.documents import KINDS, shipment_pdf_response
from salesdesk.shipping.models import Carrier, Complaint, Shipment
from salesdesk.shipping.schemas import (
    BookIn,
    CarrierCreateIn,
    CarrierOut,
    CarrierPatchIn,
    CarrierSecretOut,
    ComplaintIn,
    ComplaintOut,
    ComplaintResolveIn,
    DispatchIn,
    NoteIn,
    ReadinessIn,
    ReasonIn,
    ReceiptLinkOut,
    ShipmentCreateIn,
    ShipmentListQuery,
    ShipmentOut,
    ShipmentPageOut,
    SuggestionOut,
    TrackingEventIn,
    TrackingEventOut,
)
from salesdesk.shipping.services import register

router = Router(tags=["shipping"])

ITEM = "/shipments/{int:shipment_id}"
CARRIER = "/carriers/{int:carrier_id}"


class TrackingAcceptedOut(Schema):
    id: int
    shipment_status: str


@router.post(
    "/shipments/{shipment_id}/tracking",
    auth=None,
    response=TrackingAcceptedOut,
    summary="Carrier pushes a tracking event (signed: X-Salesdesk-Signature)",
)
def tracking_push_api(request: HttpRequest, shipment_id: int):
    event = services.tracking_push(
        shipment_id=shipment_id,
        body=request.body,
        signature=request.headers.get("X-Salesdesk-Signature", ""),
        actor=system_user(),
    )
    event.shipment.refresh_from_db()
    return {"id": event.pk, "shipment_status": event.shipment.status}


def _shipment(request, shipment_id: int) -> Shipment:
    return selectors.shipment_get(user=request.user, shipment_id=shipment_id)


@router.get("/shipments", response=ShipmentPageOut, summary="Shipments I may see")
def shipment_list_api(request, query: Query[ShipmentListQuery]):
    shipments = selectors.shipment_list(
        user=request.user,
        status=query.status,
        customer_id=query.customer,
        carrier_id=query.carrier,
        overdue=query.overdue,
        date_from=query.date_from,
        date_to=query.date_to,
        q=query.q,
    )
    return {
        "count": shipments.count(),
        "items": list(shipments[query.offset : query.offset + query.limit]),
    }


@router.post(
    "/shipments",
    response={201: ShipmentOut, 200: ShipmentOut},
    summary="Plan a shipment from order lines (honours Idempotency-Key; a replay answers 200)",
)
def shipment_create_api(request, payload: ShipmentCreateIn):
    def create() -> Shipment:
        return services.shipment_create(
            actor=request.user,
            order_id=payload.order,
            lines=[(line.order_line, line.quantity) for line in payload.lines],
            ship_to_id=payload.ship_to,
            planned_ship_date=payload.planned_ship_date,
        )

    shipment, replayed = idempotent_create(
        request,
        "shipping.create",
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _shipment(request, pk),
    )
    return Status(200 if replayed else 201, _shipment(request, shipment.pk))


@router.get(ITEM, response=ShipmentOut, summary="One shipment with lines, tracking, complaints")
def shipment_get_api(request, shipment_id: int):
    return _shipment(request, shipment_id)


@router.post(f"{ITEM}/readiness", response=ShipmentOut, summary="Picked, inspected, packed (S1.1)")
def shipment_readiness_api(request, shipment_id: int, payload: ReadinessIn):
    data = payload.model_dump(exclude_none=True)
    services.shipment_readiness(actor=request.user, shipment_id=shipment_id, data=data)
    return _shipment(request, shipment_id)


@router.get(
    f"{ITEM}/suggest-carrier",
    response=SuggestionOut,
    summary="The carrier the policy suggests, and why (S2.1)",
)
def carrier_suggest_api(request, shipment_id: int, mode: str = ""):
    suggestion = services.carrier_suggest(_shipment(request, shipment_id), mode)
    carrier = suggestion.carrier
    return {
        "carrier": carrier.pk if carrier else None,
        "carrier_name": carrier.name if carrier else "",
        "reason": str(suggestion.reason),
        "cost": suggestion.cost,
    }


@router.post(f"{ITEM}/book", response=ShipmentOut, summary="Book a carrier (S2.2, S2.3)")
def shipment_book_api(request, shipment_id: int, payload: BookIn):
    services.shipment_book(
        actor=request.user,
        shipment_id=shipment_id,
        carrier_id=payload.carrier,
        mode=payload.mode,
        planned_ship_date=payload.planned_ship_date,
        promised_delivery_date=payload.promised_delivery_date,
    )
    return _shipment(request, shipment_id)


@router.post(
    f"{ITEM}/dispatch", response=ShipmentOut, summary="Dispatch and send the notice (S3.1)"
)
def shipment_dispatch_api(request, shipment_id: int, payload: DispatchIn):
    services.shipment_dispatch(
        actor=request.user, shipment_id=shipment_id, tracking_number=payload.tracking_number
    )
    return _shipment(request, shipment_id)


@router.post(f"{ITEM}/deliver", response=ShipmentOut, summary="Mark delivered")
def shipment_deliver_api(request, shipment_id: int, payload: NoteIn | None = None):
    note = payload.note if payload else ""
    services.shipment_deliver(actor=request.user, shipment_id=shipment_id, note=note)
    return _shipment(request, shipment_id)


@router.post(f"{ITEM}/cancel", response=ShipmentOut, summary="Cancel before dispatch")
def shipment_cancel_api(request, shipment_id: int, payload: ReasonIn):
    services.shipment_cancel(actor=request.user, shipment_id=shipment_id, reason=payload.reason)
    return _shipment(request, shipment_id)


@router.post(
    f"{ITEM}/tracking-events",
    response={201: TrackingEventOut},
    summary="Enter a tracking event by hand (S3.2)",
)
def tracking_add_api(request, shipment_id: int, payload: TrackingEventIn):
    event = services.tracking_add(
        actor=request.user,
        shipment_id=shipment_id,
        occurred_at=payload.occurred_at,
        description=payload.description,
        location=payload.location,
        is_exception=payload.exception,
    )
    return Status(201, event)


@router.post(
    f"{ITEM}/receipt-link",
    response={201: ReceiptLinkOut},
    summary="E-mail the customer a one-time receipt link (S4.1)",
)
def receipt_link_api(request, shipment_id: int):
    url = services.receipt_link_send(actor=request.user, shipment_id=shipment_id)
    return Status(201, {"url": url})


def _receipt_lines(raw: str) -> dict:
    if not raw.strip():
        return {}
    try:
        lines = json.loads(raw)
    except ValueError:
        lines = None
    if not isinstance(lines, dict):
        raise ValidationFailed(
            _('Give the lines as JSON, e.g. {"12": {"received": 8, "damaged": 1}}.'),
            extra={"field": "lines"},
        )
    return lines


@router.post(
    f"{ITEM}/receipt",
    response=ShipmentOut,
    summary="Upload the signed receipt (回單) with quantities per line (S4.1)",
)
def receipt_upload_api(request, shipment_id: int, file: File[UploadedFile], lines: Form[str] = ""):
    services.receipt_confirm_by_upload(
        actor=request.user, shipment_id=shipment_id, upload=file, lines=_receipt_lines(lines)
    )
    return _shipment(request, shipment_id)


@router.post(
    f"{ITEM}/complaints",
    response={201: ComplaintOut},
    summary="Record a complaint; it goes to the department as a work order (S4.2)",
)
def complaint_record_api(request, shipment_id: int, payload: ComplaintIn):
    complaint = services.complaint_record(
        actor=request.user,
        shipment_id=shipment_id,
        description=payload.description,
        role=payload.role,
        line_id=payload.line,
    )
    return Status(201, complaint)


@router.post(
    "/complaints/{int:complaint_id}/resolve",
    response=ComplaintOut,
    summary="Resolve a complaint with its outcome (S4.2)",
)
def complaint_resolve_api(request, complaint_id: int, payload: ComplaintResolveIn):
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    _shipment(request, complaint.shipment_id)
    services.complaint_resolve(
        actor=request.user,
        complaint_id=complaint_id,
        outcome=payload.outcome,
        resolution=payload.resolution,
    )
    return Complaint.objects.select_related("recorded_by").get(pk=complaint_id)


@router.get(
    f"{ITEM}/documents/{{kind}}.pdf",
    summary="Packing list, delivery note, commercial invoice or QC report as PDF (S1.2)",
    description="`kind`: " + ", ".join(KINDS) + ".",
)
def shipment_document_api(request, shipment_id: int, kind: str):
    shipment = _shipment(request, shipment_id)
    if kind not in KINDS:
        raise Http404
    return shipment_pdf_response(shipment, kind, request.user)


add_events_route(router, "/shipments", _shipment)


def _carrier(request, carrier_id: int) -> Carrier:
    if not request.user.has_perm("shipping.view_carrier"):
        raise DjangoPermissionDenied
    return selectors.carrier_get(user=request.user, carrier_id=carrier_id)


@router.get("/carriers", response=list[CarrierOut], summary="The carrier register (S2.1)")
def carrier_list_api(request, active: bool = False):
    if not request.user.has_perm("shipping.view_carrier"):
        raise DjangoPermissionDenied
    return list(selectors.carrier_list(user=request.user, active_only=active).order_by("code"))


@router.post(
    "/carriers",
    response={201: CarrierSecretOut},
    summary="Add a carrier; its tracking push secret is returned only now",
)
def carrier_create_api(request, payload: CarrierCreateIn):
    carrier, secret = register.carrier_create(
        actor=request.user, data=payload.model_dump(mode="python")
    )
    carrier = _carrier(request, carrier.pk)
    carrier.push_secret = secret
    return Status(201, carrier)


@router.get(CARRIER, response=CarrierOut, summary="One carrier with its agreements")
def carrier_get_api(request, carrier_id: int):
    return _carrier(request, carrier_id)


@router.patch(CARRIER, response=CarrierOut, summary="Change a carrier (S2.1)")
def carrier_update_api(request, carrier_id: int, payload: CarrierPatchIn):
    register.carrier_update(
        actor=request.user, carrier_id=carrier_id, data=payload.model_dump(exclude_unset=True)
    )
    return _carrier(request, carrier_id)


@router.post(
    f"{CARRIER}/secret",
    response=CarrierSecretOut,
    summary="Issue a new tracking push secret (shown only now; the old one stops working)",
)
def carrier_secret_api(request, carrier_id: int):
    carrier, secret = register.carrier_secret_regenerate(actor=request.user, carrier_id=carrier_id)
    carrier = _carrier(request, carrier.pk)
    carrier.push_secret = secret
    return carrier


@router.post(
    f"{CARRIER}/agreements",
    response={201: CarrierOut},
    summary="File a transport agreement with its validity (S2.2); the document is optional",
)
def agreement_add_api(
    request,
    carrier_id: int,
    reference: Form[str],
    valid_from: Form[str],
    valid_until: Form[str],
    document: File[UploadedFile] = None,
):
    register.agreement_add(
        actor=request.user,
        carrier_id=carrier_id,
        reference=reference,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
    )
    return Status(201, _carrier(request, carrier_id))


add_events_route(router, "/carriers", _carrier)
