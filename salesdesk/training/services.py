"""Writes of courses, onboarding programmes, sessions and enrolments (T1.1, T2.1).

Every write checks its permission, validates (ValidationFailed naming the field; a refusal
changes nothing), writes inside a transaction and records one audit event.
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.accounts.roles import ASSIGNABLE_ROLES
from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.training import procedure
from salesdesk.training.models import (
    Course,
    CourseSection,
    Enrolment,
    OnboardingItem,
    OnboardingProgramme,
    ProgrammeCourse,
)
from salesdesk.training.policies import can_manage_training

COURSE_FIELDS = (
    "title",
    "description",
    "audience_roles",
    "links",
    "duration_minutes",
    "required_for_new_staff",
    "assessed",
    "pass_mark",
    "active",
)


def _fail(fields: dict[str, list]) -> ValidationFailed:
    return ValidationFailed.from_fields(_("Please correct the marked fields."), fields)


def _require_manager(actor: Any) -> None:
    if not can_manage_training(actor):
        raise PermissionDenied(_("You may not manage training."))


def _int_in(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high and str(value).strip().lstrip("-").isdigit() else None


def pass_mark_of(course: Course) -> int:
    return (
        course.pass_mark if course.pass_mark is not None else policies.value("training.pass_mark")
    )


def _clean_course(data: dict, current: Course | None) -> dict[str, Any]:
    fields: dict[str, list] = {}
    clean: dict[str, Any] = {}
    present = [n for n in COURSE_FIELDS if n in data or current is None]
    for name in present:
        raw = data.get(name)
        if name in ("title", "description", "links"):
            clean[name] = str(raw or "").strip()
        elif name == "audience_roles":
            roles = list(raw or [])
            unknown = [r for r in roles if r not in ASSIGNABLE_ROLES]
            if unknown:
                fields[name] = [_("Unknown role: %(role)s") % {"role": unknown[0]}]
            clean[name] = roles
        elif name == "duration_minutes":
            clean[name] = _int_in(60 if raw in (None, "") else raw, 1, 10000)
            if clean[name] is None:
                fields[name] = [_("Give the duration in whole minutes, 1 to 10000.")]
        elif name == "pass_mark":
            clean[name] = None if raw in (None, "") else _int_in(raw, 0, 100)
            if raw not in (None, "") and clean[name] is None:
                fields[name] = [_("The pass mark is a whole number from 0 to 100.")]
        else:
            clean[name] = bool(raw) if raw is not None else name in ("assessed", "active")
    if "title" in clean and not clean["title"]:
        fields["title"] = [_("Give the course a title.")]
    if len(clean.get("title", "")) > 200:
        fields["title"] = [_("At most %(n)s characters.") % {"n": 200}]
    for link in clean.get("links", "").splitlines():
        if link.strip() and not link.strip().startswith(("http://", "https://")):
            fields["links"] = [_("Each link must start with http:// or https://.")]
    if fields:
        raise _fail(fields)
    return clean


def course_create(*, actor: Any, data: dict) -> Course:
    """A new course (T1.1, T2.1)."""
    _require_manager(actor)
    clean = _clean_course(data, None)
    with transaction.atomic():
        course = Course.objects.create(**clean)
        event_record(actor=actor, verb="training.course_created", subject=course)
    return course


def course_update(*, actor: Any, course_id: int, data: dict) -> Course:
    _require_manager(actor)
    with transaction.atomic():
        course = Course.objects.select_for_update().filter(pk=course_id).first()
        if course is None:
            raise NotFound(_("No such course."))
        clean = _clean_course(data, course)
        changed = {k: v for k, v in clean.items() if getattr(course, k) != v}
        for name, value in changed.items():
            setattr(course, name, value)
        if changed:
            course.save()
            event_record(
                actor=actor,
                verb="training.course_changed",
                subject=course,
                data={"fields": sorted(changed)},
            )
    return course


def procedure_course_ensure(*, actor: Any) -> Course:
    """Create (once) the course "銷售內勤工作流程" with a section per chapter (T1.1)."""
    course = Course.objects.filter(key=procedure.PROCEDURE_KEY).first()
    if course is not None:
        return course
    with transaction.atomic():
        course = Course.objects.create(
            key=procedure.PROCEDURE_KEY,
            title=procedure.PROCEDURE_TITLE,
            description=procedure.PROCEDURE_DESCRIPTION,
            audience_roles=["sales_admin", "salesperson", "sales_manager"],
            duration_minutes=240,
            required_for_new_staff=True,
        )
        for position, (title, ids) in enumerate(procedure.CHAPTERS, start=1):
            CourseSection.objects.create(
                course=course, position=position, title=title, requirement_ids=list(ids)
            )
        event_record(actor=actor, verb="training.course_created", subject=course, note="procedure")
    return course


def programme_set(
    *, actor: Any, role: str, title: str, entries: list[tuple[int, int]]
) -> OnboardingProgramme:
    """Set a role's onboarding programme: (course id, due days) pairs (T1.1)."""
    _require_manager(actor)
    fields: dict[str, list] = {}
    if role not in ASSIGNABLE_ROLES:
        fields["role"] = [_("Unknown role: %(role)s") % {"role": role}]
    courses = {c.pk: c for c in Course.objects.filter(pk__in=[c for c, _d in entries])}
    for course_id, days in entries:
        if course_id not in courses:
            fields["courses"] = [_("No such course.")]
        if _int_in(days, 0, 3650) is None:
            fields["due_days"] = [_("Days after start are a whole number from 0 to 3650.")]
    if not str(title or "").strip():
        fields["title"] = [_("Give the programme a title.")]
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        programme, _created = OnboardingProgramme.objects.update_or_create(
            role=role, defaults={"title": title.strip(), "active": True}
        )
        programme.entries.all().delete()
        for course_id, days in entries:
            ProgrammeCourse.objects.create(
                programme=programme, course_id=course_id, due_days=int(days)
            )
        event_record(
            actor=actor,
            verb="training.programme_set",
            subject=programme,
            data={"courses": [[c, int(d)] for c, d in entries]},
        )
    return programme


def onboarding_assign(*, user: Any, roles: list[str], actor: Any, start=None) -> list:
    """Give `user` the onboarding items of their new roles' programmes (T1.1); called by
    accounts.services when a user is created with roles or given a role. Courses the user
    already passed are recorded as completed at once."""
    start = start or timezone.localdate()
    created = []
    entries = ProgrammeCourse.objects.filter(
        programme__role__in=roles, programme__active=True, course__active=True
    ).select_related("programme", "course")
    for entry in entries:
        if OnboardingItem.objects.filter(user=user, course=entry.course).exists():
            continue
        passed = Enrolment.objects.filter(user=user, session__course=entry.course, passed=True)
        item = OnboardingItem.objects.create(
            user=user,
            programme=entry.programme,
            course=entry.course,
            started_on=start,
            due_on=start + timedelta(days=entry.due_days),
            completed_at=timezone.now() if passed.exists() else None,
        )
        event_record(
            actor=actor,
            verb="training.onboarding_assigned",
            subject=item,
            data={"user": user.pk, "course": entry.course_id},
        )
        created.append(item)
    return created
