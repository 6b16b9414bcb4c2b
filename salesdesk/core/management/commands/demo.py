"""`salesdesk demo [--once]`: load demo users and data, then print the demo logins."""

from django.core.management.base import BaseCommand
from django.db import transaction

from salesdesk.accounts.demo import demo_logins
from salesdesk.accounts.services import system_user
from salesdesk.audit.models import Event
from salesdesk.audit.services import event_record
from salesdesk.core import demo


class Command(BaseCommand):
    help = "Load demo data (one user per role plus sample business data) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="skip loaders that already ran on this database (what `make run` uses)",
        )

    def handle(self, *args, **options):
        actor = system_user()
        done = set(
            Event.objects.filter(verb="demo.loaded", actor=actor).values_list(
                "data__loader", flat=True
            )
        )
        for loader in demo.loaders():
            if options["once"] and loader.name in done:
                continue
            with transaction.atomic():
                loader.func(actor, self.stdout)
                event_record(
                    actor=actor, verb="demo.loaded", subject=actor, data={"loader": loader.name}
                )
            self.stdout.write(f"demo data loaded: {loader.name}")
        self.stdout.write("\nDemo logins (username / role / password):")
        for username, role, password in demo_logins():
            self.stdout.write(f"  {username:<12} {role:<14} {password}")
