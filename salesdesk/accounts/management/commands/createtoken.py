"""`salesdesk createtoken USERNAME [--name NAME]`: prints only the new bearer token."""

from django.core.management.base import BaseCommand, CommandError

from salesdesk.accounts.models import User
from salesdesk.accounts.services import system_user, token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (only the token, for scripts)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label to recognise the token by")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None or user.is_system:
            raise CommandError(f"USERNAME: no active user named {options['username']!r}")
        _token, raw = token_create(user=user, name=options["name"], actor=system_user())
        self.stdout.write(raw)
