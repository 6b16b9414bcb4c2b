"""Training and development (T1.1, T2.1, T3.1): courses with sections, onboarding programmes
per role and each person's onboarding items, sessions with enrolments (attendance, score),
career development plans with goals, reviews and promotions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel

USER = settings.AUTH_USER_MODEL


class Course(BaseModel):
    """A course (T1.1, T2.1); material is attachments on the course or links, one per line."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience_roles = models.JSONField(_("audience roles"), default=list, blank=True)
    links = models.TextField(_("material links"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    required_for_new_staff = models.BooleanField(_("required for new staff"), default=False)
    assessed = models.BooleanField(_("assessed"), default=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    key = models.CharField(_("key"), max_length=50, blank=True, db_index=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        permissions = [
            ("manage_training", _("Manage courses, programmes and sessions")),
            ("view_team_training", _("See the training records of one's team")),
            ("view_all_training", _("See everyone's training records")),
            ("manage_careerplan", _("Manage career plans of one's team")),
        ]

    def __str__(self) -> str:
        return self.title

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class CourseSection(BaseModel):
    """A section of a course; the procedure course lists requirement IDs per chapter (T1.1)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    requirement_ids = models.JSONField(_("requirement IDs"), default=list, blank=True)

    class Meta:
        verbose_name = _("course section")
        verbose_name_plural = _("course sections")
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class OnboardingProgramme(BaseModel):
    """The courses a new holder of a role must pass, each within days of starting (T1.1)."""

    role = models.CharField(_("role"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("onboarding programme")
        verbose_name_plural = _("onboarding programmes")
        ordering = ["role"]

    def __str__(self) -> str:
        return self.title


class ProgrammeCourse(models.Model):
    programme = models.ForeignKey(
        OnboardingProgramme, on_delete=models.CASCADE, related_name="entries"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    due_days = models.PositiveSmallIntegerField(_("due (days after start)"), default=30)

    class Meta:
        verbose_name = _("programme course")
        verbose_name_plural = _("programme courses")
        ordering = ["due_days", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "course"], name="training_prog_course")
        ]

    def __str__(self) -> str:
        return f"{self.programme} / {self.course}"


class OnboardingItem(BaseModel):
    """One required course for one person, due a number of days after they got the role."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="onboarding_items")
    programme = models.ForeignKey(OnboardingProgramme, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("onboarding item")
        verbose_name_plural = _("onboarding items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="training_onboarding_once")
        ]


class TrainingSession(BaseModel):
    """A session of a course (T2.1)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    trainer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trainer_name = models.CharField(_("external trainer"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class Attendance(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Enrolment(BaseModel):
    """A person in a session with their attendance and assessment score (T2.1)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="enrolments"
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="enrolments")
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.ENROLLED
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="training_enrol_once")
        ]


class CareerPlan(BaseModel):
    """A person's career development plan (T3.1); the reviewer sees the next review due."""

    person = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="career_plan")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    current_title = models.CharField(_("current title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("career plan")
        verbose_name_plural = _("career plans")
        ordering = ["person__username"]


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class CareerGoal(BaseModel):
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    class Meta:
        verbose_name = _("career goal")
        verbose_name_plural = _("career goals")
        ordering = ["target_date", "pk"]


class CareerReview(BaseModel):
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("career review")
        verbose_name_plural = _("career reviews")
        ordering = ["-held_on", "-pk"]


class Promotion(BaseModel):
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="promotions")
    promoted_on = models.DateField(_("date"))
    from_title = models.CharField(_("from role/title"), max_length=200)
    to_title = models.CharField(_("to role/title"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-promoted_on", "-pk"]
