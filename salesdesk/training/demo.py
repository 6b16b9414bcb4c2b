"""Demo data (T1.1): the procedure course and a sales-admin onboarding programme."""

from salesdesk.core import demo


@demo.register("training", order=90)
def load(actor, stdout=None) -> None:
    from salesdesk.training.models import OnboardingProgramme
    from salesdesk.training.services import procedure_course_ensure, programme_set

    course = procedure_course_ensure(actor=actor)
    if not OnboardingProgramme.objects.filter(role="sales_admin").exists():
        programme_set(
            actor=actor, role="sales_admin", title="銷售內勤新人培訓", entries=[(course.pk, 14)]
        )
