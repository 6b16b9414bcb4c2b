"""Changing and cancelling a training session (T2.1): a session that has not taken place can
be cancelled with a reason, the people enrolled are told, nothing is deleted, and a cancelled
session takes no more enrolments, attendance or changes. Refusals change nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from salesdesk.notifications.models import Notification
from salesdesk.training.models import Enrolment, TrainingSession
from salesdesk.training.services_sessions import (
    attendance_record,
    enrolment_add,
    session_cancel,
    session_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.req("T2.1")]


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _state(session) -> tuple:
    session.refresh_from_db()
    return (session.cancelled_at, session.cancel_reason, Event.objects.count())


def test_cancelling_keeps_the_record_and_tells_the_people_enrolled(
    session, salesperson, other_salesperson, sales_manager
):
    enrolment_add(actor=salesperson, session_id=session.pk)
    enrolment_add(actor=other_salesperson, session_id=session.pk)

    cancelled = session_cancel(actor=sales_manager, session_id=session.pk, reason="講師請假")

    assert cancelled.cancelled_at is not None and cancelled.cancel_reason == "講師請假"
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert Enrolment.objects.filter(session=session).count() == 2
    event = Event.objects.get(verb="training.session_cancelled", object_id=session.pk)
    assert event.data == {"reason": "講師請假"}
    told = Notification.objects.filter(url=reverse("training:session_detail", args=[session.pk]))
    assert {n.recipient_id for n in told} == {salesperson.pk, other_salesperson.pk}
    assert all(n.body == "講師請假" and "CRM 基礎" in n.title for n in told)


def test_a_cancelled_session_takes_no_enrolment_attendance_or_change(
    session, salesperson, other_salesperson, sales_manager
):
    enrolment = enrolment_add(actor=salesperson, session_id=session.pk)
    session_cancel(actor=sales_manager, session_id=session.pk, reason="改期")
    events = Event.objects.count()

    refusals = [
        lambda: enrolment_add(actor=other_salesperson, session_id=session.pk),
        lambda: attendance_record(
            actor=sales_manager, enrolment_id=enrolment.pk, attendance="present"
        ),
        lambda: session_update(actor=sales_manager, session_id=session.pk, data={"capacity": 9}),
        lambda: session_cancel(actor=sales_manager, session_id=session.pk, reason="again"),
    ]
    for refusal in refusals:
        with pytest.raises(Conflict) as refused:
            refusal()
        assert refused.value.code == "session_cancelled"
    session.refresh_from_db()
    enrolment.refresh_from_db()
    assert (session.capacity, session.cancel_reason, enrolment.attendance) == (
        2,
        "改期",
        "enrolled",
    )
    assert Enrolment.objects.filter(session=session).count() == 1
    assert Event.objects.count() == events


def test_refusals_name_the_rule_and_change_nothing(session, salesperson, sales_manager):
    enrolment = enrolment_add(actor=salesperson, session_id=session.pk)
    before = _state(session)
    with pytest.raises(ValidationFailed) as no_reason:
        session_cancel(actor=sales_manager, session_id=session.pk, reason="  ")
    assert "reason" in no_reason.value.extra["fields"]
    with pytest.raises(ValidationFailed):
        session_cancel(actor=sales_manager, session_id=session.pk, reason="x" * 501)
    with pytest.raises(PermissionDenied):
        session_cancel(actor=salesperson, session_id=session.pk, reason="不想上")
    assert _state(session) == before

    attendance_record(actor=sales_manager, enrolment_id=enrolment.pk, attendance="present")
    before = _state(session)
    with pytest.raises(Conflict) as took_place:
        session_cancel(actor=sales_manager, session_id=session.pk, reason="太晚了")
    assert took_place.value.code == "attendance_recorded"
    assert _state(session) == before


def test_the_pages_edit_and_cancel(session, salesperson, sales_manager):
    enrolment_add(actor=salesperson, session_id=session.pk)
    manager = _client(sales_manager)
    edit_url = reverse("training:session_edit", args=[session.pk])
    assert manager.get(edit_url).status_code == 200
    later = timezone.localtime(session.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    changed = manager.post(
        edit_url,
        {"course": session.course_id, "starts_at": later, "place": "五樓", "capacity": 5},
    )
    assert changed.status_code == 302
    session.refresh_from_db()
    assert (session.place, session.capacity) == ("五樓", 5)
    before = _state(session)
    too_small = manager.post(
        edit_url, {"course": session.course_id, "starts_at": later, "place": "六樓", "capacity": 0}
    )
    assert (
        too_small.status_code == 200 and "Capacity is a whole number" in too_small.content.decode()
    )
    assert _state(session) == before and (session.place, session.capacity) == ("五樓", 5)

    detail = manager.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert 'id="session-cancel"' in detail and 'id="session-edit"' in detail
    cancel_url = reverse("training:session_cancel", args=[session.pk])
    before = _state(session)
    assert manager.post(cancel_url, {"reason": ""}).status_code == 302
    assert _state(session) == before and session.cancelled_at is None
    manager.post(cancel_url, {"reason": "會議室維修"})
    detail = manager.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert 'id="session-cancelled"' in detail and "會議室維修" in detail
    assert 'id="session-cancel"' not in detail and 'id="enrol-me"' not in detail
    calendar = manager.get(reverse("training:calendar")).content.decode()
    assert f'id="cancelled-{session.pk}"' in calendar

    rep = _client(salesperson)
    before = _state(session)
    assert rep.get(edit_url).status_code == 403
    assert rep.post(cancel_url, {"reason": "x"}).status_code == 403
    assert _state(session) == before


def test_the_api_cancels(session, salesperson, sales_manager):
    url = f"/api/v1/trainings/sessions/{session.pk}/cancel"
    before = _state(session)
    refused = _client(salesperson).post(url, {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403
    empty = _client(sales_manager).post(url, {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422
    assert _state(session) == before
    done = _client(sales_manager).post(url, {"reason": "停電"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["cancel_reason"] == "停電" and done.json()["cancelled_at"]
    again = _client(sales_manager).post(url, {"reason": "停電"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "session_cancelled")
