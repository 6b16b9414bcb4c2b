"""Dispatch: goods leave stock, the order follows, and the customer gets a notice with time,
carrier, tracking number, ETA and a status link (S3.1, U1)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.audit.services import access_record, event_record
from salesdesk.catalog.services import stock_issue
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.notifications.services import email_queue
from salesdesk.orders.models import OrderStatus
from salesdesk.orders.services.customer_notices import status_link_issue
from salesdesk.orders.workflow import ORDER
from salesdesk.shipping.models import Shipment
from salesdesk.shipping.services.preparation import shipment_locked, shipped_quantities
from salesdesk.shipping.workflow import SHIPMENT


def _issue_stock(shipment: Shipment, actor: Any) -> None:
    for line in shipment.lines.select_related("order_line").order_by("order_line__product_id"):
        order_line = line.order_line
        reserved = {int(k): Decimal(v) for k, v in (order_line.reservation or {}).items()}
        used = stock_issue(
            actor=actor,
            product_id=order_line.product_id,
            quantity=line.quantity,
            reserved=reserved,
            reference=shipment.number,
        )
        for warehouse_id, take in used.items():
            reserved[warehouse_id] -= take
        order_line.reservation = {str(k): str(v) for k, v in reserved.items() if v > 0}
        order_line.reserved_quantity -= sum(used.values(), Decimal(0))
        order_line.save(update_fields=["reservation", "reserved_quantity"])


def _follow_order(shipment: Shipment, actor: Any) -> None:
    order = shipment.order
    if order.status == OrderStatus.APPROVED:
        order = apply_transition(order, "start_fulfillment", workflow=ORDER, actor=actor)
    done = shipped_quantities(order)
    if order.status == OrderStatus.IN_FULFILLMENT and all(
        done.get(line.pk, 0) >= line.quantity for line in order.lines.filter(is_cancelled=False)
    ):
        apply_transition(
            order, "ship", workflow=ORDER, actor=actor, data={"shipment": shipment.number}
        )


def customer_email(shipment: Shipment):
    for contact in shipment.order.customer.contacts.filter(is_active=True, erased_at__isnull=True):
        if contact.email:
            return contact
    return None


def send_notice(shipment: Shipment, actor: Any, subject: str, body: str) -> Any:
    """E-mail the customer's contact and log the personal-data use (S3.1, C3.3)."""
    contact = customer_email(shipment)
    if contact is None:
        raise ValidationFailed(
            _("The customer has no contact with an e-mail address."),
            code="no_customer_email",
            extra={"field": "contact"},
        )
    access_record(actor=actor, subject=contact, fields=["email"], purpose=subject[:200])
    return email_queue(
        to=[contact.email], subject=subject, body=body, actor=actor, related=shipment
    )


def shipment_dispatch(*, actor: Any, shipment_id: int, tracking_number: str) -> Shipment:
    """The goods leave: stock is issued, the order follows, the customer is told (S3.1)."""
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise ValidationFailed(
            _("Enter the carrier's tracking number."), extra={"field": "tracking_number"}
        )
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        now = timezone.now()
        shipment = apply_transition(
            shipment,
            "dispatch",
            workflow=SHIPMENT,
            actor=actor,
            data={"tracking_number": tracking_number},
            changes={"tracking_number": tracking_number[:60], "dispatched_at": now},
        )
        _issue_stock(shipment, actor)
        _follow_order(shipment, actor)
        _link, url = status_link_issue(shipment.order, actor)
        subject = _("Shipped: order %(n)s") % {"n": shipment.order.number}
        body = _(
            "Dear customer,\n\nYour goods were dispatched on %(time)s.\nCarrier: %(carrier)s\n"
            "Tracking number: %(tracking)s\nExpected delivery: %(eta)s\n\n"
            "Follow your order here: %(url)s\n"
        ) % {
            "time": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
            "carrier": shipment.carrier,
            "tracking": tracking_number,
            "eta": shipment.promised_delivery_date,
            "url": url,
        }
        shipment.notice = send_notice(shipment, actor, subject, body)
        shipment.save(update_fields=["notice"])
        event_record(
            actor=actor,
            verb="shipment.notice_sent",
            subject=shipment,
            data={"email": shipment.notice_id},
        )
    return shipment
