"""Training sessions (T2.1): schedule, change and cancel a session, enrol people, record
attendance and scores. Passing a course closes the person's onboarding item (T1.1)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.audit.services import event_record
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied
from salesdesk.notifications.services import notification_send
from salesdesk.training.models import Attendance, Course, Enrolment, OnboardingItem, TrainingSession
from salesdesk.training.policies import can_manage_training, can_see_person
from salesdesk.training.services import _fail, _int_in, _require_manager, pass_mark_of


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
