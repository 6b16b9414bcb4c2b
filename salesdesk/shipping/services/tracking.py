"""Tracking (S3.2): events entered, imported or pushed by the carrier with a signature;
exceptions tell the customer; shipments past their ETA raise alerts."""

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from salesdesk.audit.services import event_record
from salesdesk.core.errors import Unauthorized, ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.shipping.models import Shipment, ShipmentStatus, TrackingEvent, TrackingSource
from salesdesk.shipping.services.dispatch import send_notice
from salesdesk.shipping.services.preparation import shipment_locked
from salesdesk.shipping.workflow import SHIPMENT

IN_TRANSIT = (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.EXCEPTION)


def _when(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if moment is None:
        raise ValidationFailed(
            _("Enter the time as YYYY-MM-DD HH:MM."), extra={"field": "occurred_at"}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def record_tracking(
    shipment: Shipment,
    actor: Any,
    *,
    occurred_at: Any,
    description: str,
    location: str = "",
    is_exception: bool = False,
    source: str = TrackingSource.MANUAL,
) -> TrackingEvent:
    """Store one event and move the shipment: first event → in transit; an exception →
    exception state with the customer told; a later normal event resumes transit."""
    if not (description or "").strip():
        raise ValidationFailed(_("Describe the event."), extra={"field": "description"})
    if shipment.status not in IN_TRANSIT:
        raise ValidationFailed(
            _("Tracking is recorded between dispatch and delivery."),
            code="not_in_transit",
            extra={"field": "shipment"},
        )
    event = TrackingEvent.objects.create(
        shipment=shipment,
        occurred_at=_when(occurred_at),
        location=(location or "")[:100],
        description=description.strip()[:200],
        is_exception=bool(is_exception),
        source=source,
    )
    if is_exception:
        apply_transition(
            shipment,
            "report_exception",
            workflow=SHIPMENT,
            actor=actor,
            note=description,
            changes={"exception_reason": description[:200]},
        )
        send_notice(
            shipment,
            actor,
            _("Delivery problem: order %(n)s") % {"n": shipment.order.number},
            _(
                "Dear customer,\n\nThe carrier reports a problem with your shipment %(s)s: "
                "%(what)s\nWe are working on it and will keep you informed.\n"
            )
            % {"s": shipment.number, "what": description},
        )
    elif shipment.status == ShipmentStatus.DISPATCHED:
        apply_transition(shipment, "track", workflow=SHIPMENT, actor=actor)
    elif shipment.status == ShipmentStatus.EXCEPTION:
        apply_transition(shipment, "resume", workflow=SHIPMENT, actor=actor, note=description)
    event_record(
        actor=actor,
        verb="shipment.tracked",
        subject=shipment,
        note=description,
        data={"source": source, "exception": bool(is_exception)},
    )
    return event


def tracking_add(
    *,
    actor: Any,
    shipment_id: int,
    occurred_at: Any,
    description: str,
    location: str = "",
    is_exception: bool = False,
) -> TrackingEvent:
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        if not actor.has_perm("shipping.book_shipment"):
            from salesdesk.core.errors import PermissionDenied

            raise PermissionDenied(_("You may not record tracking."))
        return record_tracking(
            shipment,
            actor,
            occurred_at=occurred_at,
            description=description,
            location=location,
            is_exception=is_exception,
        )


def signature_of(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def tracking_push(*, shipment_id: int, body: bytes, signature: str, actor: Any) -> TrackingEvent:
    """A carrier pushes an event, signed with its secret; a wrong signature records nothing."""
    shipment = Shipment.objects.select_related("carrier").filter(pk=shipment_id).first()
    secret = shipment.carrier.webhook_secret if shipment and shipment.carrier else ""
    if not secret or not hmac.compare_digest(signature_of(secret, body), signature or ""):
        raise Unauthorized(_("The tracking signature is not valid."), code="bad_signature")
    try:
        payload = json.loads(body)
    except ValueError:
        raise ValidationFailed(_("The body is not JSON."), extra={"field": "body"}) from None
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        return record_tracking(
            shipment,
            actor,
            occurred_at=payload.get("occurred_at"),
            description=str(payload.get("description") or ""),
            location=str(payload.get("location") or ""),
            is_exception=bool(payload.get("exception")),
            source=TrackingSource.CARRIER,
        )


def shipment_deliver(*, actor: Any, shipment_id: int, note: str = "") -> Shipment:
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        return apply_transition(
            shipment,
            "deliver",
            workflow=SHIPMENT,
            actor=actor,
            note=note,
            changes={"delivered_at": timezone.now()},
        )


def shipments_late_alert(*, actor: Any, today=None) -> int:
    """Daily: tell logistics of shipments past their promised delivery (S3.2); once each."""
    from django.contrib.auth import get_user_model

    from salesdesk.audit.models import Event
    from salesdesk.notifications.services import notification_send

    today = today or timezone.localdate()
    late = Shipment.objects.filter(status__in=IN_TRANSIT, promised_delivery_date__lt=today)
    alerted = set(Event.objects.filter(verb="shipment.late").values_list("object_id", flat=True))
    users = get_user_model().objects.filter(is_active=True, groups__name="logistics")
    count = 0
    for shipment in late.exclude(pk__in=alerted):
        notification_send(
            recipients=users,
            actor=actor,
            title=_("Shipment %(n)s is past its ETA %(d)s")
            % {"n": shipment.number, "d": shipment.promised_delivery_date},
            url=f"/shipping/{shipment.pk}/",
        )
        event_record(actor=actor, verb="shipment.late", subject=shipment)
        count += 1
    return count
