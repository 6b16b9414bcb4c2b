"""Department queue pages through the Django test client (O3.1, O4.1)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.workorders.models import WorkOrder
from salesdesk.workorders.services import work_order_create


@pytest.fixture
def producer(db):
    return UserFactory(username="prod1", roles=["production"], department__code="production")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _work(actor, kind="production", days=7, **extra) -> WorkOrder:
    needed = timezone.localdate() + timedelta(days=days)
    return work_order_create(actor=actor, kind=kind, needed_by=needed, **extra)


def _later(days: int = 10) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.req("O3.1")
def test_queue_shows_the_departments_work_overdue_first(producer, warehouse):
    soon = _work(producer, days=3)
    late = _work(producer, days=5)
    WorkOrder.objects.filter(pk=late.pk).update(needed_by=timezone.localdate() - timedelta(days=1))
    picking = _work(producer, kind="picking")
    response = _client(producer).get(reverse("workorders:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(late.number) < body.index(soon.number)
    assert picking.number not in body and 'class="overdue"' in body
    body = _client(warehouse).get(reverse("workorders:list")).content.decode()
    assert picking.number in body and soon.number not in body


def test_overseers_see_every_queue_with_a_role_filter(producer, sales_admin):
    production = _work(producer)
    picking = _work(producer, kind="picking")
    client = _client(sales_admin)
    body = client.get(reverse("workorders:list")).content.decode()
    assert production.number in body and picking.number in body
    body = client.get(reverse("workorders:list"), {"role": "warehouse"}).content.decode()
    assert picking.number in body and production.number not in body


@pytest.mark.parametrize("persona", ["outsider", "salesperson", "finance"])
def test_queue_refused_without_work_permissions(persona, request):
    assert (
        _client(request.getfixturevalue(persona)).get(reverse("workorders:list")).status_code == 403
    )


def test_status_filter(producer):
    work = _work(producer)
    WorkOrder.objects.filter(pk=work.pk).update(status="done")
    client = _client(producer)
    assert work.number not in client.get(reverse("workorders:list")).content.decode()
    body = client.get(reverse("workorders:list"), {"status": "done"}).content.decode()
    assert work.number in body


@pytest.mark.req("O4.1")
def test_accept_progress_and_complete_through_the_pages(producer):
    work = _work(producer)
    client = _client(producer)
    body = client.get(reverse("workorders:detail", args=[work.pk])).content.decode()
    assert 'id="accept-form"' in body and 'id="progress-form"' not in body
    client.post(reverse("workorders:accept", args=[work.pk]), {"promised_date": _later()})
    work.refresh_from_db()
    assert (work.status, work.promised_date.isoformat(), work.assignee) == (
        "accepted",
        _later(),
        producer,
    )
    response = client.post(
        reverse("workorders:progress", args=[work.pk]), {"progress": "50", "note": "半成品"}
    )
    work.refresh_from_db()
    assert response.status_code == 302 and (work.status, work.progress) == ("in_progress", 50)
    client.post(reverse("workorders:complete", args=[work.pk]), {"note": "完工"})
    work.refresh_from_db()
    assert (work.status, work.progress) == ("done", 100)
    body = client.get(reverse("workorders:detail", args=[work.pk])).content.decode()
    assert "Progress reported" in body and 'id="accept-form"' not in body


def test_decline_needs_a_reason(producer):
    work = _work(producer)
    client = _client(producer)
    before = Event.objects.count()
    response = client.post(reverse("workorders:decline", args=[work.pk]), {"reason": " "})
    work.refresh_from_db()
    assert work.status == "open" and Event.objects.count() == before
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Say why the work is declined."
    ]
    client.post(reverse("workorders:decline", args=[work.pk]), {"reason": "無此產能"})
    work.refresh_from_db()
    assert (work.status, work.result_note) == ("declined", "無此產能")


def test_past_promised_date_is_refused(producer):
    work = _work(producer)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    _client(producer).post(
        reverse("workorders:accept", args=[work.pk]), {"promised_date": yesterday}
    )
    work.refresh_from_db()
    assert work.status == "open" and work.promised_date is None


def test_other_departments_cannot_see_or_act(producer, warehouse, sales_admin):
    work = _work(producer)
    before = Event.objects.count()
    client = _client(warehouse)
    assert client.get(reverse("workorders:detail", args=[work.pk])).status_code == 404
    url = reverse("workorders:accept", args=[work.pk])
    assert client.post(url, {"promised_date": _later()}).status_code == 404
    body = _client(sales_admin).get(reverse("workorders:detail", args=[work.pk])).content.decode()
    assert work.number in body and 'id="accept-form"' not in body
    _client(sales_admin).post(url, {"promised_date": _later()})
    work.refresh_from_db()
    assert work.status == "open" and Event.objects.count() == before


def test_menu_shows_work_orders_once(producer, outsider):
    both = UserFactory(username="both", roles=["production", "sales_admin"])
    for user, shown in ((producer, 1), (both, 1), (outsider, 0)):
        body = _client(user).get(reverse("workqueue:home")).content.decode()
        assert body.count(f'href="{reverse("workorders:list")}"') == shown
