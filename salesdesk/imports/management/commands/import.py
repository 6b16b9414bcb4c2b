"""`salesdesk import KIND FILE`: check and import a CSV or XLSX file (DESIGN §6, issue #3).

Exit codes: 0 imported (or a clean dry run); 1 errors, nothing imported; 2 bad arguments;
3 with --skip-invalid, the valid rows were imported and the bad ones written to the reject file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesdesk.accounts.models import User
from salesdesk.accounts.services import system_user
from salesdesk.core.errors import DomainError
from salesdesk.imports import registry
from salesdesk.imports.base import ImportReport, run_import

SHOWN_ERRORS = 50
EXIT_ERRORS, EXIT_USAGE, EXIT_PARTIAL = 1, 2, 3


class Command(BaseCommand):
    help = "Check and import a CSV or XLSX file: all rows or none (see docs/import.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", help="What to import: " + ", ".join([*registry.kinds(), "history"])
        )
        parser.add_argument("file", help="The .csv or .xlsx file (history: the directory).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, import nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and write the bad ones to the reject file.",
        )
        parser.add_argument(
            "--reject-file", help="Where --skip-invalid writes bad rows (default FILE.rejects.csv)."
        )
        parser.add_argument(
            "--report-file", help="Where every error is listed (default FILE.errors.csv)."
        )
        parser.add_argument(
            "--as", dest="username", help="Import as this user (default: the system user)."
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="history: ignore the checkpoint of an interrupted run and read from the start.",
        )

    def handle(self, *args, **options) -> None:
        if options["kind"] == "history":  # `import history DIR`: three files (A1.1)
            from salesdesk.analytics.history.command import handle_history

            handle_history(self, options)
            return
        try:
            importer = registry.importer_for(options["kind"])
        except DomainError as error:
            raise CommandError(str(error.message), returncode=EXIT_USAGE) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=EXIT_USAGE)
        if options["reject_file"] and not options["skip_invalid"]:
            raise CommandError(_("--reject-file needs --skip-invalid."), returncode=EXIT_USAGE)
        actor = self._actor(options["username"])
        reject = options["reject_file"] or f"{path}.rejects.csv"
        try:
            report = run_import(
                importer,
                path,
                actor=actor,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                report_path=Path(options["report_file"] or f"{path}.errors.csv"),
                reject_path=Path(reject) if options["skip_invalid"] else None,
                name=path.name,
            )
        except DomainError as error:
            self.stderr.write(str(error.message))
            raise SystemExit(EXIT_ERRORS) from None
        self._print(report)
        code = self._exit_code(report)
        if code:
            raise SystemExit(code)

    def _actor(self, username: str | None) -> User:
        if not username:
            return system_user()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active user %(username)s.") % {"username": username}, returncode=EXIT_USAGE
            )
        return user

    def _print(self, report: ImportReport) -> None:
        self.stdout.write(
            _(
                "%(source)s: %(total)s rows, %(valid)s valid, %(errors)s with errors "
                "(%(seconds).1f s)."
            )
            % {
                "source": report.source,
                "total": report.total,
                "valid": report.valid,
                "errors": report.error_rows,
                "seconds": report.elapsed,
            }
        )
        if report.ignored_columns:
            self.stdout.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        for problem in report.problems[:SHOWN_ERRORS]:
            self.stderr.write(
                _("line %(line)s: %(column)s: %(message)s")
                % {
                    "line": problem.line,
                    "column": problem.column or "-",
                    "message": problem.message,
                }
            )
        more = report.problem_count - min(len(report.problems), SHOWN_ERRORS)
        if more > 0:
            self.stderr.write(
                _("… and %(count)s more, see report %(path)s")
                % {"count": more, "path": report.report_path}
            )
        elif report.problem_count:
            self.stderr.write(_("All errors: %(path)s") % {"path": report.report_path})
        self.stdout.write(self._outcome(report))

    @staticmethod
    def _outcome(report: ImportReport) -> str:
        if report.dry_run:
            return _("Dry run: nothing imported.")
        if report.error_rows and not report.skip_invalid:
            return _("Nothing imported: correct the rows above, or use --skip-invalid.")
        message = ngettext(
            "Imported %(count)s row.", "Imported %(count)s rows.", report.imported
        ) % {"count": report.imported}
        if report.error_rows:
            message += " " + _("Rejected rows: %(path)s") % {"path": report.reject_path}
        return message

    @staticmethod
    def _exit_code(report: ImportReport) -> int:
        if not report.error_rows:
            return 0
        if report.skip_invalid and not report.dry_run and report.imported:
            return EXIT_PARTIAL
        return EXIT_ERRORS
