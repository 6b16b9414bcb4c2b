"""Shipment lifecycle (DESIGN §3): planned → preparing → ready → booked → dispatched →
in_transit → delivered → receipt_confirmed, with exception from transit (S1–S4)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.shipping.models import ShipmentStatus as S

PREPARE = "shipping.prepare_shipment"
BOOK = "shipping.book_shipment"

SHIPMENT = Workflow(
    name="shipment",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "start_preparing",
            (S.PLANNED,),
            S.PREPARING,
            PREPARE,
            "shipment.preparing",
            _("Start preparing"),
        ),
        Transition(
            "mark_ready", (S.PREPARING,), S.READY, PREPARE, "shipment.ready", _("Mark ready")
        ),
        Transition("book", (S.READY,), S.BOOKED, BOOK, "shipment.booked", _("Book carrier")),
        Transition(
            "dispatch", (S.BOOKED,), S.DISPATCHED, BOOK, "shipment.dispatched", _("Dispatch")
        ),
        Transition(
            "track", (S.DISPATCHED,), S.IN_TRANSIT, BOOK, "shipment.in_transit", _("In transit")
        ),
        Transition(
            "report_exception",
            (S.DISPATCHED, S.IN_TRANSIT),
            S.EXCEPTION,
            BOOK,
            "shipment.exception",
            _("Report exception"),
        ),
        Transition(
            "resume", (S.EXCEPTION,), S.IN_TRANSIT, BOOK, "shipment.resumed", _("Resume transit")
        ),
        Transition(
            "deliver",
            (S.DISPATCHED, S.IN_TRANSIT, S.EXCEPTION),
            S.DELIVERED,
            BOOK,
            "shipment.delivered",
            _("Mark delivered"),
        ),
        Transition(
            "confirm_receipt",
            (S.DELIVERED,),
            S.RECEIPT_CONFIRMED,
            "shipping.view_shipment",
            "shipment.receipt_confirmed",
            _("Confirm receipt"),
        ),
        Transition(
            "cancel",
            (S.PLANNED, S.PREPARING, S.READY, S.BOOKED),
            S.CANCELLED,
            PREPARE,
            "shipment.cancelled",
            _("Cancel"),
        ),
    ),
)
