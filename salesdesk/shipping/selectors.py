"""Reads of shipments and carriers, scoped to who asks (S1–S4, U1, U8)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound
from salesdesk.core.workflow import available_actions
from salesdesk.orders.models import Order, OrderLine
from salesdesk.orders.selectors import order_get
from salesdesk.shipping.models import Carrier, Shipment, ShipmentStatus
from salesdesk.shipping.policies import visible_to
from salesdesk.shipping.services.preparation import SHIPPABLE, shipped_quantities
from salesdesk.shipping.workflow import SHIPMENT

IN_TRANSIT = (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.EXCEPTION)
PREPARING = (ShipmentStatus.PLANNED, ShipmentStatus.PREPARING)
RECEIVABLE = (*IN_TRANSIT, ShipmentStatus.DELIVERED)
# Workflow transitions a caller starts by name (page buttons, `POST /shipments/{id}/<action>`);
# start_preparing, mark_ready, track, resume and confirm_receipt happen inside services.
CALLER_TRANSITIONS = ("book", "dispatch", "deliver", "cancel")
BOARD_LIMIT = 100


def late_condition(today: date | None = None) -> Q:
    """On the way and past the promised delivery date (S3.2)."""
    return Q(status__in=IN_TRANSIT, promised_delivery_date__lt=today or timezone.localdate())


def is_late(shipment: Shipment) -> bool:
    eta = shipment.promised_delivery_date
    return shipment.status in IN_TRANSIT and eta is not None and eta < timezone.localdate()


def shipment_list(
    *,
    user: Any,
    status: str = "",
    customer_id: int | None = None,
    carrier_id: int | None = None,
    overdue: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = "",
) -> QuerySet[Shipment]:
    """Shipments `user` may see; `q` matches the DN, tracking or order number (U8)."""
    shipments = Shipment.objects.filter(visible_to(user)).select_related(
        "order__customer", "carrier"
    )
    if status:
        shipments = shipments.filter(status=status)
    if customer_id:
        shipments = shipments.filter(order__customer_id=customer_id)
    if carrier_id:
        shipments = shipments.filter(carrier_id=carrier_id)
    if overdue:
        shipments = shipments.filter(late_condition())
    if date_from:
        shipments = shipments.filter(created_at__date__gte=date_from)
    if date_to:
        shipments = shipments.filter(created_at__date__lte=date_to)
    text = (q or "").strip()
    if text:
        shipments = shipments.filter(
            Q(number__icontains=text)
            | Q(tracking_number__icontains=text)
            | Q(order__number__icontains=text)
        )
    return shipments.order_by("-created_at", "-pk")


def shipment_get(*, user: Any, shipment_id: int) -> Shipment:
    shipment = (
        Shipment.objects.filter(visible_to(user), pk=shipment_id)
        .select_related("order__customer", "carrier", "ship_to", "created_by", "notice")
        .first()
    )
    if shipment is None:
        raise NotFound(_("No such shipment."))
    return shipment


def shipment_lines(shipment: Shipment):
    return shipment.lines.select_related("order_line__product").order_by("order_line__line_number")


def shipment_actions(shipment: Shipment, user: Any) -> list[str]:
    """What `user` may do to the shipment now: workflow transitions plus the steps that are
    not transitions (readiness, tracking, receipt). The services decide again."""
    actions = [a for a in available_actions(SHIPMENT, shipment, user) if a in CALLER_TRANSITIONS]
    if user.has_perm("shipping.prepare_shipment") and shipment.status in PREPARING:
        actions.insert(0, "readiness")
    if user.has_perm("shipping.book_shipment"):
        if shipment.status in IN_TRANSIT:
            actions.append("tracking")
        if shipment.status in RECEIVABLE:
            actions += ["receipt_link", "receipt"]
    return actions


@dataclass(frozen=True)
class LineToShip:
    line: OrderLine
    shipped: Decimal
    remaining: Decimal


def order_for_shipping(*, user: Any, order_id: int) -> Order:
    """An order the user may see and plan shipments of."""
    return order_get(user=user, order_id=order_id)


def lines_to_ship(order: Order) -> list[LineToShip]:
    """Each live order line with what is already in live shipments and what is left (U1)."""
    done = shipped_quantities(order)
    return [
        LineToShip(line, done.get(line.pk, Decimal(0)), line.quantity - done.get(line.pk, 0))
        for line in order.lines.filter(is_cancelled=False)
        .select_related("product")
        .order_by("line_number")
    ]


def order_shippable(order: Order) -> bool:
    return order.status in SHIPPABLE


def board_columns(*, user: Any) -> list[dict[str, Any]]:
    """The dispatch board: ready to book, booked, on the way, exceptions, late (S2.3, S3.2)."""
    visible = Shipment.objects.filter(visible_to(user)).select_related("order__customer", "carrier")
    late = late_condition()
    columns = (
        ("ready", _("Ready to book"), Q(status=ShipmentStatus.READY), "promised"),
        ("booked", _("Booked"), Q(status=ShipmentStatus.BOOKED), "planned"),
        (
            "transit",
            _("Dispatched / in transit"),
            Q(status__in=(ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT)) & ~late,
            "promised",
        ),
        ("exception", _("Exceptions"), Q(status=ShipmentStatus.EXCEPTION), "promised"),
        ("late", _("Late (past ETA)"), late, "promised"),
    )
    order_by = {"planned": "planned_ship_date", "promised": "promised_delivery_date"}
    result = []
    for key, label, condition, sort in columns:
        rows = visible.filter(condition).order_by(order_by[sort], "pk")
        result.append(
            {"key": key, "label": label, "count": rows.count(), "items": rows[:BOARD_LIMIT]}
        )
    return result


def carrier_list(*, user: Any, active_only: bool = False) -> QuerySet[Carrier]:
    if not user.has_perm("shipping.view_carrier"):
        return Carrier.objects.none()
    carriers = Carrier.objects.prefetch_related("agreements")
    return carriers.filter(is_active=True) if active_only else carriers


def carrier_get(*, user: Any, carrier_id: int) -> Carrier:
    carrier = carrier_list(user=user).filter(pk=carrier_id).first()
    if carrier is None:
        raise NotFound(_("No such carrier."))
    return carrier


def agreement_state(carrier: Carrier, on: date | None = None) -> str:
    """valid / expired / none: whether booking with the carrier is possible today (S2.2)."""
    on = on or timezone.localdate()
    agreements = list(carrier.agreements.all())
    if any(a.valid_from <= on <= a.valid_until for a in agreements):
        return "valid"
    return "expired" if agreements else "none"
