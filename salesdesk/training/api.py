"""Training API (T1.1, T2.1, T3.1): courses, sessions with enrol and attendance actions and
events, training records, career plans. Each handler calls one service or selector."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import NotFound
from salesdesk.training import selectors, services, services_career, services_sessions
from salesdesk.training.models import OnboardingProgramme
from salesdesk.training.schemas import (
    AttendanceIn,
    CourseIn,
    CourseOut,
    CoursePatch,
    EnrolIn,
    EnrolmentOut,
    PlanIn,
    PlanOut,
    PlanPartIn,
    ProgrammeIn,
    ProgrammeOut,
    RecordOut,
    SessionCancelIn,
    SessionIn,
    SessionOut,
    SessionPatch,
)

router = Router(tags=["training"])


@router.get("/trainings/courses", response=list[CourseOut], summary="Courses")
def course_list_api(request, q: str = "", role: str = ""):
    return list(
        selectors.course_list(user=request.user, q=q, role=role).prefetch_related("sections")
    )


@router.post("/trainings/courses", response={201: CourseOut}, summary="New course")
def course_create_api(request, payload: CourseIn):
    return Status(201, services.course_create(actor=request.user, data=payload.model_dump()))


@router.get("/trainings/courses/{int:course_id}", response=CourseOut, summary="One course")
def course_get_api(request, course_id: int):
    return selectors.course_get(user=request.user, course_id=course_id)


@router.patch("/trainings/courses/{int:course_id}", response=CourseOut, summary="Change a course")
def course_update_api(request, course_id: int, payload: CoursePatch):
    data = payload.model_dump(exclude_unset=True)
    return services.course_update(actor=request.user, course_id=course_id, data=data)


@router.get("/trainings/programmes", response=list[ProgrammeOut], summary="Onboarding programmes")
def programme_list_api(request):
    return list(OnboardingProgramme.objects.prefetch_related("entries"))


@router.put("/trainings/programmes/{role}", response=ProgrammeOut, summary="Set a role's programme")
def programme_set_api(request, role: str, payload: ProgrammeIn):
    entries = [(e.course_id, e.due_days) for e in payload.entries]
    return services.programme_set(
        actor=request.user, role=role, title=payload.title, entries=entries
    )


@router.get("/trainings/sessions", response=list[SessionOut], summary="Upcoming sessions")
def session_list_api(request, period: str = "", course: int | None = None):
    return list(selectors.session_list(user=request.user, period=period, course=course))


@router.post("/trainings/sessions", response={201: SessionOut}, summary="Schedule a session")
def session_create_api(request, payload: SessionIn):
    return Status(
        201, services_sessions.session_create(actor=request.user, data=payload.model_dump())
    )


@router.get("/trainings/sessions/{int:session_id}", response=SessionOut, summary="One session")
def session_get_api(request, session_id: int):
    return selectors.session_get(user=request.user, session_id=session_id)


@router.patch(
    "/trainings/sessions/{int:session_id}", response=SessionOut, summary="Change a session"
)
def session_update_api(request, session_id: int, payload: SessionPatch):
    data = payload.model_dump(exclude_unset=True)
    return services_sessions.session_update(actor=request.user, session_id=session_id, data=data)


@router.post(
    "/trainings/sessions/{int:session_id}/cancel",
    response=SessionOut,
    summary="Cancel a session that has not taken place",
)
def session_cancel_api(request, session_id: int, payload: SessionCancelIn):
    return services_sessions.session_cancel(
        actor=request.user, session_id=session_id, reason=payload.reason
    )


@router.post(
    "/trainings/sessions/{int:session_id}/enrol",
    response={201: EnrolmentOut},
    summary="Enrol yourself (or, training managers, someone)",
)
def session_enrol_api(request, session_id: int, payload: EnrolIn):
    return Status(
        201,
        services_sessions.enrolment_add(
            actor=request.user, session_id=session_id, user_id=payload.user
        ),
    )


@router.post(
    "/trainings/sessions/{int:session_id}/attendance",
    response=EnrolmentOut,
    summary="Record attendance and score",
)
def session_attendance_api(request, session_id: int, payload: AttendanceIn):
    selectors.session_get(user=request.user, session_id=session_id)
    return services_sessions.attendance_record(
        actor=request.user,
        enrolment_id=payload.enrolment,
        attendance=payload.attendance,
        score=payload.score,
    )


add_events_route(
    router,
    "/trainings/sessions",
    lambda request, pk: selectors.session_get(user=request.user, session_id=pk),
)
add_events_route(
    router,
    "/trainings/courses",
    lambda request, pk: selectors.course_get(user=request.user, course_id=pk),
)


@router.get("/trainings/records/{int:user_id}", response=RecordOut, summary="Training record")
def record_api(request, user_id: int):
    record = selectors.record_of(user=request.user, person_id=user_id)
    return {
        "user_id": record["person"].pk,
        "enrolments": record["enrolments"],
        "completed_course_ids": [e.session.course_id for e in record["completed"]],
        "onboarding": record["onboarding"],
        "outstanding_course_ids": [i.course_id for i in record["outstanding"]],
    }


@router.get("/career-plans", response=list[PlanOut], summary="Career plans I may see")
def plan_list_api(request):
    return list(selectors.plan_list(user=request.user))


@router.post("/career-plans", response={201: PlanOut}, summary="Start a career plan")
def plan_create_api(request, payload: PlanIn):
    data = payload.model_dump(exclude={"person"})
    return Status(
        201, services_career.plan_create(actor=request.user, person_id=payload.person, data=data)
    )


@router.get("/career-plans/{int:plan_id}", response=PlanOut, summary="One career plan")
def plan_get_api(request, plan_id: int):
    return selectors.plan_get(user=request.user, plan_id=plan_id)


add_events_route(
    router, "/career-plans", lambda request, pk: selectors.plan_get(user=request.user, plan_id=pk)
)


PARTS = {
    "goals": services_career.goal_add,
    "reviews": services_career.review_record,
    "promotions": services_career.promotion_record,
}


@router.post(
    "/career-plans/{int:plan_id}/{part}",
    response={201: PlanOut},
    summary="Add a goal, review or promotion (part: goals, reviews, promotions)",
)
def plan_part_api(request, plan_id: int, part: str, payload: PlanPartIn):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    if part not in PARTS:
        raise NotFound(_("No such part."))
    PARTS[part](actor=request.user, plan_id=plan.pk, data=payload.model_dump(exclude_unset=True))
    return Status(201, selectors.plan_get(user=request.user, plan_id=plan_id))
