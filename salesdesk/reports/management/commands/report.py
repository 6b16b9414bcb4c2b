"""`salesdesk report generate --kind monthly --period 2025-03 [--deliver] [--as USER]` (A3.1).

Generates the pack at once (not through the worker) and prints where its files are; also
`salesdesk report scheduled` runs the daily schedule now. Exit codes: 0 done, 1 the pack
failed, 2 bad arguments.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from salesdesk.accounts.models import User
from salesdesk.accounts.services import system_user
from salesdesk.core.errors import DomainError
from salesdesk.reports import services
from salesdesk.reports.models import PackStatus, ReportKind

EXIT_FAILED, EXIT_USAGE = 1, 2


class Command(BaseCommand):
    help = "Generate analysis report packs (see docs/reports.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="Generate the pack of one period now.")
        generate.add_argument("--kind", choices=ReportKind.values, default=ReportKind.MONTHLY)
        generate.add_argument(
            "--period", required=True, help="A finished month 2025-03 or quarter 2025-Q1."
        )
        generate.add_argument(
            "--deliver", action="store_true", help="Send it to the recipients when ready."
        )
        generate.add_argument(
            "--as", dest="username", help="Generate as this user (default: the system user)."
        )
        actions.add_parser("scheduled", help="Run the daily schedule now (idempotent).")

    def handle(self, *args, **options) -> None:
        if options["action"] == "scheduled":
            for pack in services.reports_run_scheduled():
                self._print(pack)
            return
        actor = self._actor(options.get("username"))
        try:
            pack = services.reportpack_request(
                kind=options["kind"],
                period=options["period"],
                deliver=options["deliver"],
                actor=actor,
                background=False,
            )
        except DomainError as error:
            raise CommandError(str(error.message), returncode=EXIT_USAGE) from None
        self._print(pack)
        if pack.status != PackStatus.READY:
            raise SystemExit(EXIT_FAILED)

    def _actor(self, username: str | None) -> User:
        if not username:
            return system_user()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active user %(username)s.") % {"username": username}, returncode=EXIT_USAGE
            )
        return user

    def _print(self, pack) -> None:
        self.stdout.write(
            _("%(pack)s: %(status)s, %(count)s problems found.")
            % {"pack": pack, "status": pack.get_status_display(), "count": len(pack.problems)}
        )
        for stored in (pack.pdf, pack.xlsx):
            if stored:
                self.stdout.write(f"  {stored.path}")
        if pack.message:
            self.stderr.write(pack.message)
