"""`salesdesk restore FILE [--data-dir DIR]`: into an empty data dir and database (R2.4)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from salesdesk.backups.management.commands.backup import report_lines
from salesdesk.backups.restore import backup_restore
from salesdesk.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty data dir and an empty database, then check every "
        "table's row count and checksum against the backup's manifest."
    )
    requires_system_checks = []  # the database is expected to be empty

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="restore into this data dir (default: the configured SALESDESK_DATA_DIR)",
        )

    def handle(self, *args, **options):
        try:
            outcome = backup_restore(path=options["file"], data_dir=options["data_dir"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        for line in report_lines(outcome.report):
            self.stdout.write(line)
        for warning in outcome.warnings:
            self.stderr.write(f"warning: {warning}")
        if not outcome.passed:
            raise CommandError("restored, but some tables differ from the backup's manifest")
        self.stdout.write(
            f"restored into {outcome.database} with {outcome.files} files; "
            f"{len(outcome.report)} tables match the manifest"
        )
