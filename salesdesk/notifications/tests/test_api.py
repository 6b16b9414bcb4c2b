import pytest
from django.test import Client
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.notifications.models import EmailState, Notification
from salesdesk.notifications.tests.factories import NotificationFactory, OutboundEmailFactory

API = "/api/v1"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_lists_only_my_notifications_with_unread_filter(salesperson, other_salesperson):
    unread = NotificationFactory(recipient=salesperson, title="New order")
    NotificationFactory(recipient=salesperson, title="Old", read_at=timezone.now())
    NotificationFactory(recipient=other_salesperson, title="Not yours")
    client = _client(salesperson)

    everything = client.get(f"{API}/notifications")
    assert everything.status_code == 200
    assert everything.json()["count"] == 2
    assert [n["title"] for n in everything.json()["items"]] == ["New order", "Old"]

    only_unread = client.get(f"{API}/notifications", {"unread": "true"}).json()
    assert only_unread["count"] == 1
    assert only_unread["items"][0] == {
        "id": unread.pk,
        "title": "New order",
        "body": unread.body,
        "url": unread.url,
        "created_at": only_unread["items"][0]["created_at"],
        "read_at": None,
    }


def test_marks_a_notification_read(salesperson):
    notification = NotificationFactory(recipient=salesperson)
    response = _client(salesperson).post(f"{API}/notifications/{notification.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_refuses_to_mark_anothers_notification_read(salesperson, other_salesperson):
    notification = NotificationFactory(recipient=salesperson)
    response = _client(other_salesperson).post(f"{API}/notifications/{notification.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None
    assert Event.objects.count() == 0


def test_marks_all_read(salesperson):
    NotificationFactory.create_batch(2, recipient=salesperson)
    response = _client(salesperson).post(f"{API}/notifications/read-all")
    assert (response.status_code, response.json()) == (200, {"updated": 2})
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_anonymous_caller_is_refused():
    response = Client().get(f"{API}/notifications")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_admin_lists_the_outbox_with_masked_addresses_and_actions(it_admin):
    failed = OutboundEmailFactory(to="buyer@example.com", state=EmailState.FAILED, attempts=5)
    OutboundEmailFactory(state=EmailState.SENT)
    client = _client(it_admin)
    everything = client.get(f"{API}/outbox").json()
    assert everything["count"] == 2
    only_failed = client.get(f"{API}/outbox", {"state": "failed"}).json()
    assert only_failed["count"] == 1
    row = only_failed["items"][0]
    assert (row["id"], row["to"], row["state"], row["attempts"]) == (
        failed.pk,
        "b***@example.com",
        "failed",
        5,
    )
    assert row["actions"] == ["retry", "cancel"]


def test_outbox_refuses_an_unknown_state(it_admin):
    response = _client(it_admin).get(f"{API}/outbox", {"state": "lost"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_state"


def test_salesperson_may_not_read_the_outbox(salesperson):
    response = _client(salesperson).get(f"{API}/outbox")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_admin_retries_through_the_api(it_admin):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=5)
    response = _client(it_admin).post(f"{API}/outbox/{email.pk}/retry")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["attempts"]) == ("queued", 0)
    assert list(Event.objects.values_list("verb", flat=True)) == ["email.requeued"]


@pytest.mark.parametrize("action", ["retry", "cancel"])
def test_salesperson_may_not_retry_or_cancel_through_the_api(action, salesperson):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=5)
    response = _client(salesperson).post(f"{API}/outbox/{email.pk}/{action}")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    email.refresh_from_db()
    assert email.state == EmailState.FAILED
    assert Event.objects.count() == 0


def test_cancelling_a_sent_email_is_a_conflict(it_admin):
    email = OutboundEmailFactory(state=EmailState.SENT)
    response = _client(it_admin).post(f"{API}/outbox/{email.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert Event.objects.count() == 0


def test_cancel_through_the_api(it_admin):
    email = OutboundEmailFactory()
    response = _client(it_admin).post(f"{API}/outbox/{email.pk}/cancel")
    assert (response.status_code, response.json()["state"]) == (200, "cancelled")
    assert response.json()["actions"] == []
