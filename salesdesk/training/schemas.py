"""Schemas of the training API (T1.1, T2.1, T3.1)."""

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class SectionOut(Schema):
    position: int
    title: str
    body: str
    requirement_ids: list[str]


class CourseOut(Schema):
    id: int
    title: str
    description: str
    audience_roles: list[str]
    links: str
    duration_minutes: int
    required_for_new_staff: bool
    assessed: bool
    pass_mark: int | None
    active: bool
    sections: list[SectionOut] = []

    @staticmethod
    def resolve_sections(obj):
        return list(obj.sections.all())


class CourseIn(In):
    title: str
    description: str = ""
    audience_roles: list[str] = []
    links: str = ""
    duration_minutes: int = 60
    required_for_new_staff: bool = False
    assessed: bool = True
    pass_mark: int | None = None
    active: bool = True


class CoursePatch(In):
    title: str | None = None
    description: str | None = None
    audience_roles: list[str] | None = None
    links: str | None = None
    duration_minutes: int | None = None
    required_for_new_staff: bool | None = None
    assessed: bool | None = None
    pass_mark: int | None = None
    active: bool | None = None


class ProgrammeEntry(Schema):
    course_id: int
    due_days: int


class ProgrammeOut(Schema):
    id: int
    role: str
    title: str
    entries: list[ProgrammeEntry]

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.all())


class ProgrammeIn(In):
    title: str
    entries: list[ProgrammeEntry]


class SessionOut(Schema):
    id: int
    course_id: int
    starts_at: datetime
    trainer_id: int | None
    trainer_name: str
    place: str
    online_link: str
    capacity: int
    cancelled_at: datetime | None
    cancel_reason: str


class SessionCancelIn(In):
    reason: str


class SessionIn(In):
    course: int
    starts_at: datetime
    trainer: int | None = None
    trainer_name: str = ""
    place: str = ""
    online_link: str = ""
    capacity: int = 20


class SessionPatch(In):
    starts_at: datetime | None = None
    trainer: int | None = None
    trainer_name: str | None = None
    place: str | None = None
    online_link: str | None = None
    capacity: int | None = None


class EnrolIn(In):
    user: int | None = None


class EnrolmentOut(Schema):
    id: int
    session_id: int
    user_id: int
    attendance: str
    score: int | None
    passed: bool


class AttendanceIn(In):
    enrolment: int
    attendance: str
    score: int | float | str | None = None


class OnboardingOut(Schema):
    course_id: int
    course: str
    due_on: date
    completed_at: datetime | None

    @staticmethod
    def resolve_course(obj):
        return obj.course.title


class RecordOut(Schema):
    user_id: int
    enrolments: list[EnrolmentOut]
    completed_course_ids: list[int]
    onboarding: list[OnboardingOut]
    outstanding_course_ids: list[int]


class PlanOut(Schema):
    id: int
    person_id: int
    reviewer_id: int
    current_title: str
    summary: str
    next_review_on: date | None


class PlanIn(In):
    person: int
    current_title: str = ""
    summary: str = ""
    next_review_on: date | None = None


class PlanPartIn(In):
    """goal: text, target_date, status; review: held_on, notes, next_review_on;
    promotion: promoted_on, from_title, to_title, note."""

    text: str | None = None
    target_date: date | None = None
    status: str | None = None
    held_on: date | None = None
    notes: str | None = None
    next_review_on: date | None = None
    promoted_on: date | None = None
    from_title: str | None = None
    to_title: str | None = None
    note: str | None = None
