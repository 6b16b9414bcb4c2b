"""History import (A1.1): known totals from tiny CSV and XLSX files, errors with file and line,
dry run, resume after an interruption, idempotent re-runs, no events, permission."""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum
from openpyxl import Workbook

from salesdesk.analytics.history import runner
from salesdesk.analytics.history.importers import HistoryImporter
from salesdesk.analytics.history.runner import checkpoint_for, find_files, history_import
from salesdesk.analytics.models import SalesFact
from salesdesk.audit.models import Event
from salesdesk.catalog.models import Product
from salesdesk.core.errors import PermissionDenied
from salesdesk.core.models import NumberSequence
from salesdesk.customers.models import Customer
from salesdesk.imports.models import ImportJob
from salesdesk.notifications.models import Notification, OutboundEmail

pytestmark = pytest.mark.req("A1.1")

CUSTOMERS = [
    [
        *("customer_code", "name", "kind", "industry", "country", "region", "province"),
        *("city", "salesperson", "created_date"),
    ],
    [
        *("H001", "上海华东机械有限公司", "enterprise", "机械", "CN", "華東", "上海市"),
        *("上海市", "sales1", "2023-02-01"),
    ],
    ["H002", "台灣精密股份有限公司", "", "電子", "TW", "北部", "", "臺北市", "ghost", ""],
    ["H003", "深圳南方贸易有限公司", "enterprise", "贸易", "CN", "", "广东省", "深圳市", "", ""],
]
PRODUCTS = [
    ["sku", "name", "category", "unit", "list_price", "unit_cost", "tax_rate"],
    ["p-100", "伺服馬達", "馬達", "台", "1000", "600", "0.13"],
    ["P-200", "控制器", "控制", "台", "500", "", ""],
]
LINE_HEADER = [
    "order_number",
    "order_date",
    "customer_code",
    "salesperson",
    "channel",
    "line_number",
    "sku",
    "quantity",
    "unit_price",
    "discount_rate",
    "tax_rate",
    "unit_cost",
    "promised_date",
    "ship_date",
    "delivery_date",
    "ship_mode",
    "status",
]


def order_line(number, day, customer, line_no, sku, qty, price, **extra):
    values = {
        "order_number": number,
        "order_date": day,
        "customer_code": customer,
        "salesperson": extra.get("salesperson", "sales1"),
        "channel": "direct",
        "line_number": str(line_no),
        "sku": sku,
        "quantity": qty,
        "unit_price": price,
        "discount_rate": extra.get("discount", ""),
        "tax_rate": "0.13",
        "unit_cost": extra.get("cost", ""),
        "promised_date": extra.get("promised", "2024-01-20"),
        "ship_date": "",
        "delivery_date": extra.get("delivered", "2024-01-18"),
        "ship_mode": "truck",
        "status": extra.get("status", "delivered"),
    }
    return [values[name] for name in LINE_HEADER]


# Order SO-1: lines 2 and 1 far apart in the file; SO-2: one line, product without cost;
# SO-3: cancelled (checked, not counted).
LINES = [
    LINE_HEADER,
    order_line("SO-1", "2024-01-05", "H001", 2, "P-100", "3", "1000", discount="0.1"),
    order_line("SO-2", "2024-02-10", "H002", 1, "p-200", "2", "499.995", salesperson=""),
    order_line("SO-3", "2024-02-11", "H003", 1, "P-100", "1", "1000", status="cancelled"),
    order_line("SO-1", "2024-01-05", "H001", 1, "P-200", "1.5", "333.33", cost="100"),
]
# 3×1000×0.9 = 2700.00; 2×499.995 = 999.99; 1.5×333.33 = 499.995 → 500.00
EXPECTED_REVENUE = Decimal("4199.99")


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def history_dir(tmp_path: Path, lines=LINES, fmt="csv") -> Path:
    directory = tmp_path / "history"
    directory.mkdir(exist_ok=True)
    writer = write_csv if fmt == "csv" else write_xlsx
    writer(directory / f"customers.{fmt}", CUSTOMERS)
    writer(directory / f"products.{fmt}", PRODUCTS)
    writer(directory / f"order_lines.{fmt}", lines)
    return directory


def run(directory: Path, actor, **options):
    return history_import(
        find_files(directory),
        actor=actor,
        checkpoint=checkpoint_for(directory),
        report_dir=directory,
        **options,
    )


def totals() -> tuple:
    facts = SalesFact.objects.filter(is_imported=True)
    return (
        facts.count(),
        facts.aggregate(total=Sum("revenue"))["total"],
        facts.filter(is_first_line=True).count(),
        facts.aggregate(total=Sum("cost"))["total"],
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_imports_the_three_files_with_known_totals(db, system_user, salesperson, tmp_path, fmt):
    events, numbers = Event.objects.count(), NumberSequence.objects.count()

    report = run(history_dir(tmp_path, fmt=fmt), system_user)

    counts = {result.key: result.counts for result in report.files}
    assert (counts["customers"].created, counts["products"].created) == (3, 2)
    assert (counts["order_lines"].created, counts["order_lines"].not_counted) == (3, 1)
    assert report.error_rows == 0 and report.problems == []
    # 3 facts; SO-1 and SO-2 counted once each; cost 3×600 + 1.5×100, SO-2 without cost.
    assert totals() == (3, EXPECTED_REVENUE, 2, Decimal("1950.00"))
    first = SalesFact.objects.get(order_number="SO-1", is_first_line=True)
    assert first.line_number == 1
    fact = SalesFact.objects.get(order_number="SO-2")
    assert (fact.cost, fact.region, fact.country, fact.city, fact.category) == (
        None,
        "北部",
        "TW",
        "臺北市",
        "控制",
    )
    assert fact.salesperson == ""  # no salesperson on the line, the customer has no owner
    h1 = Customer.objects.get(code="H001")
    assert (h1.region, h1.owner, h1.is_imported, str(h1.created_at.date())) == (
        "華東",
        salesperson,
        True,
        "2023-02-01",
    )
    assert Customer.objects.get(code="H002").owner == system_user
    assert Product.objects.get(sku="P-100").standard_cost == Decimal("600")
    assert Product.objects.get(sku="P-200").standard_cost is None
    # History is recorded, not re-enacted: no events, numbers, notifications or e-mails.
    assert (Event.objects.count(), NumberSequence.objects.count()) == (events, numbers)
    assert (Notification.objects.count(), OutboundEmail.objects.count()) == (0, 0)
    assert not checkpoint_for(history_dir(tmp_path, fmt=fmt)).exists()


def test_rows_with_errors_are_reported_with_file_line_and_column(db, system_user, tmp_path):
    bad = [
        *LINES,
        order_line("SO-9", "2024-13-01", "H001", 1, "P-100", "1", "10"),
        order_line("SO-9", "2024-03-01", "NOPE", 2, "P-999", "1", "10", discount="1.5"),
    ]
    directory = history_dir(tmp_path, bad)

    report = run(directory, system_user)

    assert [(p["file"], p["line"], p["column"]) for p in report.problems] == [
        ("order_lines.csv", 6, "order_date"),
        ("order_lines.csv", 7, "customer_code"),
        ("order_lines.csv", 7, "sku"),
        ("order_lines.csv", 7, "discount_rate"),
    ]
    assert "NOPE" in report.problems[1]["message"]
    assert report.error_rows == 2
    assert totals()[:2] == (3, EXPECTED_REVENUE)  # the valid rows are in
    errors = (directory / "order_lines.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert errors.splitlines()[1].startswith("6,order_date,")


def test_dry_run_checks_everything_and_changes_nothing(db, system_user, tmp_path):
    directory = history_dir(tmp_path)

    report = run(directory, system_user, dry_run=True)

    counts = {result.key: result.counts for result in report.files}
    # Lines find the customers and products of the same dry run.
    assert (counts["customers"].created, counts["order_lines"].created) == (3, 3)
    assert report.error_rows == 0
    assert (Customer.objects.count(), Product.objects.count(), SalesFact.objects.count()) == (
        0,
        0,
        0,
    )
    assert not checkpoint_for(directory).exists()
    assert ImportJob.objects.count() == 0


def test_a_second_run_duplicates_nothing(db, system_user, tmp_path):
    directory = history_dir(tmp_path)
    run(directory, system_user)

    report = run(directory, system_user)

    counts = {result.key: result.counts for result in report.files}
    assert [c.created for c in counts.values()] == [0, 0, 0]
    assert [c.present for c in counts.values()] == [3, 2, 3]
    assert totals()[:3] == (3, EXPECTED_REVENUE, 2)
    assert Customer.objects.count() == 3


def many_lines(orders: int = 40) -> list[list[str]]:
    """Orders of 1–3 lines; every fifth order's last line comes at the end of the file."""
    rows, late = [LINE_HEADER], []
    for n in range(orders):
        count = n % 3 + 1
        for line_no in range(1, count + 1):
            row = order_line(
                f"SO-{n:03d}",
                f"2024-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
                ("H001", "H002", "H003")[n % 3],
                line_no,
                ("P-100", "P-200")[line_no % 2],
                str(line_no),
                f"{100 + n}.{n % 100:02d}",
                discount="0.05" if n % 2 else "",
            )
            (late if n % 5 == 0 and line_no == 1 else rows).append(row)
    return rows + late


def test_an_interrupted_import_resumes_to_the_same_totals(db, system_user, tmp_path, monkeypatch):
    monkeypatch.setattr(HistoryImporter, "batch_size", 7)
    directory = history_dir(tmp_path, many_lines())
    run(directory, system_user)
    uninterrupted = totals()
    SalesFact.objects.all().delete()

    flushes = []

    def interrupt(key, name, done, total):
        flushes.append(key)
        if flushes.count("order_lines") == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(directory, system_user, progress=interrupt)
    partial = totals()
    saved = json.loads(checkpoint_for(directory).read_text(encoding="utf-8"))
    # The checkpoint lives in salesdesk's data directory, not among the files imported.
    assert checkpoint_for(directory).is_relative_to(settings.DATA_DIR)
    assert sorted(path.name for path in directory.iterdir()) == [
        "customers.csv",
        "order_lines.csv",
        "products.csv",
    ]

    report = run(directory, system_user)

    assert 0 < partial[0] < uninterrupted[0]
    line = saved["files"]["order_lines"]["line"]
    assert line > 1
    lines = {result.key: result.counts for result in report.files}["order_lines"]
    assert lines.resumed_after == line
    assert totals() == uninterrupted
    assert uninterrupted[2] == 40  # one first line per order


def test_rollups_are_rebuilt_once_for_the_touched_range(db, system_user, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(runner, "rollups_rebuild_range", lambda a, b: calls.append((a, b)))

    run(history_dir(tmp_path), system_user)

    assert [(str(a), str(b)) for a, b in calls] == [("2024-01-05", "2024-02-10")]


def test_without_the_permission_nothing_is_imported(db, salesperson, outsider, tmp_path):
    directory = history_dir(tmp_path)
    for user in (salesperson, outsider):
        with pytest.raises(PermissionDenied):
            run(directory, user)
    assert (Customer.objects.count(), SalesFact.objects.count(), Event.objects.count()) == (
        0,
        0,
        0,
    )


def test_sales_admin_and_it_admin_may_import(db, sales_admin, it_admin):
    assert HistoryImporter.may_import(sales_admin)
    assert HistoryImporter.may_import(it_admin)


def test_cli_imports_a_directory_and_keeps_one_run_record(db, system_user, tmp_path, capsys):
    from django.core.management import call_command

    directory = history_dir(tmp_path)
    call_command("import", "history", str(directory), "--dry-run")
    assert SalesFact.objects.count() == 0

    call_command("import", "history", str(directory))

    out = capsys.readouterr()
    assert "order_lines.csv: 4 rows read, 3 new, 0 already present" in out.out
    assert "Not counted (status): 1." in out.out
    assert totals()[:2] == (3, EXPECTED_REVENUE)
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.total_rows, job.imported_rows) == ("history", "done", 9, 8)


def test_cli_reports_bad_rows_by_file_and_line_and_exits_3(db, system_user, tmp_path, capsys):
    from django.core.management import call_command

    bad = [*LINES, order_line("SO-9", "2024-03-01", "H001", 1, "P-100", "x", "10")]
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "history", str(history_dir(tmp_path, bad)))
    assert exit_info.value.code == 3
    assert "order_lines.csv line 6: quantity:" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_counts_rows_of_each_file(db, system_user, tmp_path, fmt):
    seen = []

    run(
        history_dir(tmp_path, fmt=fmt),
        system_user,
        progress=lambda key, name, done, total: seen.append((key, done, total)),
    )

    lines = [(done, total) for key, done, total in seen if key == "order_lines"]
    assert lines[0] == (0, 4) and lines[-1] == (4, 4)
    assert runner.count_rows(tmp_path / "history" / f"customers.{fmt}") == 3
