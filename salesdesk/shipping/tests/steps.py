"""Walk a shipment of `order10` through the services to the state a test starts from."""

from django.test import Client
from django.utils import timezone

from salesdesk.shipping.models import Shipment
from salesdesk.shipping.services import (
    shipment_book,
    shipment_create,
    shipment_dispatch,
    shipment_readiness,
)

READY = {
    "goods_ready": "true",
    "qc_passed": "true",
    "qc_note": "外觀與尺寸合格",
    "packed": "true",
    "packages": "2",
    "gross_weight": "12.5",
}


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def planned(order, actor, quantity=10) -> Shipment:
    line = order.lines.get()
    return shipment_create(actor=actor, order_id=order.pk, lines=[(line.pk, quantity)])


def ready(order, actor, warehouse, quantity=10) -> Shipment:
    shipment = planned(order, actor, quantity)
    return shipment_readiness(actor=warehouse, shipment_id=shipment.pk, data=READY)


def booked(order, actor, warehouse, logistics, carrier, quantity=10) -> Shipment:
    shipment = ready(order, actor, warehouse, quantity)
    return shipment_book(
        actor=logistics,
        shipment_id=shipment.pk,
        carrier_id=carrier.pk,
        mode="express",
        planned_ship_date=timezone.localdate(),
    )


def dispatched(order, actor, warehouse, logistics, carrier, quantity=10, tracking="SF1000"):
    shipment = booked(order, actor, warehouse, logistics, carrier, quantity)
    return shipment_dispatch(actor=logistics, shipment_id=shipment.pk, tracking_number=tracking)


def state(shipment: Shipment) -> dict:
    """What a refused request must leave unchanged."""
    fresh = Shipment.objects.get(pk=shipment.pk)
    return {
        "status": fresh.status,
        "carrier": fresh.carrier_id,
        "tracking": fresh.tracking_number,
        "ready": (fresh.goods_ready, fresh.qc_passed, fresh.packed),
        "events": fresh.tracking.count(),
        "complaints": fresh.complaints.count(),
        "links": fresh.links.count(),
    }
