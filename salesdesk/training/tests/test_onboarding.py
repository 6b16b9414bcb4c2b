"""Onboarding (T1.1): a new user's required courses wait in their work queue with due dates,
overdue flagged, and close when the course is passed; the procedure is a course."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.training import procedure
from salesdesk.training.models import CourseSection, Enrolment, OnboardingItem
from salesdesk.training.services import procedure_course_ensure
from salesdesk.training.services_sessions import attendance_record, enrolment_add
from salesdesk.workqueue.registry import items_for

pytestmark = pytest.mark.req("T1.1")


def _onboarding(user):
    return [i for i in items_for(user) if i.key.startswith("training.onboarding:")]


def test_new_user_gets_onboarding_item_that_closes_when_passed(
    new_admin, course, session, sales_manager
):
    [item] = _onboarding(new_admin)
    assert course.title in str(item.title)
    assert item.due_at.date() == timezone.localdate() + timedelta(days=10)
    assert not item.is_overdue()
    enrolment = enrolment_add(actor=new_admin, session_id=session.pk)
    attendance_record(
        actor=sales_manager, enrolment_id=enrolment.pk, attendance="present", score=65
    )  # below the course's pass mark of 70
    assert _onboarding(new_admin)
    attendance_record(
        actor=sales_manager, enrolment_id=enrolment.pk, attendance="present", score=85
    )
    assert _onboarding(new_admin) == []
    assert OnboardingItem.objects.get(user=new_admin).completed_at is not None
    assert Event.objects.filter(verb="training.onboarding_completed").count() == 1


def test_overdue_onboarding_is_flagged(new_admin):
    OnboardingItem.objects.filter(user=new_admin).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    [item] = _onboarding(new_admin)
    assert item.is_overdue()


def test_user_without_programme_role_gets_nothing(programme, system_user):
    from salesdesk.accounts.services import user_create

    user = user_create(username="seller", roles=["salesperson"], actor=system_user)
    assert _onboarding(user) == []


def test_procedure_course_has_a_section_per_chapter_with_requirement_ids(system_user):
    course = procedure_course_ensure(actor=system_user)
    assert course.title == "銷售內勤工作流程"
    assert procedure_course_ensure(actor=system_user).pk == course.pk  # once
    sections = list(CourseSection.objects.filter(course=course))
    assert len(sections) == 7 == len(procedure.CHAPTERS)
    prefixes = [{rid[0] for rid in s.requirement_ids} for s in sections]
    assert prefixes == [{"C"}, {"O"}, {"K"}, {"S"}, {"A"}, {"E", "T"}, {"R"}]
    assert "T1.1" in sections[5].requirement_ids


def test_seed_command_and_demo(system_user):
    from django.core.management import call_command

    call_command("training", "seed-procedure")
    from salesdesk.training.demo import load

    load(system_user)
    load(system_user)
    assert CourseSection.objects.count() == 7
    assert Enrolment.objects.count() == 0


def test_programme_pages_and_api(course, sales_manager, salesperson):
    from django.test import Client

    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(sales_manager)
    response = web.post(
        "/training/programmes/set/",
        {"role": "salesperson", "title": "新業務", f"days_{course.pk}": "7"},
    )
    assert response.status_code == 302
    assert web.get("/training/programmes/").status_code == 200
    assert web.get("/training/programmes/?export=xlsx").status_code == 200
    api = web.get("/api/v1/trainings/programmes").json()
    assert api[0]["entries"] == [{"course_id": course.pk, "due_days": 7}]
    bad = web.put(
        "/api/v1/trainings/programmes/nobody",
        {"title": "x", "entries": [{"course_id": course.pk, "due_days": 9999}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {"role", "due_days"} <= set(bad.json()["extra"]["fields"])
    web.force_login(salesperson)
    assert web.get("/training/programmes/set/").status_code == 403
    refused = web.put(
        "/api/v1/trainings/programmes/salesperson",
        {"title": "x", "entries": []},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_a_role_given_in_the_admin_site_starts_its_onboarding(programme, it_admin, salesperson):
    """Roles are changed by IT admins in the admin site; a role given there starts the same
    onboarding as a user created with it, and saving without a new role starts nothing."""
    from django.contrib.auth.models import Group
    from django.test import Client

    it_admin.is_staff = True  # as user_create makes IT admins
    it_admin.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(it_admin)
    url = f"/admin/accounts/user/{salesperson.pk}/change/"
    saved = "/admin/accounts/user/"
    form = {
        "username": salesperson.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [g.pk for g in salesperson.groups.all()],
        "department": salesperson.department_id or "",
        "manager": salesperson.manager_id or "",
        "language": salesperson.language,
    }
    unchanged = client.post(url, form)
    assert (unchanged.status_code, unchanged["Location"]) == (302, saved)
    assert not Event.objects.filter(verb="user.roles_granted").exists()
    assert _onboarding(salesperson) == []

    form["groups"] = [*form["groups"], Group.objects.get(name="sales_admin").pk]
    assert client.post(url, form)["Location"] == saved

    granted = Event.objects.get(verb="user.roles_granted", object_id=salesperson.pk)
    assert granted.data == {"roles": ["sales_admin"]}
    [item] = _onboarding(salesperson)
    assert "CRM" in str(item.title)
    assert OnboardingItem.objects.filter(user=salesperson).count() == 1
