from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training and development (T1.1, T2.1, T3.1)."""

    name = "salesdesk.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from salesdesk.accounts import services as accounts_services
        from salesdesk.audit import verbs
        from salesdesk.core import attachments, navigation, policies
        from salesdesk.training import demo, work  # noqa: F401  (registrations)
        from salesdesk.training.models import Course
        from salesdesk.training.services import onboarding_assign

        policies.register(
            "training.pass_mark",
            60,
            _("Training pass mark (0–100)"),
            kind="int",
            minimum=0,
            maximum=100,
            group=_("Training"),
        )
        navigation.register(_("Training"), "training:calendar", order=90)
        navigation.register(_("My training"), "training:my_record", order=91)
        navigation.register(
            _("Career plans"),
            "training:plan_list",
            permission="training.manage_careerplan",
            order=92,
        )
        attachments.register_access(Course, lambda user, course: user.is_authenticated)
        accounts_services.register_roles_granted(onboarding_assign)
        for verb, label in VERBS.items():
            verbs.register(verb, label)


VERBS = {
    "training.course_created": _("Course created"),
    "training.course_changed": _("Course changed"),
    "training.programme_set": _("Onboarding programme set"),
    "training.onboarding_assigned": _("Onboarding course assigned"),
    "training.onboarding_completed": _("Onboarding course completed"),
    "training.session_scheduled": _("Training session scheduled"),
    "training.session_changed": _("Training session changed"),
    "training.session_cancelled": _("Training session cancelled"),
    "training.enrolled": _("Enrolled in a session"),
    "training.attendance_recorded": _("Attendance and score recorded"),
    "training.plan_created": _("Career plan created"),
    "training.plan_changed": _("Career plan changed"),
    "training.goal_added": _("Career goal added"),
    "training.goal_status": _("Career goal status changed"),
    "training.review_recorded": _("Career review recorded"),
    "training.promoted": _("Promotion recorded"),
}
