"""Training pages (T1.1, T2.1): the calendar, courses and sessions with attendance and
scores. Each write calls one service; a refusal shows its message and changes nothing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from salesdesk.core.attachments import attachment_add, attachments_of
from salesdesk.core.errors import DomainError, NotFound, PermissionDenied
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.training import selectors, services, services_sessions
from salesdesk.training.forms import (
    AttendanceForm,
    CalendarFilterForm,
    CourseFilterForm,
    CourseForm,
    SessionForm,
)
from salesdesk.training.policies import can_manage_training


def problem_text(error: DomainError) -> str:
    details = [m for found in (error.extra.get("fields") or {}).values() for m in found]
    return " ".join([str(error.message), *[str(d) for d in details]])


def apply_errors(form, error: DomainError) -> None:
    for name, found in (error.extra.get("fields") or {"": [error.message]}).items():
        for message in found:
            form.add_error(name if name in form.fields else None, str(message))


def listing(request, items, sorts, default, columns, export):
    """Sort, export (xlsx) or paginate a list; returns a response or a context dict."""
    items, sort = sort_queryset(items, request.GET.get("sort", ""), sorts, default)
    if request.GET.get("export") == "xlsx":
        name, headers, row = export
        stamp = timezone.localdate().isoformat()
        return xlsx_response(f"{name}-{stamp}", headers, (row(i) for i in items))
    context = paginate(request, items)
    context.update(
        sort=sort,
        columns=sort_columns(request, sort, columns),
        export_query=query_without(request, "page", "export"),
    )
    return context


CAL_SORTS = {"starts": "starts_at", "course": "course__title", "place": "place"}
CAL_COLUMNS = (("starts", _("Starts at")), ("course", _("Course")), ("place", _("Place")))
CAL_EXPORT = (
    _("Starts at"),
    _("Course"),
    _("Trainer"),
    _("Place"),
    _("Online link"),
    _("Capacity"),
    _("Enrolled"),
)


@login_required
def calendar_view(request):
    """Upcoming sessions by week or month, as a keyboard-usable list (T2.1)."""
    form = CalendarFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    sessions = selectors.session_list(
        user=request.user, period=data.get("period") or "", course=data.get("course")
    )
    context = listing(
        request,
        sessions,
        CAL_SORTS,
        "starts",
        CAL_COLUMNS,
        (
            "training-sessions",
            CAL_EXPORT,
            lambda s: [
                s.starts_at,
                s.course.title,
                str(s.trainer or s.trainer_name),
                s.place,
                s.online_link,
                s.capacity,
                s.enrolled,
            ],
        ),
    )
    if not isinstance(context, dict):
        return context
    context.update(form=form, can_manage=can_manage_training(request.user))
    return render(request, "training/calendar.html", context)


COURSE_SORTS = {"title": "title", "duration": "duration_minutes", "created": "created_at"}
COURSE_COLUMNS = (("title", _("Title")), ("duration", _("Duration (minutes)")))
COURSE_EXPORT = (
    _("Title"),
    _("Audience roles"),
    _("Duration (minutes)"),
    _("Required for new staff"),
    _("Pass mark"),
    _("Active"),
)


@login_required
def course_list_view(request):
    form = CourseFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    courses = selectors.course_list(
        user=request.user, q=data.get("q") or "", role=data.get("role") or ""
    )
    context = listing(
        request,
        courses,
        COURSE_SORTS,
        "title",
        COURSE_COLUMNS,
        (
            "courses",
            COURSE_EXPORT,
            lambda c: [
                c.title,
                ", ".join(c.audience_roles),
                c.duration_minutes,
                c.required_for_new_staff,
                services.pass_mark_of(c),
                c.active,
            ],
        ),
    )
    if not isinstance(context, dict):
        return context
    context.update(form=form, can_manage=can_manage_training(request.user))
    return render(request, "training/course_list.html", context)


def _course(request, course_id: int):
    try:
        return selectors.course_get(user=request.user, course_id=course_id)
    except NotFound:
        raise Http404 from None


@login_required
def course_detail_view(request, course_id: int):
    course = _course(request, course_id)
    context = {
        "course": course,
        "sections": course.sections.all(),
        "attachments": attachments_of(course),
        "sessions": selectors.session_list(user=request.user, course=course.pk),
        "pass_mark": services.pass_mark_of(course),
        "can_manage": can_manage_training(request.user),
    }
    return render(request, "training/course_detail.html", context)


@login_required
def course_form_view(request, course_id: int | None = None):
    if not can_manage_training(request.user):
        raise PageForbidden
    course = _course(request, course_id) if course_id else None
    initial: dict[str, Any] = {}
    if course:
        initial = {n: getattr(course, n) for n in services.COURSE_FIELDS}
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if course:
                course = services.course_update(
                    actor=request.user, course_id=course.pk, data=form.cleaned_data
                )
            else:
                course = services.course_create(actor=request.user, data=form.cleaned_data)
            return redirect("training:course_detail", course.pk)
        except DomainError as error:
            apply_errors(form, error)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": course or _("New course"), "multipart": False},
    )


@login_required
@require_POST
def course_attach_view(request, course_id: int):
    course = _course(request, course_id)
    if not can_manage_training(request.user):
        raise PageForbidden
    try:
        attachment_add(
            actor=request.user, subject=course, upload=request.FILES.get("file"), kind="material"
        )
        messages.success(request, _("Material added."))
    except (DomainError, AttributeError) as error:
        messages.error(
            request, problem_text(error) if isinstance(error, DomainError) else _("Choose a file.")
        )
    return redirect("training:course_detail", course.pk)


@login_required
def session_form_view(request):
    if not can_manage_training(request.user):
        raise PageForbidden
    form = SessionForm(request.POST or None, initial={"course": request.GET.get("course")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services_sessions.session_create(actor=request.user, data=form.cleaned_data)
            return redirect("training:session_detail", session.pk)
        except DomainError as error:
            apply_errors(form, error)
    return render(request, "training/form.html", {"form": form, "title": _("New session")})


@login_required
def session_detail_view(request, session_id: int):
    try:
        session = selectors.session_get(user=request.user, session_id=session_id)
    except NotFound:
        raise Http404 from None
    manage = can_manage_training(request.user)
    enrolments = list(session.enrolments.select_related("user"))
    if not manage:
        enrolments = [e for e in enrolments if e.user_id == request.user.pk]
    context = {
        "session": session,
        "enrolments": enrolments,
        "count": session.enrolments.count(),
        "can_manage": manage,
        "enrolled": session.enrolments.filter(user=request.user).exists(),
        "attendance_form": AttendanceForm(),
        "can_cancel": session.cancelled_at is None
        and not session.enrolments.exclude(attendance="enrolled").exists(),
        "pass_mark": services.pass_mark_of(session.course),
    }
    return render(request, "training/session_detail.html", context)


@login_required
def session_edit_view(request, session_id: int):
    """Change a session's time, trainer, place or capacity (training managers)."""
    if not can_manage_training(request.user):
        raise PageForbidden
    try:
        session = selectors.session_get(user=request.user, session_id=session_id)
    except NotFound:
        raise Http404 from None
    initial = {
        "course": session.course_id,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "trainer": session.trainer_id,
        "trainer_name": session.trainer_name,
        "place": session.place,
        "online_link": session.online_link,
        "capacity": session.capacity,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_sessions.session_update(
                actor=request.user, session_id=session.pk, data=form.cleaned_data
            )
            messages.success(request, _("Session changed."))
            return redirect("training:session_detail", session.pk)
        except DomainError as error:
            apply_errors(form, error)
    title = _("Change the session")
    return render(request, "training/form.html", {"form": form, "title": title})


@login_required
@require_POST
def session_cancel_view(request, session_id: int):
    try:
        services_sessions.session_cancel(
            actor=request.user, session_id=session_id, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Session cancelled; the people enrolled were told."))
    except PermissionDenied:
        raise PageForbidden from None
    except DomainError as error:
        messages.error(request, problem_text(error))
    return redirect("training:session_detail", session_id)


@login_required
@require_POST
def session_enrol_view(request, session_id: int):
    try:
        services_sessions.enrolment_add(
            actor=request.user, session_id=session_id, user_id=request.POST.get("user") or None
        )
        messages.success(request, _("Enrolled."))
    except DomainError as error:
        messages.error(request, problem_text(error))
    return redirect("training:session_detail", session_id)


@login_required
@require_POST
def attendance_view(request, enrolment_id: int):
    form = AttendanceForm(request.POST)
    form.is_valid()
    session_id = request.POST.get("session")
    try:
        enrolment = services_sessions.attendance_record(
            actor=request.user,
            enrolment_id=enrolment_id,
            attendance=request.POST.get("attendance", ""),
            score=request.POST.get("score"),
        )
        session_id = enrolment.session_id
        messages.success(request, _("Attendance recorded."))
    except DomainError as error:
        messages.error(request, problem_text(error))
    if not str(session_id or "").isdigit():
        return redirect("training:calendar")
    return redirect("training:session_detail", int(session_id))
