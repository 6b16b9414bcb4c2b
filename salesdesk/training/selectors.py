"""Reads of courses, sessions, training records and career plans, scoped to who asks
(T1.1, T2.1, T3.1). Courses and sessions are visible to every signed-in user."""

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.core.errors import NotFound
from salesdesk.training.models import (
    CareerPlan,
    Course,
    Enrolment,
    OnboardingItem,
    TrainingSession,
)
from salesdesk.training.policies import can_manage_training, persons_visible_to


def course_list(*, user: Any, q: str = "", role: str = "", active: str = "") -> QuerySet[Course]:
    courses = Course.objects.all()
    if not can_manage_training(user) or active == "1":
        courses = courses.filter(active=True)
    if q.strip():
        courses = courses.filter(Q(title__icontains=q.strip()) | Q(description__icontains=q))
    if role:
        courses = [c.pk for c in courses if role in (c.audience_roles or [])]
        courses = Course.objects.filter(pk__in=courses)
    return courses


def course_get(*, user: Any, course_id: int) -> Course:
    course = course_list(user=user).filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("No such course."))
    return course


def session_list(
    *, user: Any, period: str = "", course: Any = None, start=None
) -> QuerySet[TrainingSession]:
    """Sessions from `start` (default today) for a week or month, or all upcoming."""
    sessions = TrainingSession.objects.select_related("course", "trainer").annotate(
        enrolled=Count("enrolments")
    )
    day = start or timezone.localdate()
    begin = timezone.make_aware(datetime.combine(day, time.min))
    sessions = sessions.filter(starts_at__gte=begin)
    if period in ("week", "month"):
        sessions = sessions.filter(
            starts_at__lt=begin + timedelta(days=7 if period == "week" else 31)
        )
    if course:
        sessions = sessions.filter(course_id=course)
    return sessions


def session_get(*, user: Any, session_id: int) -> TrainingSession:
    session = (
        TrainingSession.objects.select_related("course", "trainer").filter(pk=session_id).first()
    )
    if session is None or not user.is_authenticated:
        raise NotFound(_("No such session."))
    return session


def person_get(*, user: Any, person_id: int) -> Any:
    person = get_user_model().objects.filter(persons_visible_to(user), pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def persons_list(*, user: Any, q: str = "") -> QuerySet:
    people = (
        get_user_model()
        .objects.filter(persons_visible_to(user), is_active=True)
        .exclude(username="system")
        .select_related("department", "manager")
    )
    if q.strip():
        people = people.filter(
            Q(username__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q)
        )
    return people


def record_of(*, user: Any, person_id: int) -> dict[str, Any]:
    """One person's training record: courses passed, scores, sessions, outstanding items."""
    person = person_get(user=user, person_id=person_id)
    enrolments = list(
        Enrolment.objects.filter(user=person)
        .select_related("session__course")
        .order_by("-session__starts_at")
    )
    passed = {}
    for e in enrolments:
        if e.passed and e.session.course_id not in passed:
            passed[e.session.course_id] = e
    items = list(OnboardingItem.objects.filter(user=person).select_related("course"))
    today = timezone.localdate()
    outstanding = [i for i in items if i.completed_at is None]
    for item in outstanding:
        item.overdue = item.due_on < today
    return {
        "person": person,
        "enrolments": enrolments,
        "attended": [e for e in enrolments if e.attendance == "present"],
        "completed": list(passed.values()),
        "onboarding": items,
        "outstanding": outstanding,
    }


def plan_list(*, user: Any) -> QuerySet[CareerPlan]:
    people = get_user_model().objects.filter(persons_visible_to(user)).values("pk")
    return CareerPlan.objects.filter(person__in=people).select_related("person", "reviewer")


def plan_get(*, user: Any, plan_id: int) -> CareerPlan:
    plan = plan_list(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such career plan."))
    return plan
