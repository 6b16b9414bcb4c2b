"""Receipt (S4.1) by one-time customer link or uploaded signed receipt (回單); complaints
routed to a department (S4.2); satisfaction survey after receipt (S4.3)."""

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.audit.services import event_record
from salesdesk.contracts.services.execution import obligations_settle
from salesdesk.core import policies
from salesdesk.core.attachments import attachment_add
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.orders.models import OrderStatus
from salesdesk.orders.workflow import ORDER
from salesdesk.shipping.models import (
    Complaint,
    ComplaintStatus,
    OneTimeLink,
    Outcome,
    Shipment,
    ShipmentStatus,
    SurveyResponse,
)
from salesdesk.shipping.services.dispatch import send_notice
from salesdesk.shipping.services.preparation import shipment_locked
from salesdesk.shipping.workflow import SHIPMENT
from salesdesk.workorders.services import work_order_create


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_create(shipment: Shipment, purpose: str) -> str:
    """A new one-time link; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    OneTimeLink.objects.create(
        shipment=shipment,
        purpose=purpose,
        digest=_digest(token),
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=policies.value("shipping.link_days")),
    )
    return settings.BASE_URL + reverse(f"shipping:public_{purpose}", args=[token])


def link_open(token: str, purpose: str) -> OneTimeLink:
    """The live link behind a token; used, expired or unknown links are simply not found."""
    link = (
        OneTimeLink.objects.select_related("shipment__order")
        .filter(digest=_digest(token or ""), purpose=purpose)
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at < timezone.now():
        raise NotFound(_("This link is not valid any more."))
    return link


def _after_receipt(shipment: Shipment, actor: Any) -> None:
    order = shipment.order
    live = order.shipments.exclude(status=ShipmentStatus.CANCELLED)
    if (
        order.status == OrderStatus.SHIPPED
        and not live.exclude(status=ShipmentStatus.RECEIPT_CONFIRMED).exists()
    ):
        apply_transition(order, "deliver", workflow=ORDER, actor=actor)
        obligations_settle(
            order=order,
            kind="delivery",
            actor=actor,
            evidence=", ".join(live.values_list("number", flat=True)),
        )
        try:
            from salesdesk.finance.services import order_close_if_done
        except ImportError:  # the finance app arrives with the rest of issue #6
            return
        order_close_if_done(order=order, actor=actor)


def _confirm(
    shipment: Shipment, actor: Any, received: dict[int, tuple[Decimal, Decimal]], how: str
) -> Shipment:
    if shipment.status == ShipmentStatus.IN_TRANSIT or shipment.status in (
        ShipmentStatus.DISPATCHED,
        ShipmentStatus.EXCEPTION,
    ):
        shipment = apply_transition(
            shipment,
            "deliver",
            workflow=SHIPMENT,
            actor=actor,
            changes={"delivered_at": timezone.now()},
        )
    for line in shipment.lines.all():
        got, damaged = received.get(line.pk, (line.quantity, Decimal(0)))
        line.received_quantity, line.damaged_quantity = got, damaged
        line.save(update_fields=["received_quantity", "damaged_quantity"])
    short = {
        str(line.pk): str(line.quantity - line.received_quantity)
        for line in shipment.lines.all()
        if line.received_quantity < line.quantity
    }
    shipment = apply_transition(
        shipment,
        "confirm_receipt",
        workflow=SHIPMENT,
        actor=actor,
        data={"how": how, "short_or_damaged": short},
        changes={"receipt_confirmed_at": timezone.now()},
    )
    _after_receipt(shipment, actor)
    return shipment


def _quantities(shipment: Shipment, lines: dict) -> dict[int, tuple[Decimal, Decimal]]:
    result, fields = {}, {}
    for line in shipment.lines.all():
        values = lines.get(str(line.pk)) or lines.get(line.pk) or {}
        try:
            got = Decimal(str(values.get("received", line.quantity)))
            damaged = Decimal(str(values.get("damaged", 0)))
        except InvalidOperation:
            fields[f"lines.{line.pk}"] = [_("Enter numbers.")]
            continue
        if not (0 <= got <= line.quantity and 0 <= damaged <= got):
            fields[f"lines.{line.pk}"] = [
                _("Received between 0 and %(q)s; damaged at most received.") % {"q": line.quantity}
            ]
        result[line.pk] = (got, damaged)
    if fields:
        raise ValidationFailed.from_fields(_("Please check the quantities."), fields)
    return result


def receipt_confirm_by_link(*, token: str, actor: Any, lines: dict | None = None) -> Shipment:
    """The customer accepts, or reports short or damaged quantities per line (S4.1)."""
    with transaction.atomic():
        link = link_open(token, OneTimeLink.Purpose.RECEIPT)
        link = OneTimeLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise NotFound(_("This link is not valid any more."))
        shipment = Shipment.objects.select_for_update().get(pk=link.shipment_id)
        if shipment.status not in (
            ShipmentStatus.DISPATCHED,
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.EXCEPTION,
            ShipmentStatus.DELIVERED,
        ):
            raise Conflict(_("This shipment cannot be confirmed now."), code="not_deliverable")
        received = _quantities(shipment, lines or {})
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        return _confirm(shipment, actor, received, "customer link")


def receipt_confirm_by_upload(
    *, actor: Any, shipment_id: int, upload, lines: dict | None = None
) -> Shipment:
    """Logistics uploads the signed receipt (回單) and records what was received (S4.1)."""
    if not actor.has_perm("shipping.book_shipment"):
        raise PermissionDenied(_("You may not confirm receipts."))
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        received = _quantities(shipment, lines or {})
        attachment_add(
            actor=actor,
            subject=shipment,
            upload=upload,
            kind="signed_receipt",
            allowed=(".pdf", ".png", ".jpg", ".jpeg"),
        )
        return _confirm(shipment, actor, received, "signed receipt")


def receipt_link_send(*, actor: Any, shipment_id: int) -> str:
    """E-mail the customer a one-time link to confirm receipt, once the goods left (S4.1)."""
    if not actor.has_perm("shipping.book_shipment"):
        raise PermissionDenied(_("You may not ask customers to confirm receipt."))
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        if shipment.status not in (
            ShipmentStatus.DISPATCHED,
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.EXCEPTION,
            ShipmentStatus.DELIVERED,
        ):
            raise Conflict(_("This shipment cannot be confirmed now."), code="not_deliverable")
        url = link_create(shipment, OneTimeLink.Purpose.RECEIPT)
        send_notice(
            shipment,
            actor,
            _("Please confirm receipt of %(s)s") % {"s": shipment.number},
            _(
                "Dear customer,\n\nPlease confirm what you received, or report short or "
                "damaged goods, here: %(url)s\n"
            )
            % {"url": url},
        )
    return url


def complaint_record(
    *, actor: Any, shipment_id: int, description: str, role: str, line_id: int | None = None
) -> Complaint:
    """A quality problem or objection, sent to a department as a work order (S4.2)."""
    if not any(
        actor.has_perm(p)
        for p in ("shipping.add_shipment", "shipping.prepare_shipment", "shipping.book_shipment")
    ):
        raise PermissionDenied(_("You may not record complaints."))
    if not (description or "").strip():
        raise ValidationFailed(_("Describe the problem."), extra={"field": "description"})
    if role not in (
        "quality",
        "production",
        "purchasing",
        "warehouse",
        "logistics",
        "finance",
        "sales_admin",
    ):
        raise ValidationFailed(_("Choose the department that handles it."), extra={"field": "role"})
    with transaction.atomic():
        shipment = shipment_locked(actor, shipment_id)
        line = shipment.lines.filter(pk=line_id).first() if line_id else None
        if line_id and line is None:
            raise ValidationFailed(_("Not a line of this shipment."), extra={"field": "line"})
        work = work_order_create(
            actor=actor,
            kind="complaint",
            role=role,
            order=shipment.order,
            order_line=line.order_line if line else None,
            instructions=description.strip(),
        )
        complaint = Complaint.objects.create(
            shipment=shipment,
            line=line,
            role=role,
            description=description.strip(),
            work_order=work,
            recorded_by=actor,
        )
        event_record(
            actor=actor,
            verb="shipment.complaint",
            subject=shipment,
            note=description,
            data={"complaint": complaint.pk, "role": role},
        )
    return complaint


def complaint_resolve(*, actor: Any, complaint_id: int, outcome: str, resolution: str) -> Complaint:
    if outcome not in Outcome.values or not (resolution or "").strip():
        raise ValidationFailed(
            _("Choose an outcome and describe the resolution."), extra={"field": "outcome"}
        )
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
        if complaint is None:
            raise NotFound(_("No such complaint."))
        shipment = shipment_locked(actor, complaint.shipment_id)
        if complaint.status == ComplaintStatus.RESOLVED:
            raise Conflict(_("Already resolved."), code="already_resolved")
        if not (
            actor.groups.filter(name=complaint.role).exists()
            or actor.has_perm("shipping.book_shipment")
        ):
            raise PermissionDenied(_("Only the handling department resolves it."))
        complaint.status, complaint.outcome = ComplaintStatus.RESOLVED, outcome
        complaint.resolution = resolution.strip()
        complaint.save()
        event_record(
            actor=actor,
            verb="shipment.complaint_resolved",
            subject=shipment,
            data={"complaint": complaint.pk, "outcome": outcome},
        )
    return complaint


def survey_send(*, actor: Any, shipment_id: int | None = None, today=None) -> int:
    """After receipt (policy delay), send one survey link per shipment (S4.3)."""
    cutoff = (today or timezone.now()) - timedelta(
        days=policies.value("shipping.survey_delay_days")
    )
    due = Shipment.objects.filter(
        status=ShipmentStatus.RECEIPT_CONFIRMED, receipt_confirmed_at__lte=cutoff
    ).exclude(links__purpose=OneTimeLink.Purpose.SURVEY)
    if shipment_id is not None:
        due = due.filter(pk=shipment_id)
    sent = 0
    for shipment in due:
        url = link_create(shipment, OneTimeLink.Purpose.SURVEY)
        send_notice(
            shipment,
            actor,
            _("How did we do? Order %(n)s") % {"n": shipment.order.number},
            _(
                "Dear customer,\n\nPlease rate product quality, delivery timeliness and our "
                "service (1–5): %(url)s\n"
            )
            % {"url": url},
        )
        event_record(actor=actor, verb="shipment.survey_sent", subject=shipment)
        sent += 1
    return sent


def survey_answer(
    *, token: str, actor: Any, quality: Any, timeliness: Any, service: Any, comment: str = ""
) -> SurveyResponse:
    scores, fields = {}, {}
    for name, value in (("quality", quality), ("timeliness", timeliness), ("service", service)):
        try:
            scores[name] = int(value)
            if not 1 <= scores[name] <= 5:
                raise ValueError
        except (TypeError, ValueError):
            fields[name] = [_("Choose a score from 1 to 5.")]
    if fields:
        raise ValidationFailed.from_fields(_("Please answer every question."), fields)
    with transaction.atomic():
        link = link_open(token, OneTimeLink.Purpose.SURVEY)
        link = OneTimeLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise NotFound(_("This link is not valid any more."))
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        shipment = link.shipment
        response = SurveyResponse.objects.create(
            shipment=shipment,
            customer=shipment.order.customer,
            comment=(comment or "")[:2000],
            **scores,
        )
        event_record(actor=actor, verb="shipment.survey_answered", subject=shipment, data=scores)
    return response
