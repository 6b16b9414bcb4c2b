"""Tracking events imported from a carrier's CSV or XLSX (S3.2), all-or-nothing."""

import pytest
from django.core import mail
from openpyxl import Workbook

from salesdesk.audit.models import Event
from salesdesk.imports.base import run_import
from salesdesk.imports.registry import importer_for
from salesdesk.shipping.importing import TrackingImporter
from salesdesk.shipping.models import Shipment, TrackingEvent
from salesdesk.shipping.tests.steps import dispatched, state

pytestmark = pytest.mark.req("S3.2")

HEAD = "tracking_number,occurred_at,location,description,exception\n"


def _csv(tmp_path, text, name="tracking.csv"):
    path = tmp_path / name
    path.write_text(HEAD + text, encoding="utf-8")
    return path


@pytest.fixture
def on_the_way(order10, sales_admin, warehouse, logistics, carrier):
    return dispatched(order10, sales_admin, warehouse, logistics, carrier, 10, "SF555")


def test_registered_as_tracking_kind():
    assert importer_for("tracking") is TrackingImporter


def test_import_moves_the_shipment_and_tells_the_customer_of_an_exception(
    tmp_path, on_the_way, logistics, django_capture_on_commit_callbacks
):
    path = _csv(
        tmp_path,
        "SF555,2026-05-04 10:00,廈門,已攬收,\nSF555,2026-05-05 09:10,福州,包裹破損,1\n",
    )
    dry = run_import(TrackingImporter, path, actor=logistics, dry_run=True)
    assert (dry.valid, dry.imported, TrackingEvent.objects.count()) == (2, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(TrackingImporter, path, actor=logistics)
    assert report.imported == 2 and report.error_rows == 0
    shipment = Shipment.objects.get(pk=on_the_way.pk)
    assert shipment.status == "exception" and shipment.exception_reason == "包裹破損"
    assert set(TrackingEvent.objects.values_list("source", flat=True)) == {"import"}
    assert Event.objects.filter(verb="shipment.tracked").count() == 2
    assert any("包裹破損" in m.body for m in mail.outbox)


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path, on_the_way, logistics):
    before, events = state(on_the_way), Event.objects.count()
    path = _csv(
        tmp_path,
        "SF555,2026-05-04 10:00,廈門,已攬收,\n"
        "XX999,2026-05-04 11:00,廈門,已攬收,\n"
        "SF555,yesterday,廈門,,maybe\n"
        "SF555,2026-05-04 10:00,廈門,已攬收,\n",
    )
    report = run_import(TrackingImporter, path, actor=logistics)
    assert report.imported == 0 and report.error_rows == 3
    problems = {(p.line, p.column) for p in report.problems}
    assert problems == {
        (3, "tracking_number"),
        (4, "occurred_at"),
        (4, "description"),
        (4, "exception"),
        (5, "occurred_at"),
    }
    assert TrackingEvent.objects.count() == 0
    assert state(on_the_way) == before and Event.objects.count() == events


def test_an_already_recorded_event_and_a_second_exception_are_refused(
    tmp_path, on_the_way, logistics
):
    first = _csv(tmp_path, "SF555,2026-05-04 10:00,廈門,外箱破損,yes\n", "first.csv")
    assert run_import(TrackingImporter, first, actor=logistics).imported == 1
    again = _csv(
        tmp_path,
        "SF555,2026-05-04 10:00,廈門,外箱破損,yes\nSF555,2026-05-06 10:00,福州,再次破損,是\n",
        "again.csv",
    )
    report = run_import(TrackingImporter, again, actor=logistics)
    assert report.imported == 0
    assert {(p.line, p.column) for p in report.problems} == {(2, "occurred_at"), (3, "exception")}
    assert TrackingEvent.objects.count() == 1


def test_import_from_xlsx_with_chinese_headers(tmp_path, on_the_way, logistics):
    book = Workbook()
    sheet = book.active
    sheet.append(["運單號", "時間", "地點", "描述", "異常"])
    sheet.append(["SF555", "2026-05-04 10:00", "廈門", "運輸中", ""])
    path = tmp_path / "tracking.xlsx"
    book.save(path)
    assert run_import(TrackingImporter, path, actor=logistics).imported == 1
    assert Shipment.objects.get(pk=on_the_way.pk).status == "in_transit"


def test_only_logistics_may_import(tmp_path, on_the_way, warehouse):
    from salesdesk.core.errors import PermissionDenied

    path = _csv(tmp_path, "SF555,2026-05-04 10:00,廈門,已攬收,\n")
    with pytest.raises(PermissionDenied):
        run_import(TrackingImporter, path, actor=warehouse)
    assert TrackingEvent.objects.count() == 0


def test_the_example_in_the_documentation_imports(
    tmp_path, order10, sales_admin, warehouse, logistics, carrier
):
    import re
    from pathlib import Path

    dispatched(order10, sales_admin, warehouse, logistics, carrier, 10, "SF1234567890")
    text = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text("utf-8")
    section = text[text.index("## Tracking events") :]
    block = re.findall(r"```csv\n(.*?)```", section, re.DOTALL)[0]
    path = tmp_path / "example.csv"
    path.write_text(block, encoding="utf-8")
    report = run_import(TrackingImporter, path, actor=logistics)
    assert (report.imported, report.problems) == (2, [])
    assert Shipment.objects.get(tracking_number="SF1234567890").status == "exception"
