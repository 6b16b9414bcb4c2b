"""`salesdesk import history DIR [--dry-run] [--restart]`: the CLI of the history import (A1.1).

Progress goes to stderr (a bar on a terminal, a line per 10 % otherwise), the summary per file
to stdout. Exit codes: 0 every row imported (or a clean dry run); 1 a dry run found errors, or
nothing could be read; 2 bad arguments; 3 the valid rows were imported, the bad rows are
listed in `DIR/<file>.errors.csv`; 130 interrupted (Ctrl-C): run it again to resume.
"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from salesdesk.analytics.history import jobs
from salesdesk.analytics.history.runner import HistoryReport, checkpoint_for, find_files
from salesdesk.core.errors import DomainError

EXIT_ERRORS, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 1, 2, 3, 130
SHOWN_ERRORS = 50
BAR_WIDTH = 30


def _plain(text: str) -> str:
    return text  # progress is not an error: no red on a terminal


class ProgressBar:
    """Rows done per file on stderr, redrawn at most every half second."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.current = ""
        self.started = self.drawn = time.monotonic()
        self.step = -1

    def __call__(self, key: str, name: str, done: int, total: int) -> None:
        now = time.monotonic()
        if name != self.current:
            self.finish()
            self.current, self.started, self.step = name, now, -1
        rate = done / max(now - self.started, 1e-6)
        share = min(done / total, 1.0) if total else 0.0
        if self.tty:
            if now - self.drawn < 0.5 and done < total:
                return
            filled = int(share * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(
                f"\r{name} [{bar}] {share:4.0%} {done:,}/{total:,} ({rate:,.0f}/s)",
                style_func=_plain,
                ending="",
            )
            self.stream.flush()
        elif int(share * 10) > self.step:
            self.step = int(share * 10)
            self.stream.write(
                f"{name}: {done:,}/{total:,} ({share:.0%}, {rate:,.0f}/s)", style_func=_plain
            )
        self.drawn = now

    def finish(self) -> None:
        if self.current and self.tty:
            self.stream.write("", style_func=_plain)
        self.current = ""


def handle_history(command: Any, options: dict) -> None:
    directory = Path(options["file"])
    if not directory.is_dir():
        raise CommandError(
            _("No such directory: %(path)s") % {"path": directory}, returncode=EXIT_USAGE
        )
    try:
        files = find_files(directory)
    except DomainError as error:
        raise CommandError(str(error.message), returncode=EXIT_USAGE) from None
    actor = command._actor(options["username"])
    bar = ProgressBar(command.stderr)
    try:
        report = jobs.history_run_logged(
            files,
            actor=actor,
            dry_run=options["dry_run"],
            checkpoint=checkpoint_for(directory),
            restart=options.get("restart", False),
            report_dir=directory,
            progress=bar,
            source=str(directory),
        )
    except DomainError as error:
        bar.finish()
        command.stderr.write(str(error.message))
        raise SystemExit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        bar.finish()
        command.stderr.write(_("Interrupted: run the same command again to resume."))
        raise SystemExit(EXIT_INTERRUPTED) from None
    bar.finish()
    print_report(command, report)
    if report.error_rows:
        raise SystemExit(EXIT_ERRORS if report.dry_run else EXIT_PARTIAL)


def print_report(command: Any, report: HistoryReport) -> None:
    out, err = command.stdout, command.stderr
    for result in report.files:
        counts = result.counts
        if result.skipped:
            out.write(_("%(file)s: finished by an earlier run.") % {"file": result.name})
            continue
        line = _(
            "%(file)s: %(read)s rows read, %(created)s new, %(present)s already present, "
            "%(errors)s with errors (%(seconds).1f s)."
        ) % {
            "file": result.name,
            "read": f"{counts.read:,}",
            "created": f"{counts.created:,}",
            "present": f"{counts.present:,}",
            "errors": f"{counts.errors:,}",
            "seconds": result.seconds,
        }
        if counts.not_counted:
            line += " " + _("Not counted (status): %(count)s.") % {
                "count": f"{counts.not_counted:,}"
            }
        if counts.resumed_after:
            line += " " + _("Resumed after line %(line)s.") % {"line": counts.resumed_after}
        out.write(line)
        if result.ignored_columns:
            out.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(result.ignored_columns)}
            )
    for problem in report.problems[:SHOWN_ERRORS]:
        err.write(
            _("%(file)s line %(line)s: %(column)s: %(message)s")
            % {**problem, "column": problem["column"] or "-"}
        )
    for result in report.files:
        if result.report_path is not None:
            err.write(_("All errors: %(path)s") % {"path": result.report_path})
    if report.first_day and not report.dry_run:
        out.write(
            _("Order dates %(first)s to %(last)s; rollups rebuilt in %(seconds).1f s.")
            % {"first": report.first_day, "last": report.last_day, "seconds": report.rollup_seconds}
        )
    if report.dry_run:
        out.write(_("Dry run: nothing imported."))
    else:
        out.write(_("Done in %(seconds).1f s.") % {"seconds": report.elapsed})
