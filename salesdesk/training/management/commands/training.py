"""`salesdesk training seed-procedure`: create the procedure course once (T1.1)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Training tasks: seed-procedure creates the course 銷售內勤工作流程."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seed-procedure"])

    def handle(self, *args, **options):
        from salesdesk.accounts.services import system_user
        from salesdesk.training.services import procedure_course_ensure

        course = procedure_course_ensure(actor=system_user())
        self.stdout.write(f"{course.pk} {course.title} ({course.sections.count()} sections)")
