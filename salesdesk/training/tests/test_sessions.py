"""Sessions, attendance and scores (T2.1): validation names the field and changes nothing;
capacity; permissions (a salesperson sees only their own record, cannot edit courses)."""

import pytest
from django.test import Client

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from salesdesk.training.models import Course, Enrolment
from salesdesk.training.services import course_update
from salesdesk.training.services_sessions import attendance_record, enrolment_add

pytestmark = pytest.mark.req("T2.1")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("attendance", "score", "field"),
    [
        ("present", 101, "score"),
        ("present", -1, "score"),
        ("present", "abc", "score"),
        ("absent", 80, "score"),
        ("enrolled", None, "attendance"),
        ("late", None, "attendance"),
    ],
)
def test_bad_score_or_attendance_names_the_field_and_changes_nothing(
    session, salesperson, sales_manager, attendance, score, field
):
    enrolment = enrolment_add(actor=salesperson, session_id=session.pk)
    events = Event.objects.count()
    with pytest.raises(ValidationFailed) as failure:
        attendance_record(
            actor=sales_manager, enrolment_id=enrolment.pk, attendance=attendance, score=score
        )
    assert field in failure.value.extra["fields"]
    enrolment.refresh_from_db()
    assert (enrolment.attendance, enrolment.score, enrolment.passed) == ("enrolled", None, False)
    assert Event.objects.count() == events


def test_attendance_absent_excused_and_pass(session, salesperson, other_salesperson, sales_manager):
    first = enrolment_add(actor=salesperson, session_id=session.pk)
    second = enrolment_add(actor=other_salesperson, session_id=session.pk)
    attendance_record(actor=sales_manager, enrolment_id=first.pk, attendance="absent")
    attendance_record(actor=sales_manager, enrolment_id=second.pk, attendance="present", score=70)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attendance, first.passed) == ("absent", False)
    assert (second.attendance, second.score, second.passed) == ("present", 70, True)
    attendance_record(actor=sales_manager, enrolment_id=first.pk, attendance="excused")
    first.refresh_from_db()
    assert first.attendance == "excused"


def test_capacity_and_double_enrolment(session, salesperson, other_salesperson, sales_admin):
    enrolment_add(actor=salesperson, session_id=session.pk)
    with pytest.raises(Conflict):
        enrolment_add(actor=salesperson, session_id=session.pk)
    enrolment_add(actor=other_salesperson, session_id=session.pk)
    with pytest.raises(Conflict):
        enrolment_add(actor=sales_admin, session_id=session.pk)
    assert Enrolment.objects.count() == 2


def test_salesperson_cannot_edit_courses_or_record_scores(
    course, session, salesperson, other_salesperson
):
    events = Event.objects.count()
    with pytest.raises(PermissionDenied):
        course_update(actor=salesperson, course_id=course.pk, data={"title": "x"})
    with pytest.raises(PermissionDenied):
        enrolment_add(actor=salesperson, session_id=session.pk, user_id=other_salesperson.pk)
    enrolment = enrolment_add(actor=salesperson, session_id=session.pk)
    with pytest.raises(PermissionDenied):
        attendance_record(
            actor=salesperson, enrolment_id=enrolment.pk, attendance="present", score=100
        )
    assert Course.objects.get(pk=course.pk).title == course.title
    assert Event.objects.count() == events + 1  # only the enrolment
    web = _client(salesperson)
    assert web.get(f"/training/courses/{course.pk}/edit/").status_code == 403
    assert web.get("/training/courses/new/").status_code == 403
    response = web.post(
        "/api/v1/trainings/courses", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_salesperson_sees_only_own_record(salesperson, other_salesperson, sales_manager):
    web = _client(salesperson)
    assert web.get("/training/me/").status_code == 200
    assert web.get(f"/training/people/{other_salesperson.pk}/").status_code == 404
    assert web.get(f"/api/v1/trainings/records/{other_salesperson.pk}").status_code == 404
    assert web.get(f"/api/v1/trainings/records/{salesperson.pk}").status_code == 200
    team = web.get("/training/people/")
    assert other_salesperson.username not in team.content.decode()
    manager = _client(sales_manager)
    assert manager.get(f"/training/people/{salesperson.pk}/").status_code == 200
    assert manager.get(f"/api/v1/trainings/records/{salesperson.pk}").status_code == 200


def test_pages_and_exports(course, session, sales_manager, salesperson):
    enrolment_add(actor=salesperson, session_id=session.pk)
    web = _client(sales_manager)
    for url in (
        "/training/",
        "/training/?period=week",
        "/training/courses/",
        f"/training/courses/{course.pk}/",
        f"/training/sessions/{session.pk}/",
        "/training/people/",
        "/training/plans/",
        "/training/courses/new/",
        "/training/sessions/new/",
    ):
        assert web.get(url).status_code == 200, url
    for url in (
        "/training/?export=xlsx",
        "/training/courses/?export=xlsx",
        "/training/people/?export=xlsx",
        "/training/plans/?export=xlsx",
        f"/training/people/{salesperson.pk}/?export=xlsx",
    ):
        response = web.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxml"), url
    enrolment = Enrolment.objects.get()
    response = web.post(
        f"/training/enrolments/{enrolment.pk}/",
        {"attendance": "present", "score": "90", "session": session.pk},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.passed


def test_api_courses_sessions_actions_and_events(sales_manager, salesperson):
    manager = _client(sales_manager)
    created = manager.post(
        "/api/v1/trainings/courses",
        {"title": "溝通技巧", "pass_mark": 60},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    course_id = created.json()["id"]
    bad = manager.post(
        "/api/v1/trainings/courses",
        {"title": "x", "pass_mark": 120},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "pass_mark" in bad.json()["extra"]["fields"]
    session = manager.post(
        "/api/v1/trainings/sessions",
        {
            "course": course_id,
            "starts_at": "2030-01-02T09:00:00+08:00",
            "online_link": "https://meet.example.com/x",
        },
        content_type="application/json",
    )
    assert session.status_code == 201, session.content
    sid = session.json()["id"]
    moved = manager.patch(
        f"/api/v1/trainings/sessions/{sid}", {"capacity": 0}, content_type="application/json"
    )
    assert moved.status_code == 422 and "capacity" in moved.json()["extra"]["fields"]
    moved = manager.patch(
        f"/api/v1/trainings/sessions/{sid}", {"place": "台北"}, content_type="application/json"
    )
    assert moved.json()["place"] == "台北"
    me = _client(salesperson)
    enrolled = me.post(
        f"/api/v1/trainings/sessions/{sid}/enrol", {}, content_type="application/json"
    )
    assert enrolled.status_code == 201
    recorded = manager.post(
        f"/api/v1/trainings/sessions/{sid}/attendance",
        {"enrolment": enrolled.json()["id"], "attendance": "present", "score": 75},
        content_type="application/json",
    )
    assert recorded.json()["passed"] is True
    events = manager.get(f"/api/v1/trainings/sessions/{sid}/events").json()
    verbs = (
        {e["verb"] for e in events["items"]}
        if isinstance(events, dict)
        else {e["verb"] for e in events}
    )
    assert {
        "training.session_scheduled",
        "training.enrolled",
        "training.attendance_recorded",
    } <= verbs
    record = me.get(f"/api/v1/trainings/records/{salesperson.pk}").json()
    assert record["completed_course_ids"] == [course_id]
