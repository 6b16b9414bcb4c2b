"""`salesdesk backup [--output FILE]` and `salesdesk backup --verify FILE` (R2.4)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesdesk.accounts.services import system_user
from salesdesk.backups import services
from salesdesk.backups.models import BackupTrigger, VerifyResult
from salesdesk.core.errors import DomainError


def report_lines(report: list[dict]) -> list[str]:
    """One line per table: name, rows expected, rows found, OK or MISMATCH."""
    width = max((len(line["table"]) for line in report), default=5)
    lines = [f"{'table':<{width}}  {'expected':>10}  {'found':>10}  result"]
    for line in report:
        expected = "-" if line["expected_rows"] is None else line["expected_rows"]
        found = "-" if line["rows"] is None else line["rows"]
        result = "OK" if line["ok"] else "MISMATCH"
        lines.append(f"{line['table']:<{width}}  {expected:>10}  {found:>10}  {result}")
    return lines


class Command(BaseCommand):
    help = (
        "Write a consistent, compressed, encrypted backup of the database and uploaded files, "
        "or with --verify restore a backup into a scratch database and compare its checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="backup file to write (default: the backup directory)"
        )
        parser.add_argument("--verify", type=Path, metavar="FILE", help="verify this backup")

    def handle(self, *args, **options):
        actor = system_user()
        try:
            if options["verify"]:
                return self._verify(options["verify"], actor)
            run = services.backup_create(
                actor=actor, trigger=BackupTrigger.COMMAND, output=options["output"]
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        except (OSError, RuntimeError) as exc:  # recorded on the run and told to IT admins
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(
            f"backup written: {run.file} ({run.size_bytes} bytes, {run.table_count} tables, "
            f"{run.row_count} rows, {run.file_count} files)"
        )

    def _verify(self, path: Path, actor) -> None:
        run = services.backup_verify(actor=actor, path=path)
        for line in report_lines(run.verify_report):
            self.stdout.write(line)
        if run.verify_result != VerifyResult.PASSED:
            raise CommandError(
                f"verification FAILED: {run.verify_message or 'checksums differ from the manifest'}"
            )
        self.stdout.write(f"verification passed: {len(run.verify_report)} tables match")
