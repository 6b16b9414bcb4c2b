"""Shipping API. The carrier's tracking push is open to carriers (no user token): it is
authenticated by an HMAC signature of the body with the carrier's secret (S3.2)."""

from django.http import HttpRequest
from ninja import Router, Schema

from salesdesk.accounts.services import system_user
from salesdesk.shipping.services import tracking_push

router = Router(tags=["shipping"])


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
    event = tracking_push(
        shipment_id=shipment_id,
        body=request.body,
        signature=request.headers.get("X-Salesdesk-Signature", ""),
        actor=system_user(),
    )
    event.shipment.refresh_from_db()
    return {"id": event.pk, "shipment_status": event.shipment.status}
