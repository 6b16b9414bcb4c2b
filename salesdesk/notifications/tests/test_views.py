from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.notifications.models import EmailState, Notification
from salesdesk.notifications.tests.factories import NotificationFactory, OutboundEmailFactory


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_list_shows_unread_first(salesperson, other_salesperson):
    NotificationFactory(recipient=salesperson, title="Read one", read_at=timezone.now())
    NotificationFactory(recipient=salesperson, title="Unread one")
    NotificationFactory(recipient=other_salesperson, title="Someone else's")
    response = _client(salesperson).get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Unread one") < page.index("Read one")
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert [n.title for n in response.context["page_obj"]] == ["Unread one", "Read one"]


def test_list_is_paginated_by_fifty(salesperson):
    NotificationFactory.create_batch(51, recipient=salesperson)
    client = _client(salesperson)
    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 1


def test_mark_read_without_javascript_redirects(salesperson):
    notification = NotificationFactory(recipient=salesperson)
    response = _client(salesperson).post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_with_htmx_returns_the_row(salesperson):
    notification = NotificationFactory(recipient=salesperson)
    response = _client(salesperson).post(
        reverse("notifications:read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<tr id="notification-{notification.pk}"')
    assert "Mark read" not in body


def test_mark_read_of_anothers_notification_is_refused(salesperson, other_salesperson):
    notification = NotificationFactory(recipient=salesperson)
    response = _client(other_salesperson).post(
        reverse("notifications:read", args=[notification.pk]), HTTP_REFERER="/notifications/"
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["No such notification."]
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_refuses_get(salesperson):
    notification = NotificationFactory(recipient=salesperson)
    response = _client(salesperson).get(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read(salesperson):
    NotificationFactory.create_batch(3, recipient=salesperson)
    response = _client(salesperson).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_outbox_page_for_admins(it_admin):
    OutboundEmailFactory(to="buyer@example.com", subject="Invoice", state=EmailState.FAILED)
    OutboundEmailFactory(subject="Welcome", state=EmailState.SENT)
    client = _client(it_admin)
    response = client.get(reverse("notifications:outbox"), {"state": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "b***@example.com" in page and "buyer@example.com" not in page
    assert "Invoice" in page and "Welcome" not in page
    assert [row["actions"] for row in response.context["rows"]] == [["retry", "cancel"]]


def test_outbox_page_refuses_salespeople(salesperson):
    response = _client(salesperson).get(reverse("notifications:outbox"))
    assert response.status_code == 403


def test_admin_retries_from_the_page(it_admin):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=5)
    response = _client(it_admin).post(
        reverse("notifications:outbox_retry", args=[email.pk]), {"state": "failed"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/outbox/?state=failed"
    email.refresh_from_db()
    assert email.state == EmailState.QUEUED


def test_admin_cancels_from_the_page(it_admin):
    email = OutboundEmailFactory()
    response = _client(it_admin).post(
        reverse("notifications:outbox_cancel", args=[email.pk]), {"state": "https://evil.test"}
    )
    assert response["Location"] == "/notifications/outbox/"
    email.refresh_from_db()
    assert email.state == EmailState.CANCELLED


def test_salesperson_retry_from_the_page_changes_nothing(salesperson):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=5)
    response = _client(salesperson).post(reverse("notifications:outbox_retry", args=[email.pk]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You may not retry this record."
    ]
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.FAILED, 5)
    assert Event.objects.count() == 0
