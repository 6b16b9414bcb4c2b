"""Writes of courses, onboarding programmes, sessions and enrolments (T1.1, T2.1).

Every write checks its permission, validates (ValidationFailed naming the field; a refusal
changes nothing), writes inside a transaction and records one audit event.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.accounts.roles import ASSIGNABLE_ROLES
from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.notifications.services import notification_send
from salesdesk.training import procedure
from salesdesk.training.models import (
    Attendance,
    Course,
    CourseSection,
    Enrolment,
    OnboardingItem,
    OnboardingProgramme,
    ProgrammeCourse,
    TrainingSession,
)
from salesdesk.training.policies import can_manage_training, can_see_person

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


def _clean_session(data: dict, current: TrainingSession | None) -> dict[str, Any]:
    fields: dict[str, list] = {}
    clean: dict[str, Any] = {}
    if "course" in data or current is None:
        raw = getattr(data.get("course"), "pk", data.get("course"))
        clean["course"] = Course.objects.filter(pk=raw, active=True).first() if raw else None
        if clean["course"] is None:
            fields["course"] = [_("Choose an active course.")]
    if "starts_at" in data or current is None:
        clean["starts_at"] = data.get("starts_at")
        if not clean["starts_at"]:
            fields["starts_at"] = [_("Give the date and time.")]
    if "capacity" in data or current is None:
        clean["capacity"] = _int_in(data.get("capacity", 20), 1, 10000)
        if clean["capacity"] is None:
            fields["capacity"] = [_("Capacity is a whole number from 1 to 10000.")]
    if "trainer" in data or current is None:
        raw = getattr(data.get("trainer"), "pk", data.get("trainer"))
        clean["trainer"] = get_user_model().objects.filter(pk=raw, is_active=True).first()
        if raw and clean["trainer"] is None:
            fields["trainer"] = [_("Choose an active user.")]
    for name in ("trainer_name", "place", "online_link"):
        if name in data or current is None:
            clean[name] = str(data.get(name) or "").strip()
    link = clean.get("online_link", "")
    if link and not link.startswith(("http://", "https://")):
        fields["online_link"] = [_("The link must start with http:// or https://.")]
    if current is None and not (clean.get("place") or link):
        fields["place"] = [_("Give a place or an online link.")]
    if fields:
        raise _fail(fields)
    return clean


def session_create(*, actor: Any, data: dict) -> TrainingSession:
    """Schedule a session of a course (T2.1)."""
    _require_manager(actor)
    clean = _clean_session(data, None)
    with transaction.atomic():
        session = TrainingSession.objects.create(**clean)
        event_record(actor=actor, verb="training.session_scheduled", subject=session)
    return session


def _open_session(session_id: int) -> TrainingSession:
    """The session, locked, refused if it does not exist or was cancelled."""
    session = TrainingSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("No such session."))
    if session.cancelled_at is not None:
        raise Conflict(_("The session was cancelled."), code="session_cancelled")
    return session


def session_update(*, actor: Any, session_id: int, data: dict) -> TrainingSession:
    _require_manager(actor)
    with transaction.atomic():
        session = _open_session(session_id)
        clean = _clean_session(data, session)
        if clean.get("capacity") and clean["capacity"] < session.enrolments.count():
            raise _fail({"capacity": [_("More people are already enrolled.")]})
        for name, value in clean.items():
            setattr(session, name, value)
        session.save()
        event_record(actor=actor, verb="training.session_changed", subject=session)
    return session


def session_cancel(*, actor: Any, session_id: int, reason: str) -> TrainingSession:
    """Cancel a session that has not taken place (no attendance recorded), with the reason;
    the people enrolled are told. Nothing is deleted: the session and its enrolments stay on
    record, marked cancelled (T2.1)."""
    _require_manager(actor)
    reason = str(reason or "").strip()
    if not reason:
        raise _fail({"reason": [_("Give the reason for cancelling.")]})
    if len(reason) > TrainingSession._meta.get_field("cancel_reason").max_length:
        raise _fail({"reason": [_("The reason may have at most 500 characters.")]})
    with transaction.atomic():
        session = _open_session(session_id)
        if session.enrolments.exclude(attendance=Attendance.ENROLLED).exists():
            raise Conflict(
                _("Attendance is already recorded: the session took place."),
                code="attendance_recorded",
            )
        session.cancelled_at, session.cancel_reason = timezone.now(), reason
        session.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        event_record(
            actor=actor,
            verb="training.session_cancelled",
            subject=session,
            data={"reason": reason},
        )
        people = [e.user for e in session.enrolments.select_related("user")]
        if people:
            when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
            notification_send(
                recipients=people,
                title=_("Training session cancelled: %(course)s, %(when)s")
                % {"course": session.course.title, "when": when},
                body=reason,
                url=reverse("training:session_detail", args=[session.pk]),
                actor=actor,
            )
    return session


def enrolment_add(*, actor: Any, session_id: int, user_id: int | None = None) -> Enrolment:
    """Enrol oneself, or (training managers) someone they may see, in a session (T2.1)."""
    person = get_user_model().objects.filter(pk=user_id or actor.pk, is_active=True).first()
    if person is None:
        raise _fail({"user": [_("Choose an active user.")]})
    if person.pk != actor.pk and not (can_manage_training(actor) and can_see_person(actor, person)):
        raise PermissionDenied(_("You may enrol only yourself."))
    with transaction.atomic():
        session = _open_session(session_id)
        if session.enrolments.filter(user=person).exists():
            raise Conflict(_("Already enrolled."), code="already_enrolled")
        if session.enrolments.count() >= session.capacity:
            raise Conflict(_("The session is full."), code="session_full")
        enrolment = Enrolment.objects.create(session=session, user=person)
        event_record(
            actor=actor, verb="training.enrolled", subject=session, data={"user": person.pk}
        )
    return enrolment


def attendance_record(
    *, actor: Any, enrolment_id: int, attendance: str, score: Any = None
) -> Enrolment:
    """Record attendance and the assessment score (0–100). Passing a course (present and at
    least the pass mark, or present if not assessed) closes the person's onboarding item."""
    _require_manager(actor)
    fields: dict[str, list] = {}
    if attendance not in Attendance.values or attendance == Attendance.ENROLLED:
        fields["attendance"] = [_("Choose present, absent or excused.")]
    value = None
    if score not in (None, ""):
        value = _int_in(score, 0, 100)
        if value is None:
            fields["score"] = [_("The score is a whole number from 0 to 100.")]
        elif attendance != Attendance.PRESENT:
            fields["score"] = [_("Only people present can have a score.")]
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("session__course")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None:
            raise NotFound(_("No such enrolment."))
        if enrolment.session.cancelled_at is not None:
            raise Conflict(_("The session was cancelled."), code="session_cancelled")
        course = enrolment.session.course
        passed = attendance == Attendance.PRESENT and (
            not course.assessed or (value is not None and value >= pass_mark_of(course))
        )
        enrolment.attendance, enrolment.score, enrolment.passed = attendance, value, passed
        enrolment.save()
        event_record(
            actor=actor,
            verb="training.attendance_recorded",
            subject=enrolment.session,
            data={
                "user": enrolment.user_id,
                "attendance": attendance,
                "score": value,
                "passed": passed,
            },
        )
        if passed:
            closed = OnboardingItem.objects.filter(
                user_id=enrolment.user_id, course=course, completed_at__isnull=True
            ).update(completed_at=timezone.now())
            if closed:
                event_record(
                    actor=actor,
                    verb="training.onboarding_completed",
                    subject=enrolment.session,
                    data={"user": enrolment.user_id},
                )
    return enrolment
