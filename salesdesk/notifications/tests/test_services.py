from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.core import policies
from salesdesk.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from salesdesk.notifications import services
from salesdesk.notifications.models import EmailState, Notification, OutboundEmail
from salesdesk.notifications.tasks import outbox_flush_task
from salesdesk.notifications.tests.factories import NotificationFactory, OutboundEmailFactory
from salesdesk.workqueue.registry import items_for

BROKEN_SMTP = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def _verbs(email):
    events = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(OutboundEmail), object_id=email.pk
    )
    return list(events.order_by("id").values_list("verb", flat=True))


def _queue(actor, django_capture_on_commit_callbacks, **overrides):
    fields = {"to": "buyer@example.com", "subject": "Shipping notice", "body": "On its way."}
    with django_capture_on_commit_callbacks(execute=True):
        email = services.email_queue(actor=actor, **{**fields, **overrides})
    email.refresh_from_db()
    return email


def _make_due(email):
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_queued_email_is_sent_after_commit(
    sales_admin, system_user, django_capture_on_commit_callbacks
):
    email = _queue(
        sales_admin, django_capture_on_commit_callbacks, to="a@example.com, b@example.com"
    )
    assert email.state == EmailState.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert email.next_attempt_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.com", "b@example.com"]
    assert (mail.outbox[0].subject, mail.outbox[0].body) == ("Shipping notice", "On its way.")
    assert _verbs(email) == ["email.queued", "email.sent"]
    assert Event.objects.get(verb="email.sent").actor == system_user


def test_nothing_is_sent_when_the_transaction_rolls_back(sales_admin):
    email = services.email_queue(to="a@example.com", subject="Hi", body="", actor=sales_admin)
    assert email.state == EmailState.QUEUED
    assert mail.outbox == []


def test_email_remembers_its_related_record(sales_admin, salesperson):
    email = services.email_queue(
        to="a@example.com", subject="Hi", body="", actor=sales_admin, related=salesperson
    )
    email.refresh_from_db()
    assert email.related == salesperson
    assert email.created_by == sales_admin


def test_addresses_and_text_are_encrypted_at_rest(sales_admin):
    email = services.email_queue(
        to="secret.buyer@example.com", subject="Hi", body="Private text", actor=sales_admin
    )
    with connection.cursor() as cursor:
        to_column = connection.ops.quote_name("to")
        cursor.execute(
            f"SELECT {to_column}, body FROM notifications_outboundemail WHERE id = %s",  # noqa: S608
            [email.pk],
        )
        raw_to, raw_body = cursor.fetchone()
    assert "secret.buyer" not in raw_to
    assert "Private" not in raw_body
    assert OutboundEmail.objects.get(pk=email.pk).recipients == ["secret.buyer@example.com"]


@pytest.mark.parametrize(
    ("to", "subject", "code", "field"),
    [
        ("not-an-address", "Hi", "invalid_email_address", "to"),
        ("ok@example.com, bad@", "Hi", "invalid_email_address", "to"),
        (" , ", "Hi", "recipient_required", "to"),
        ([], "Hi", "recipient_required", "to"),
        ("ok@example.com", "  ", "subject_required", "subject"),
        ("ok@example.com", "Line one\nBcc: x@example.com", "subject_multiline", "subject"),
        ("ok@example.com", "x" * 251, "subject_too_long", "subject"),
    ],
)
def test_refuses_bad_email_input(to, subject, code, field, sales_admin):
    with pytest.raises(ValidationFailed) as caught:
        services.email_queue(to=to, subject=subject, body="", actor=sales_admin)
    assert caught.value.code == code
    assert caught.value.field == field
    assert OutboundEmail.objects.count() == 0
    assert Event.objects.count() == 0


def test_failed_attempts_back_off_then_fail(
    sales_admin, it_admin, system_user, django_capture_on_commit_callbacks
):
    policies.policy_set(key="mail.max_attempts", raw_value=3, actor=it_admin)
    policies.policy_set(key="mail.retry_minutes", raw_value=2, actor=it_admin)
    with mock.patch(BROKEN_SMTP, side_effect=OSError("connection refused")):
        email = _queue(sales_admin, django_capture_on_commit_callbacks)
        waits = []
        for attempt in (1, 2):
            assert (email.state, email.attempts) == (EmailState.QUEUED, attempt)
            assert email.last_error == "OSError: connection refused"
            waits.append(email.next_attempt_at - email.last_attempt_at)
            outbox_flush_task.enqueue()  # not due yet: nothing happens
            email.refresh_from_db()
            assert email.attempts == attempt
            _make_due(email)
            outbox_flush_task.enqueue()
            email.refresh_from_db()
    assert waits == [timedelta(minutes=2), timedelta(minutes=4)]
    assert (email.state, email.attempts, email.next_attempt_at) == (EmailState.FAILED, 3, None)
    assert mail.outbox == []
    assert _verbs(email) == ["email.queued", "email.failed"]
    failed = Event.objects.get(verb="email.failed")
    assert (failed.actor, failed.from_state, failed.to_state) == (system_user, "queued", "failed")


def test_email_cancelled_while_being_sent_stays_cancelled(it_admin, system_user):
    email = OutboundEmailFactory()

    def cancel_meanwhile(messages):
        services.email_cancel(email_id=email.pk, actor=it_admin)
        return len(messages)

    with mock.patch(BROKEN_SMTP, side_effect=cancel_meanwhile):
        result = services.email_deliver(email_id=email.pk, actor=system_user)
    assert (result.state, result.attempts) == (EmailState.CANCELLED, 1)
    assert _verbs(email) == ["email.cancelled"]


def test_email_that_is_not_due_is_left_alone(system_user):
    email = OutboundEmailFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))
    result = services.email_deliver(email_id=email.pk, actor=system_user)
    assert (result.state, result.attempts) == (EmailState.QUEUED, 0)
    assert mail.outbox == []
    assert Event.objects.count() == 0


def test_refuses_delivery_by_a_person(salesperson):
    email = OutboundEmailFactory()
    with pytest.raises(PermissionDenied):
        services.email_deliver(email_id=email.pk, actor=salesperson)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.QUEUED, 0)
    assert mail.outbox == []
    assert Event.objects.count() == 0


def test_admin_retries_a_failed_email(it_admin, django_capture_on_commit_callbacks):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=5, next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.email_retry(email_id=email.pk, actor=it_admin)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 1)
    assert len(mail.outbox) == 1
    assert _verbs(email) == ["email.requeued", "email.sent"]


@pytest.mark.parametrize("action", ["retry", "cancel"])
def test_salesperson_may_not_retry_or_cancel(action, salesperson):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=5)
    service = services.email_retry if action == "retry" else services.email_cancel
    with pytest.raises(PermissionDenied) as caught:
        service(email_id=email.pk, actor=salesperson)
    assert caught.value.code == "permission_denied"
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.FAILED, 5)
    assert Event.objects.count() == 0


def test_admin_cancels_a_queued_email_but_not_a_sent_one(it_admin):
    queued = OutboundEmailFactory()
    sent = OutboundEmailFactory(state=EmailState.SENT)
    services.email_cancel(email_id=queued.pk, actor=it_admin)
    queued.refresh_from_db()
    assert (queued.state, queued.next_attempt_at) == (EmailState.CANCELLED, None)
    with pytest.raises(InvalidTransition):
        services.email_cancel(email_id=sent.pk, actor=it_admin)
    sent.refresh_from_db()
    assert sent.state == EmailState.SENT
    assert _verbs(queued) == ["email.cancelled"]
    assert _verbs(sent) == []


def test_retry_of_unknown_email_is_not_found(it_admin):
    with pytest.raises(NotFound):
        services.email_retry(email_id=999999, actor=it_admin)


def test_failed_email_is_a_work_item_for_admins_only(it_admin, salesperson, system_user):
    failed_at = timezone.now() - timedelta(hours=2)
    email = OutboundEmailFactory(
        to="buyer@example.com", state=EmailState.FAILED, last_attempt_at=failed_at
    )
    OutboundEmailFactory(state=EmailState.SENT)
    items = [item for item in items_for(it_admin) if item.key.startswith("email.")]
    assert [(i.key, str(i.title), i.due_at) for i in items] == [
        (f"email.failed:{email.pk}", "E-mail to b***@example.com failed", failed_at)
    ]
    assert items[0].url == "/notifications/outbox/?state=failed"
    assert items[0].is_overdue()
    assert not [i for i in items_for(salesperson) if i.key.startswith("email.")]
    assert not [i for i in items_for(system_user) if i.key.startswith("email.")]


def test_notification_send_with_email(
    sales_admin, salesperson, other_salesperson, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://salesdesk.example.com"
    other_salesperson.email = ""
    other_salesperson.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.notification_send(
            recipients=[salesperson, other_salesperson, salesperson],
            title="Order SO-0001 shipped",
            body="Tracking 123.",
            url="/orders/1/",
            email=True,
            actor=sales_admin,
        )
    assert sorted(n.recipient.username for n in sent) == ["sales1", "sales2"]
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert [m.to for m in mail.outbox] == [[salesperson.email]]
    assert mail.outbox[0].body == "Tracking 123.\n\nhttps://salesdesk.example.com/orders/1/"
    assert OutboundEmail.objects.get().state == EmailState.SENT


@pytest.mark.parametrize(
    ("title", "url", "code"),
    [
        ("", "/x/", "title_required"),
        ("Hi", "javascript:alert(1)", "invalid_url"),
        ("Hi", "//evil.example.com/", "invalid_url"),
        ("Hi", "/" + "x" * 500, "invalid_url"),
    ],
)
def test_notification_send_refuses_bad_input(title, url, code, sales_admin, salesperson):
    with pytest.raises(ValidationFailed) as caught:
        services.notification_send(
            recipients=[salesperson], title=title, url=url, email=True, actor=sales_admin
        )
    assert caught.value.code == code
    assert Notification.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_inactive_users_are_not_notified(sales_admin, salesperson):
    salesperson.is_active = False
    salesperson.save(update_fields=["is_active"])
    assert services.notification_send(recipients=[salesperson], title="Hi", actor=sales_admin) == []


def test_recipient_marks_read(salesperson):
    notification = NotificationFactory(recipient=salesperson)
    result = services.notification_mark_read(notification_id=notification.pk, actor=salesperson)
    first_read = result.read_at
    assert first_read is not None
    again = services.notification_mark_read(notification_id=notification.pk, actor=salesperson)
    assert again.read_at == first_read


def test_user_cannot_mark_anothers_notification_read(salesperson, other_salesperson):
    notification = NotificationFactory(recipient=salesperson)
    with pytest.raises(NotFound) as caught:
        services.notification_mark_read(notification_id=notification.pk, actor=other_salesperson)
    assert caught.value.code == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None
    assert Event.objects.count() == 0


def test_mark_all_read_touches_only_own_unread(salesperson, other_salesperson):
    NotificationFactory.create_batch(3, recipient=salesperson)
    NotificationFactory(recipient=salesperson, read_at=timezone.now())
    theirs = NotificationFactory(recipient=other_salesperson)
    assert services.notification_mark_all_read(actor=salesperson) == 3
    assert Notification.objects.filter(recipient=salesperson, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
