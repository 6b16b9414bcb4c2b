"""The import framework: an `Importer` declares columns and rules, `run_import` applies a file.

Imports are transactional (DESIGN §6). A real run applies the whole file or nothing, or, with
`skip_invalid`, only the valid rows plus a reject file of the bad ones; a dry run checks every
row the same way and imports nothing. Every bad row is reported with its line number.

Rows are validated one by one (`validate_row`), then checked against the database a batch at
a time (`check_batch`, e.g. a tax ID already in use) and bulk-inserted (`apply_batch`) inside
one transaction, so a duplicate of an earlier row of the same file is found like any other
duplicate. A dry run or a failed run rolls the transaction back. Memory holds one batch and a
capped preview of the errors; the full error list goes to the report file.

An importer that sets `all_or_nothing = False` (long history imports, issue #7) commits each
batch on its own instead and can resume after an interruption with `resume_after_line`.
"""

import csv
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.core.errors import DomainError, PermissionDenied
from salesdesk.imports.readers import RowReader, SourceRow

PREVIEW_LIMIT = 100


@dataclass(frozen=True)
class Column:
    """One column of an import template; `required` columns must be in the header."""

    name: str
    help: Any = ""
    required: bool = False


class RowError(Exception):
    """A row broke a rule; `problems` lists (column, message) pairs."""

    def __init__(self, problems: Iterable[tuple[str, Any]]) -> None:
        self.problems = [(column, str(message)) for column, message in problems]
        super().__init__("; ".join(f"{c}: {m}" for c, m in self.problems))

    @classmethod
    def one(cls, column: str, message: Any) -> "RowError":
        return cls([(column, message)])

    @staticmethod
    def problems_of(
        error: DomainError, rename: Mapping[str, str] | None = None
    ) -> list[tuple[str, str]]:
        """(column, message) pairs of a service's ValidationFailed (or any DomainError)."""
        rename = rename or {}
        fields = error.extra.get("fields")
        if not fields:
            column = error.field or ""
            return [(rename.get(column, column), str(error.message))]
        return [
            (rename.get(name, name), str(message))
            for name, messages in fields.items()
            for message in messages
        ]


@dataclass
class ValidRow:
    line: int
    raw: list[str]
    cleaned: Any


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


class Importer:
    """What one kind of import reads and how it applies it; subclasses fill in the hooks."""

    kind: str = ""
    label: Any = ""
    permission: str = ""
    columns: tuple[Column, ...] = ()
    aliases: Mapping[str, str] = {}
    # Example rows for the downloadable template, column name → value.
    examples: tuple[Mapping[str, str], ...] = ()
    batch_size: int = 1000
    # False: each batch commits on its own (resumable history imports); errors then leave
    # the valid rows imported, so only importers that document this may turn it off.
    all_or_nothing: bool = True
    # Templates show the class itself (its label and columns); never instantiate it there.
    do_not_call_in_templates = True

    def __init__(self, *, actor: Any) -> None:
        self.actor = actor

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.name for column in cls.columns]

    @classmethod
    def required_columns(cls) -> list[str]:
        return [column.name for column in cls.columns if column.required]

    @classmethod
    def may_import(cls, user: Any) -> bool:
        """The importer's permission; the system user acts for whoever runs the CLI."""
        if user is None or not user.is_active:
            return False
        return bool(getattr(user, "is_system", False)) or user.has_perm(cls.permission)

    def validate_row(self, row: dict[str, str]) -> Any:
        """The cleaned row, or RowError naming each bad column. No writes."""
        raise NotImplementedError

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        """Errors found against the database for a batch of valid rows, keyed by line."""
        return {}

    def apply_batch(self, rows: list[ValidRow]) -> int:
        """Write the batch; returns the number of rows written."""
        raise NotImplementedError


@dataclass
class ImportReport:
    """What an import run found and did."""

    kind: str
    source: str = ""
    dry_run: bool = False
    skip_invalid: bool = False
    total: int = 0
    valid: int = 0
    imported: int = 0
    error_rows: int = 0
    problem_count: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    report_path: Path | None = None
    reject_path: Path | None = None
    last_applied_line: int = 0
    elapsed: float = 0.0
    applied: int = 0

    @property
    def committed(self) -> bool:
        return self.imported > 0


ProgressCallback = Callable[[ImportReport], None]


class _CsvOut:
    """A CSV file opened on the first row written (UTF-8 with BOM, so Excel reads Chinese)."""

    def __init__(self, path: Path | None, header: list[str]) -> None:
        self.path, self.header = path, header
        if path is not None:
            # A report left by an earlier run must not pass for this run's.
            path.unlink(missing_ok=True)
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def write(self, row: list[Any]) -> None:
        if self.path is None:
            return
        if self._writer is None:
            self._handle = open(self.path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._handle)
            self._writer.writerow(self.header)
        self._writer.writerow(row)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


class _Run:
    """One pass over the rows: batches of valid rows, errors kept in line order."""

    def __init__(self, importer: Importer, report: ImportReport, header: list[str], **options):
        self.importer, self.report = importer, report
        self.progress: ProgressCallback | None = options["progress"]
        self.preview_limit: int = options["preview_limit"]
        self.width = len(header)
        self.errors_out = _CsvOut(report.report_path, ["line", "column", "message"])
        self.rejects_out = _CsvOut(report.reject_path, [*header, "reason"])
        self.batch: list[ValidRow] = []
        self.pending: list[tuple[int, list[str], list[tuple[str, str]]]] = []

    def feed(self, row: SourceRow) -> None:
        self.report.total += 1
        try:
            if row.extra_values:
                raise RowError.one("", _("The row has more values than the header has columns."))
            cleaned = self.importer.validate_row(row.data)
        except RowError as error:
            self.pending.append((row.line, row.raw, error.problems))
        else:
            self.batch.append(ValidRow(row.line, row.raw, cleaned))
        if len(self.batch) + len(self.pending) >= self.importer.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            refused = self.importer.check_batch(self.batch)
            for row in self.batch:
                if row.line in refused:
                    self.pending.append((row.line, row.raw, refused[row.line].problems))
            rows = [row for row in self.batch if row.line not in refused]
            if rows:
                with transaction.atomic():
                    self.report.applied += self.importer.apply_batch(rows)
                self.report.valid += len(rows)
                self.report.last_applied_line = rows[-1].line
        for line, raw, problems in sorted(self.pending, key=lambda item: item[0]):
            self._record(line, raw, problems)
        self.batch, self.pending = [], []
        if self.progress is not None:
            self.progress(self.report)

    def _record(self, line: int, raw: list[str], problems: list[tuple[str, str]]) -> None:
        self.report.error_rows += 1
        for column, message in problems:
            self.report.problem_count += 1
            if len(self.report.problems) < self.preview_limit:
                self.report.problems.append(RowProblem(line, column, message))
            self.errors_out.write([line, column, message])
        reason = "; ".join(
            f"{column}: {message}" if column else message for column, message in problems
        )
        self.rejects_out.write([*(raw + [""] * self.width)[: self.width], reason])

    def close(self) -> None:
        self.errors_out.close()
        self.rejects_out.close()


def run_import(
    importer_class: type[Importer],
    source: str | Path | IO[bytes],
    *,
    actor: Any,
    dry_run: bool = False,
    skip_invalid: bool = False,
    report_path: Path | None = None,
    reject_path: Path | None = None,
    progress: ProgressCallback | None = None,
    preview_limit: int = PREVIEW_LIMIT,
    resume_after_line: int = 0,
    name: str = "",
) -> ImportReport:
    """Check and import one file as `actor` (DESIGN §6); see the module docstring."""
    if not importer_class.may_import(actor):
        raise PermissionDenied(
            _("You may not import %(label)s.") % {"label": importer_class.label},
            extra={"permission": importer_class.permission},
        )
    importer = importer_class(actor=actor)
    report = ImportReport(
        kind=importer_class.kind,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        report_path=Path(report_path) if report_path else None,
        reject_path=Path(reject_path) if reject_path else None,
    )
    started = time.monotonic()
    reader = RowReader(
        source,
        columns=importer_class.column_names(),
        required=importer_class.required_columns(),
        aliases=importer_class.aliases,
        name=name,
    )
    with reader:
        report.source, report.ignored_columns = reader.name, reader.ignored
        run = _Run(importer, report, reader.header, progress=progress, preview_limit=preview_limit)
        one_transaction = importer.all_or_nothing or dry_run
        try:
            with policies.frozen(), transaction.atomic() if one_transaction else nullcontext():
                for row in reader:
                    if row.line > resume_after_line:
                        run.feed(row)
                run.flush()
                failed = report.error_rows and not skip_invalid and importer.all_or_nothing
                if one_transaction and (dry_run or failed):
                    transaction.set_rollback(True)
                else:
                    report.imported = report.applied
        finally:
            run.close()
    report.elapsed = time.monotonic() - started
    return report
