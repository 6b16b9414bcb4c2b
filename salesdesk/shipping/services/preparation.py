"""Plan a shipment from approved order lines (partial shipments allowed) and get it ready:
picked, inspected, packed (S1.1, U1)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import numbering
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.orders.models import Order, OrderLine, OrderStatus
from salesdesk.orders.policies import visible_to as orders_visible_to
from salesdesk.shipping.models import Shipment, ShipmentLine, ShipmentStatus
from salesdesk.shipping.policies import visible_to
from salesdesk.shipping.workflow import SHIPMENT

SHIPMENT_DOCUMENT = numbering.register_document_type("shipment", "DN", _("Delivery note"))
SHIPPABLE = (OrderStatus.APPROVED, OrderStatus.IN_FULFILLMENT, OrderStatus.SHIPPED)
LIVE = [s for s in ShipmentStatus.values if s != ShipmentStatus.CANCELLED]


def shipped_quantities(order: Order) -> dict[int, Decimal]:
    """Per order line: the quantity already in live shipments."""
    rows = (
        ShipmentLine.objects.filter(order_line__order=order, shipment__status__in=LIVE)
        .values("order_line")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_line"]: row["total"] for row in rows}


def shipment_create(
    *,
    actor: Any,
    order_id: int,
    lines: list[tuple[int, Any]],
    ship_to_id: int | None = None,
    planned_ship_date=None,
) -> Shipment:
    """Plan goods of an approved order for one dispatch; never more than is left to ship."""
    if not actor.has_perm("shipping.add_shipment"):
        raise PermissionDenied(_("You may not plan shipments."))
    with transaction.atomic():
        order = (
            Order.objects.select_for_update().filter(orders_visible_to(actor), pk=order_id).first()
        )
        if order is None:
            raise NotFound(_("No such order."))
        if order.status not in SHIPPABLE:
            raise Conflict(_("Only approved orders can be shipped."), code="not_shippable")
        done = shipped_quantities(order)
        order_lines = {line.pk: line for line in order.lines.filter(is_cancelled=False)}
        fields: dict[str, list] = {}
        wanted = []
        for index, (line_id, raw) in enumerate(lines, start=1):
            line = order_lines.get(int(line_id))
            try:
                quantity = Decimal(str(raw))
            except (InvalidOperation, ValueError):
                quantity = Decimal(0)
            if line is None:
                fields[f"lines.{index}.order_line"] = [_("Not a line of this order.")]
            elif quantity <= 0 or quantity > line.quantity - done.get(line.pk, 0):
                fields[f"lines.{index}.quantity"] = [
                    _("Between 0 and the %(left)s still to ship.")
                    % {"left": line.quantity - done.get(line.pk, 0)}
                ]
            else:
                wanted.append((line, quantity))
        if not lines:
            fields["lines"] = [_("Choose at least one line to ship.")]
        if fields:
            raise ValidationFailed.from_fields(_("Please correct the shipment lines."), fields)
        ship_to = (
            order.customer.addresses.filter(pk=ship_to_id, is_active=True).first()
            if (ship_to_id)
            else order.customer.addresses.filter(is_active=True, is_default=True).first()
        )
        shipment = Shipment.objects.create(
            number=numbering.next_number("shipment"),
            order=order,
            ship_to=ship_to,
            planned_ship_date=planned_ship_date,
            created_by=actor,
        )
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment=shipment, order_line=line, quantity=quantity)
            for line, quantity in wanted
        )
        event_record(
            actor=actor,
            verb="shipment.created",
            subject=shipment,
            to_state=shipment.status,
            data={
                "order": order.number,
                "lines": {str(line.line_number): str(q) for line, q in wanted},
            },
        )
    return shipment


def shipment_locked(actor: Any, shipment_id: int) -> Shipment:
    shipment = (
        Shipment.objects.select_for_update().filter(visible_to(actor), pk=shipment_id).first()
    )
    if shipment is None:
        raise NotFound(_("No such shipment."))
    return shipment


def shipment_readiness(*, actor: Any, shipment_id: int, data: dict) -> Shipment:
    """Record picking, quality inspection and packing; all three make it ready (S1.1)."""
    if not actor.has_perm("shipping.prepare_shipment"):
        raise PermissionDenied(_("You may not prepare shipments."))
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        if shipment.status == ShipmentStatus.PLANNED:
            shipment = apply_transition(shipment, "start_preparing", workflow=SHIPMENT, actor=actor)
        if shipment.status != ShipmentStatus.PREPARING:
            raise Conflict(_("Readiness is recorded while preparing."), code="not_preparing")
        changes = {}
        for flag in ("goods_ready", "qc_passed", "packed"):
            if flag in data:
                changes[flag] = str(data[flag]).lower() in {"1", "true", "on", "yes"}
        if "qc_note" in data:
            changes["qc_note"] = str(data["qc_note"])[:200]
        try:
            if "packages" in data:
                changes["packages"] = max(0, int(data["packages"]))
            if "gross_weight" in data:
                changes["gross_weight"] = max(Decimal(0), Decimal(str(data["gross_weight"])))
        except (ValueError, InvalidOperation):
            raise ValidationFailed(
                _("Enter whole packages and a weight in kg."), extra={"field": "packages"}
            ) from None
        if changes.get("packed") and not (changes.get("packages") or shipment.packages):
            raise ValidationFailed(_("Say how many packages."), extra={"field": "packages"})
        for name, value in changes.items():
            setattr(shipment, name, value)
        shipment.save()
        event_record(
            actor=actor,
            verb="shipment.readiness",
            subject=shipment,
            data={k: str(v) for k, v in changes.items()},
        )
        if shipment.goods_ready and shipment.qc_passed and shipment.packed:
            shipment = apply_transition(shipment, "mark_ready", workflow=SHIPMENT, actor=actor)
    return shipment


def shipment_cancel(*, actor: Any, shipment_id: int, reason: str) -> Shipment:
    if not (reason or "").strip():
        raise ValidationFailed(_("Give a reason."), extra={"field": "reason"})
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        return apply_transition(shipment, "cancel", workflow=SHIPMENT, actor=actor, note=reason)


def line_remaining(line: OrderLine) -> Decimal:
    return line.quantity - shipped_quantities(line.order).get(line.pk, Decimal(0))
