"""`salesdesk syncroles`: make the role groups match accounts/roles.py (also runs after migrate)."""

from django.core.management.base import BaseCommand

from salesdesk.accounts.roles import sync_roles


class Command(BaseCommand):
    help = "Sync role groups and their permissions from salesdesk/accounts/roles.py."

    def handle(self, *args, **options):
        for name, count in sync_roles().items():
            self.stdout.write(f"{name}: {count} permissions")
