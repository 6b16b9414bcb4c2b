"""Every write to notifications and the e-mail outbox (DESIGN §2, O4.2, S3.1).

An e-mail is sent in three steps so that no database lock is held while the mail server
answers: claim the due row (count the attempt, push `next_attempt_at` out by the backoff,
commit), send, then record the outcome. A second worker that picks up the same e-mail
meanwhile finds it not due and leaves it alone.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.notifications.models import EmailState, Notification, OutboundEmail
from salesdesk.notifications.workflow import OUTBOX, SEND

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 50
MAX_ERROR_LENGTH = 2000


def _refusal(field: str, message: Any, code: str) -> ValidationFailed:
    return ValidationFailed(
        message, code=code, extra={"field": field, "fields": {field: [str(message)]}}
    )


def _require_actor(actor: Any) -> None:
    if actor is None or getattr(actor, "pk", None) is None:
        raise ValueError("a service call needs a saved actor")


def _clean_addresses(to: str | Iterable[str]) -> list[str]:
    raw = to.split(",") if isinstance(to, str) else list(to)
    addresses: list[str] = []
    for item in raw:
        address = str(item).strip()
        if address and address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    if not addresses:
        raise _refusal("to", _("Give at least one e-mail address."), "recipient_required")
    if len(addresses) > MAX_RECIPIENTS:
        raise _refusal(
            "to",
            _("An e-mail may have at most %(max)s recipients.") % {"max": MAX_RECIPIENTS},
            "too_many_recipients",
        )
    for address in addresses:
        try:
            validate_email(address)
        except DjangoValidationError:
            raise _refusal(
                "to",
                _("“%(address)s” is not a valid e-mail address.") % {"address": address},
                "invalid_email_address",
            ) from None
    return addresses


def _clean_subject(subject: str) -> str:
    subject = (subject or "").strip()
    if not subject:
        raise _refusal("subject", _("Give the e-mail a subject."), "subject_required")
    if "\n" in subject or "\r" in subject:
        raise _refusal("subject", _("The subject must be a single line."), "subject_multiline")
    if len(subject) > OutboundEmail._meta.get_field("subject").max_length:
        raise _refusal(
            "subject", _("The subject may have at most 250 characters."), "subject_too_long"
        )
    return subject


def _enqueue_send(email_id: int) -> None:
    from salesdesk.notifications.tasks import email_send_task  # tasks call these services

    email_send_task.enqueue(email_id)


def email_queue(
    *,
    to: str | Iterable[str],
    subject: str,
    body: str,
    actor: Any,
    related: models.Model | None = None,
) -> OutboundEmail:
    """Put an e-mail in the outbox; the worker sends it once this transaction commits (S3.1)."""
    _require_actor(actor)
    addresses = _clean_addresses(to)
    subject = _clean_subject(subject)
    if related is not None and related.pk is None:
        raise ValueError("the related object must be saved first")
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            to=",".join(addresses),
            subject=subject,
            body=body or "",
            content_type=ContentType.objects.get_for_model(related) if related else None,
            object_id=related.pk if related else None,
            next_attempt_at=timezone.now(),
            created_by=actor,
        )
        event_record(
            actor=actor,
            verb="email.queued",
            subject=email,
            to_state=EmailState.QUEUED,
            data={"recipients": len(addresses)},
        )
        transaction.on_commit(partial(_enqueue_send, email.pk))
    return email


def _check_link(url: str) -> None:
    """A path on this site or a web address; `//host` and `javascript:` links are refused."""
    if not url:
        return
    too_long = len(url) > Notification._meta.get_field("url").max_length
    foreign_scheme = not url.startswith(("/", "http://", "https://"))
    if too_long or foreign_scheme or url.startswith("//"):
        raise _refusal("url", _("The link must be a path or a web address."), "invalid_url")


def notification_send(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    email: bool = False,
    actor: Any,
) -> list[Notification]:
    """Tell active users something in salesdesk and, if asked, by e-mail too (O4.2)."""
    _require_actor(actor)
    title = (title or "").strip()
    if not title:
        raise _refusal("title", _("Give the notification a title."), "title_required")
    if len(title) > Notification._meta.get_field("title").max_length:
        raise _refusal("title", _("The title may have at most 200 characters."), "title_too_long")
    _check_link(url)
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [Notification(recipient=user, title=title, body=body, url=url) for user in people]
        )
        if email:
            link = f"{settings.BASE_URL}{url}" if url.startswith("/") else url
            text = "\n\n".join(part for part in (body, link) if part)
            for user in people:
                if user.email:
                    email_queue(to=[user.email], subject=title, body=text, actor=actor)
    return notifications


def _backoff(attempts: int) -> timedelta:
    """Wait `mail.retry_minutes` after the first failure, doubling after each later one."""
    minutes = policies.value("mail.retry_minutes")
    return timedelta(minutes=minutes * 2 ** max(attempts - 1, 0))


def _claim(email_id: int, now: datetime) -> OutboundEmail | None:
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            raise NotFound(_("No such e-mail."), extra={"id": email_id})
        due = email.next_attempt_at is None or email.next_attempt_at <= now
        if email.state != EmailState.QUEUED or not due:
            return None
        email.attempts += 1
        email.last_attempt_at = now
        email.next_attempt_at = now + _backoff(email.attempts)
        email.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at", "updated_at"])
    return email


def _transmit(email: OutboundEmail) -> None:
    EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.recipients,
    ).send(fail_silently=False)


def _settle(email: OutboundEmail, name: str, actor: Any, **options: Any) -> OutboundEmail:
    """Apply the outcome of an attempt; an admin may have cancelled the e-mail meanwhile."""
    try:
        return apply_transition(email, name, workflow=OUTBOX, actor=actor, **options)
    except InvalidTransition:
        logger.warning("e-mail %s was cancelled while it was being sent", email.pk)
        return OutboundEmail.objects.get(pk=email.pk)


def _record_failure(email: OutboundEmail, error: str, actor: Any) -> OutboundEmail:
    if email.attempts >= policies.value("mail.max_attempts"):
        changes = {"last_error": error, "next_attempt_at": None}
        return _settle(email, "fail", actor, note=error, changes=changes)
    # A failed attempt that is not the last one is not a state change: no event.
    OutboundEmail.objects.filter(pk=email.pk, state=EmailState.QUEUED).update(
        last_error=error, updated_at=timezone.now()
    )
    email.last_error = error
    return email


def email_deliver(*, email_id: int, actor: Any) -> OutboundEmail:
    """Send a due queued e-mail once; on error retry with backoff, then fail (DESIGN §2)."""
    _require_actor(actor)
    if not actor.has_perm(SEND):
        raise PermissionDenied(_("You may not send e-mail from the outbox."))
    email = _claim(email_id, timezone.now())
    if email is None:
        return OutboundEmail.objects.get(pk=email_id)
    try:
        _transmit(email)
    except Exception as exc:  # any transport error counts as a failed attempt
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
        logger.warning("e-mail %s attempt %s failed: %s", email.pk, email.attempts, error)
        return _record_failure(email, error, actor)
    changes = {"sent_at": timezone.now(), "next_attempt_at": None}
    return _settle(email, "send", actor, changes=changes)


def _get_email(email_id: int) -> OutboundEmail:
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None:
        raise NotFound(_("No such e-mail."), extra={"id": email_id})
    return email


def email_retry(*, email_id: int, actor: Any) -> OutboundEmail:
    """Queue a failed e-mail again with a fresh set of attempts (admins, DESIGN §2)."""
    _require_actor(actor)
    email = _get_email(email_id)
    with transaction.atomic():
        email = apply_transition(
            email,
            "retry",
            workflow=OUTBOX,
            actor=actor,
            changes={"attempts": 0, "next_attempt_at": timezone.now()},
        )
        transaction.on_commit(partial(_enqueue_send, email.pk))
    return email


def email_cancel(*, email_id: int, actor: Any) -> OutboundEmail:
    """Stop a queued or failed e-mail from being sent (admins, DESIGN §2)."""
    _require_actor(actor)
    email = _get_email(email_id)
    return apply_transition(
        email, "cancel", workflow=OUTBOX, actor=actor, changes={"next_attempt_at": None}
    )


def notification_mark_read(*, notification_id: int, actor: Any) -> Notification:
    """Mark one notification read; only its recipient may (O4.2)."""
    _require_actor(actor)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=actor)
            .first()
        )
        if notification is None:
            raise NotFound(_("No such notification."), extra={"id": notification_id})
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many changed (O4.2)."""
    _require_actor(actor)
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
