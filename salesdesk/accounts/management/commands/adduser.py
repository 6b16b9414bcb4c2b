"""`salesdesk adduser USERNAME --role ROLE [--role ROLE] [--department D] [--manager U]`."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from salesdesk.accounts.models import User
from salesdesk.accounts.roles import ASSIGNABLE_ROLES
from salesdesk.accounts.services import department_ensure, system_user, user_create
from salesdesk.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a user with one or more roles."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role", action="append", required=True, choices=ASSIGNABLE_ROLES, dest="roles"
        )
        parser.add_argument("--department", help="department code; created if missing")
        parser.add_argument("--manager", help="username of the user's manager")
        parser.add_argument(
            "--password", help="omit to be asked (or leave unusable with --no-input)"
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--no-input", action="store_true", dest="no_input")

    def handle(self, *args, **options):
        manager = None
        if options["manager"]:
            manager = User.objects.filter(username=options["manager"]).first()
            if manager is None:
                raise CommandError(f"--manager: no user named {options['manager']!r}")
        password = options["password"]
        if password is None and not options["no_input"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("--password: the two passwords differ")
        department = (
            department_ensure(code=options["department"]) if options["department"] else None
        )
        try:
            user = user_create(
                username=options["username"],
                roles=options["roles"],
                actor=system_user(),
                password=password or None,
                department=department,
                manager=manager,
                email=options["email"],
                first_name=options["name"],
            )
        except DomainError as exc:
            details = "; ".join(
                f"{field}: {', '.join(msgs)}" for field, msgs in exc.extra.get("fields", {}).items()
            )
            raise CommandError(f"{exc.message}{' ' + details if details else ''}") from None
        self.stdout.write(f"created {user.username} ({', '.join(user.role_names)})")
