"""What the customer hears (O4.2, O4.3): an expiring status link and logged delay notices."""

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from salesdesk.audit.services import access_record, event_record
from salesdesk.core import policies
from salesdesk.core.errors import NotFound, ValidationFailed
from salesdesk.notifications.services import email_queue
from salesdesk.orders.models import Delay, DelayCause, Order, StatusLink
from salesdesk.orders.services import fulfillment
from salesdesk.orders.services.intake import order_for_update


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def status_link_create(*, actor: Any, order_id: int) -> tuple[StatusLink, str]:
    """A link the customer can open without an account, valid for the policy period."""
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        return status_link_issue(order, actor)


def status_link_issue(order: Order, actor: Any) -> tuple[StatusLink, str]:
    """Issue a link for an order the calling service already checked (e.g. a dispatch)."""
    days = policies.value("orders.status_link_days")
    token = secrets.token_urlsafe(32)
    link = StatusLink.objects.create(
        order=order,
        digest=_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=actor,
    )
    event_record(
        actor=actor,
        verb="order.status_link_created",
        subject=order,
        data={"link": link.pk, "expires_at": link.expires_at.isoformat()},
    )
    url = settings.BASE_URL + reverse("orders:public_status", args=[token])
    return link, url


def status_link_open(token: str) -> Order:
    """The order behind a live link; an unknown, revoked or expired token is simply not found."""
    link = StatusLink.objects.select_related("order").filter(digest=_digest(token or "")).first()
    if link is None or link.revoked_at is not None or link.expires_at < timezone.now():
        raise NotFound(_("This link is not valid any more. Ask your sales contact for a new one."))
    StatusLink.objects.filter(pk=link.pk).update(last_viewed_at=timezone.now())
    return link.order


def _primary_email(order: Order) -> tuple[Any, str]:
    for contact in order.customer.contacts.filter(is_active=True, erased_at__isnull=True):
        if contact.email:
            return contact, contact.email
    return None, ""


def _new_date(value: Any) -> date:
    parsed = value if isinstance(value, date) else parse_date(str(value or "").strip())
    if parsed is None:
        raise ValidationFailed(_("Give the new date as YYYY-MM-DD."), extra={"field": "new_date"})
    if parsed < timezone.localdate():
        raise ValidationFailed(
            _("The new date must not be in the past."), extra={"field": "new_date"}
        )
    return parsed


def order_delay_record(
    *,
    actor: Any,
    order_id: int,
    cause: str,
    new_date: Any,
    description: str,
    notify_customer: bool = True,
) -> Delay:
    """Record a delay and tell the customer, asking for understanding (O4.3)."""
    if not actor.has_perm("orders.record_delay"):
        from salesdesk.core.errors import PermissionDenied

        raise PermissionDenied(_("You may not record delays."))
    fields: dict[str, list] = {}
    if cause not in DelayCause.values:
        fields["cause"] = [_("Choose a cause.")]
    if not (description or "").strip():
        fields["description"] = [_("Describe the delay for the customer.")]
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), fields)
    new = _new_date(new_date)
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        previous = order.expected_delivery_date or order.requested_delivery_date
        delay = Delay.objects.create(
            order=order,
            cause=cause,
            description=description.strip(),
            previous_date=previous,
            new_date=new,
            recorded_by=actor,
        )
        order.expected_delivery_date = new
        order.save(update_fields=["expected_delivery_date", "updated_at"])
        if notify_customer:
            _notify_customer(order, delay, actor)
        event_record(
            actor=actor,
            verb="order.delayed",
            subject=order,
            note=description,
            data={"cause": cause, "new_date": new.isoformat(), "notice": delay.notice_id},
        )
        fulfillment.tell_salesperson(
            order,
            gettext_noop("Order %(n)s delayed to %(d)s"),
            {"n": order.number, "d": new},
            actor=actor,
        )
    return delay


def _notify_customer(order: Order, delay: Delay, actor: Any) -> None:
    contact, address = _primary_email(order)
    if not address:
        raise ValidationFailed(
            _(
                "The customer has no contact with an e-mail address; add one "
                "or record the delay without a notice."
            ),
            code="no_customer_email",
            extra={"field": "notify_customer"},
        )
    access_record(actor=actor, subject=contact, fields=["email"], purpose="delay notice")
    _link, url = status_link_create(actor=actor, order_id=order.pk)
    body = _(
        "Dear customer,\n\nWe are sorry: your order %(n)s will be delayed.\n"
        "Reason: %(cause)s — %(text)s\nNew expected delivery date: %(date)s\n\n"
        "You can follow the order here: %(url)s\n\nThank you for your understanding."
    ) % {
        "n": order.number,
        "cause": delay.get_cause_display(),
        "text": delay.description,
        "date": delay.new_date,
        "url": url,
    }
    delay.notice = email_queue(
        to=[address],
        subject=_("Delay of order %(n)s") % {"n": order.number},
        body=body,
        actor=actor,
        related=order,
    )
    delay.save(update_fields=["notice"])
