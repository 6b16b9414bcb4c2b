"""Run a history import over its three files, with checkpoint, resume and rollups (A1.1).

Files are read in order customers → products → order_lines (each optional), each through
`run_import` with batches committed one by one. After every committed batch the checkpoint
file records the last line done per file and the range of order dates written; a later run
with the same files starts after that line. Re-reading rows is harmless anyway (rows already
present are skipped), so a checkpoint lost or written late costs time, never duplicates.
After the order lines, the rollups of the touched date range are rebuilt once
(`rollups_rebuild_range`). A dry run writes nothing, not even the checkpoint.
"""

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.history.importers import (
    HistoryCustomerImporter,
    HistoryImporter,
    HistoryProductImporter,
)
from salesdesk.analytics.history.lines import HistoryLineImporter
from salesdesk.analytics.history.state import FileCounts, RunState
from salesdesk.analytics.services import rollups_rebuild_range
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.imports.base import ImportReport, run_import

FILES: tuple[tuple[str, type[HistoryImporter]], ...] = (
    ("customers", HistoryCustomerImporter),
    ("products", HistoryProductImporter),
    ("order_lines", HistoryLineImporter),
)
SUFFIXES = (".csv", ".xlsx")
PREVIEW = 100


def checkpoint_for(directory: Path) -> Path:
    """Where the resume checkpoint of importing `directory` into this database lives: in
    salesdesk's data directory, one file per source directory and database, so that two
    installations importing the same (possibly read-only) directory never share one."""
    db = connection.settings_dict
    identity = "|".join(
        str(part)
        for part in (directory.resolve(), db["ENGINE"], db.get("HOST"), db.get("PORT"), db["NAME"])
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(settings.DATA_DIR) / "imports" / f"history-{digest}.json"


# (file key, file name, rows done, rows in the file or 0 if unknown)
Progress = Callable[[str, str, int, int], None]


@dataclass
class FileResult:
    key: str
    name: str
    counts: FileCounts
    seconds: float = 0.0
    ignored_columns: list[str] = field(default_factory=list)
    report_path: Path | None = None
    skipped: bool = False  # finished by an earlier run (checkpoint)
    problems: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HistoryReport:
    dry_run: bool
    files: list[FileResult] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    rollup_seconds: float = 0.0
    elapsed: float = 0.0

    @property
    def error_rows(self) -> int:
        return sum(result.counts.errors for result in self.files)

    @property
    def created(self) -> int:
        return sum(result.counts.created for result in self.files)


def find_files(directory: Path) -> dict[str, Path]:
    """customers/products/order_lines .csv or .xlsx in `directory`; at least one is needed."""
    found: dict[str, Path] = {}
    for key, _importer in FILES:
        matches = [directory / f"{key}{suffix}" for suffix in SUFFIXES]
        matches = [path for path in matches if path.is_file()]
        if len(matches) > 1:
            message = _("Both %(a)s and %(b)s exist: keep one.") % {
                "a": matches[0].name,
                "b": matches[1].name,
            }
            raise ValidationFailed.from_fields(message, {key: [message]})
        if matches:
            found[key] = matches[0]
    if not found:
        message = _("No customers, products or order_lines file (.csv or .xlsx) in %(dir)s.") % {
            "dir": directory
        }
        raise ValidationFailed.from_fields(message, {"directory": [message]})
    return found


def count_rows(path: Path) -> int:
    """Data rows in a file, for the progress bar: line breaks of a CSV (quoted breaks count
    too, so it may overshoot a little), the stored dimension of a worksheet."""
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            try:
                return max((workbook.worksheets[0].max_row or 1) - 1, 0)
            finally:
                workbook.close()
        lines = 0
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
        return max(lines - 1, 0)
    except Exception:  # a progress bar without a total is fine
        return 0


def fingerprint(path: Path) -> str:
    """Name, size and the first MB: the same file even after a copy (mtime is not used)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
    return f"{path.name}:{path.stat().st_size}:{digest.hexdigest()[:16]}"


class Checkpoint:
    """The JSON file that lets an interrupted import resume; written atomically."""

    def __init__(self, path: Path | None, restart: bool) -> None:
        self.path = path
        self.data: dict[str, Any] = {"files": {}}
        if path is not None and path.exists() and not restart:
            try:
                self.data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                self.data = {"files": {}}

    def file(self, key: str, print_: str) -> dict[str, Any]:
        entry = self.data["files"].get(key)
        if not entry or entry.get("fingerprint") != print_:
            entry = {"fingerprint": print_, "line": 0, "done": False}
            self.data["files"][key] = entry
        return entry

    def days(self) -> tuple[date | None, date | None]:
        first, last = self.data.get("first_day"), self.data.get("last_day")
        return (
            date.fromisoformat(first) if first else None,
            date.fromisoformat(last) if last else None,
        )

    def save(self, state: RunState | None = None) -> None:
        if self.path is None:
            return
        if state is not None and state.first_day is not None:
            first, last = self.days()
            self.data["first_day"] = min(filter(None, (first, state.first_day))).isoformat()
            self.data["last_day"] = max(filter(None, (last, state.last_day))).isoformat()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(json.dumps(self.data), encoding="utf-8")
        os.replace(partial, self.path)

    def remove(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def history_import(
    files: dict[str, Path],
    *,
    actor: Any,
    dry_run: bool = False,
    checkpoint: Path | None = None,
    restart: bool = False,
    report_dir: Path | None = None,
    progress: Progress | None = None,
) -> HistoryReport:
    """Import the given history files (keys of FILES) as `actor`; see the module docstring."""
    if not HistoryImporter.may_import(actor):
        raise PermissionDenied(
            _("You may not import sales history."), extra={"permission": HistoryImporter.permission}
        )
    started = time.monotonic()
    state = RunState(actor=actor, dry_run=dry_run)
    saved = Checkpoint(None if dry_run else checkpoint, restart)
    report = HistoryReport(dry_run=dry_run)
    for key, importer in FILES:
        path = files.get(key)
        if path is None:
            continue
        result = _import_file(key, path, importer.bind(state), state, saved, report_dir, progress)
        report.files.append(result)
        report.problems.extend(result.problems)
    report.problems = report.problems[:PREVIEW]
    first, last = saved.days()
    days = [day for day in (first, last, state.first_day, state.last_day) if day is not None]
    if days:
        report.first_day, report.last_day = min(days), max(days)
    if not dry_run and "order_lines" in files and days:
        rollups_started = time.monotonic()
        rollups_rebuild_range(report.first_day, report.last_day)
        report.rollup_seconds = time.monotonic() - rollups_started
    if not dry_run:
        saved.remove()
    report.elapsed = time.monotonic() - started
    return report


def _import_file(
    key: str,
    path: Path,
    importer: type[HistoryImporter],
    state: RunState,
    saved: Checkpoint,
    report_dir: Path | None,
    progress: Progress | None,
) -> FileResult:
    counts = state.counts[key]
    result = FileResult(key, path.name, counts)
    entry = saved.file(key, fingerprint(path))
    if entry["done"]:
        result.skipped = True
        return result
    counts.resumed_after = entry["line"]
    total = count_rows(path) if progress is not None else 0

    def on_flush(partial: ImportReport) -> None:
        if partial.last_applied_line > entry["line"]:
            entry["line"] = partial.last_applied_line
            saved.save(state)
        if progress is not None:
            done = counts.resumed_after + partial.total
            progress(key, path.name, done, total)

    if progress is not None:
        progress(key, path.name, counts.resumed_after, total)
    file_started = time.monotonic()
    outcome = run_import(
        importer,
        path,
        actor=state.actor,
        dry_run=state.dry_run,
        report_path=(report_dir / f"{path.name}.errors.csv") if report_dir else None,
        progress=on_flush,
        preview_limit=PREVIEW,
        resume_after_line=entry["line"],
        name=path.name,
    )
    result.seconds = time.monotonic() - file_started
    counts.read, counts.errors = outcome.total, outcome.error_rows
    result.ignored_columns = outcome.ignored_columns
    result.report_path = outcome.report_path if outcome.problem_count else None
    entry["done"] = True
    saved.save(state)
    result.problems = [{"file": path.name, **problem.as_dict()} for problem in outcome.problems]
    return result
