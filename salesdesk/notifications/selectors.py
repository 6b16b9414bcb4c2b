"""Reads of notifications and the outbox, scoped to the person who asks."""

from datetime import datetime
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.notifications.models import EmailState, Notification, OutboundEmail

VIEW_OUTBOX = "notifications.view_outboundemail"


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, unread first, then newest first (O4.2)."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return notifications.order_by(unread.desc(), "-created_at", "-id")


def notification_unread_count(*, user: Any) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def outbox_list(*, user: Any, state: str = "") -> QuerySet[OutboundEmail]:
    """Every e-mail in the outbox, newest first, for those allowed to read it (admins)."""
    if not user.has_perm(VIEW_OUTBOX):
        raise PermissionDenied(_("You may not read the e-mail outbox."))
    emails = OutboundEmail.objects.all()
    if state:
        if state not in EmailState.values:
            raise ValidationFailed(
                _("Unknown e-mail state “%(state)s”.") % {"state": state},
                code="unknown_state",
                extra={"field": "state"},
            )
        emails = emails.filter(state=state)
    return emails.order_by("-created_at", "-id")


def outbox_due_ids(*, now: datetime) -> list[int]:
    """Queued e-mails whose next attempt is due: what the scheduler hands to the worker."""
    return list(
        OutboundEmail.objects.filter(state=EmailState.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:500]
    )


def failed_email_list(*, limit: int = 100) -> QuerySet[OutboundEmail]:
    failed = OutboundEmail.objects.filter(state=EmailState.FAILED)
    return failed.order_by("last_attempt_at", "id")[:limit]
