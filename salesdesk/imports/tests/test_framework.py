"""run_import: all or nothing, dry run, skip-invalid with a reject file, batches (DESIGN §6)."""

import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesdesk.core import policies
from salesdesk.core.errors import PermissionDenied
from salesdesk.imports.base import Column, Importer, RowError, run_import
from salesdesk.testing.models import SecretSample


class SampleImporter(Importer):
    """Test importer: a name (required, no digits) and a phone that must be new."""

    kind = "samples"
    label = "samples"
    permission = "customers.import_customer"
    columns = (Column("name", required=True), Column("phone"))
    aliases = {"姓名": "name"}
    batch_size = 2

    def validate_row(self, row):
        problems = []
        if not row.get("name"):
            problems.append(("name", "required"))
        if any(ch.isdigit() for ch in row.get("name", "")):
            problems.append(("name", "no digits"))
        if problems:
            raise RowError(problems)
        return {"name": row["name"], "phone": row.get("phone", "")}

    def check_batch(self, rows):
        phones = {row.cleaned["phone"] for row in rows} - {""}
        taken = {s.phone for s in SecretSample.objects.all() if s.phone in phones}
        return {
            row.line: RowError.one("phone", "already used")
            for row in rows
            if row.cleaned["phone"] in taken
        }

    def apply_batch(self, rows):
        SecretSample.objects.bulk_create(SecretSample(**row.cleaned) for row in rows)
        return len(rows)


class ResumableImporter(SampleImporter):
    all_or_nothing = False


def write(tmp_path, lines: list[str], name="samples.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


GOOD_AND_BAD = ["name,phone", "Amy,1", "B2,2", "Cleo,3", ",4", "Dan,5"]


def test_applies_every_row_of_a_clean_file(db, system_user, tmp_path):
    path = write(tmp_path, ["name,phone", "Amy,1", "Ben,2", "Cleo,3"])

    report = run_import(SampleImporter, path, actor=system_user)

    assert (report.total, report.valid, report.imported, report.error_rows) == (3, 3, 3, 0)
    assert sorted(SecretSample.objects.values_list("name", flat=True)) == ["Amy", "Ben", "Cleo"]
    assert report.committed


def test_one_bad_row_imports_nothing_and_lists_every_bad_row(db, system_user, tmp_path):
    path = write(tmp_path, GOOD_AND_BAD)
    report_path = tmp_path / "errors.csv"

    report = run_import(SampleImporter, path, actor=system_user, report_path=report_path)

    assert SecretSample.objects.count() == 0
    assert (report.total, report.valid, report.imported, report.error_rows) == (5, 3, 0, 2)
    assert [p.as_dict() for p in report.problems] == [
        {"line": 3, "column": "name", "message": "no digits"},
        {"line": 5, "column": "name", "message": "required"},
    ]
    assert read_csv(report_path) == [
        ["line", "column", "message"],
        ["3", "name", "no digits"],
        ["5", "name", "required"],
    ]


def test_dry_run_checks_everything_and_imports_nothing(db, system_user, tmp_path):
    path = write(tmp_path, ["name,phone", "Amy,1", "Ben,2", "Cleo,1"])

    report = run_import(SampleImporter, path, actor=system_user, dry_run=True)

    assert SecretSample.objects.count() == 0
    assert report.imported == 0
    # The duplicate in a later batch is found because earlier batches were applied first.
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (4, "phone", "already used")
    ]


def test_skip_invalid_imports_the_valid_rows_and_writes_rejects(db, system_user, tmp_path):
    path = write(tmp_path, GOOD_AND_BAD)
    rejects = tmp_path / "rejects.csv"

    report = run_import(
        SampleImporter, path, actor=system_user, skip_invalid=True, reject_path=rejects
    )

    assert sorted(SecretSample.objects.values_list("name", flat=True)) == ["Amy", "Cleo", "Dan"]
    assert (report.imported, report.error_rows) == (3, 2)
    assert read_csv(rejects) == [
        ["name", "phone", "reason"],
        ["B2", "2", "name: no digits"],
        ["", "4", "name: required"],
    ]


def test_progress_is_reported_per_batch_and_the_preview_is_capped(db, system_user, tmp_path):
    path = write(tmp_path, ["name", *[f"bad{n}" for n in range(7)]])
    seen = []

    report = run_import(
        SampleImporter,
        path,
        actor=system_user,
        preview_limit=3,
        progress=lambda r: seen.append((r.total, r.error_rows)),
    )

    assert seen == [(2, 2), (4, 4), (6, 6), (7, 7)]
    assert report.problem_count == 7
    assert [p.line for p in report.problems] == [2, 3, 4]


def test_resumable_importer_commits_batches_and_resumes_after_a_line(db, system_user, tmp_path):
    path = write(tmp_path, ["姓名,phone", "Amy,1", "Ben,2", "Cleo,3", "Dan,4"])

    first = run_import(ResumableImporter, path, actor=system_user, resume_after_line=3)

    assert sorted(SecretSample.objects.values_list("name", flat=True)) == ["Cleo", "Dan"]
    assert (first.total, first.imported, first.last_applied_line) == (2, 2, 5)


def test_refuses_a_user_without_the_importers_permission(db, salesperson, tmp_path):
    path = write(tmp_path, ["name", "Amy"])

    with pytest.raises(PermissionDenied):
        run_import(SampleImporter, path, actor=salesperson)

    assert SecretSample.objects.count() == 0


def test_a_row_with_more_values_than_columns_is_an_error(db, system_user, tmp_path):
    path = write(tmp_path, ["name", "Amy,surplus"])

    report = run_import(SampleImporter, path, actor=system_user, dry_run=True)

    assert [(p.line, p.column) for p in report.problems] == [(2, "")]


def test_policies_are_read_once_per_run_not_per_row(db, system_user, tmp_path):
    class PolicyReadingImporter(SampleImporter):
        def validate_row(self, row):
            policies.value("customers.sources")
            return super().validate_row(row)

    path = write(tmp_path, ["name", "Amy", "Ben", "Cleo", "Dan"])

    with CaptureQueriesContext(connection) as queries:
        run_import(PolicyReadingImporter, path, actor=system_user)

    assert sum("core_policy" in q["sql"] for q in queries.captured_queries) == 1
    assert SecretSample.objects.count() == 4
