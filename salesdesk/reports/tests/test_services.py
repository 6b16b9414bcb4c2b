"""Generating, archiving and delivering packs through the services (A3.1, A3.2)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from openpyxl import load_workbook
from pdfminer.high_level import extract_text

from salesdesk.analytics.selectors import metric_rows
from salesdesk.audit.models import Event
from salesdesk.core import policies
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.notifications.models import Notification, OutboundEmail
from salesdesk.reports import services
from salesdesk.reports.models import PackStatus, PackTrigger, ReportPack
from salesdesk.reports.tables import BREAKDOWN_TITLES
from salesdesk.reports.xlsx import sheet_title

pytestmark = [pytest.mark.django_db, pytest.mark.req("A3.1", "A3.2")]

TODAY = date(2025, 4, 10)


def generate(actor, period="2025-03", kind="monthly", **options):
    return services.reportpack_request(
        kind=kind, period=period, actor=actor, today=TODAY, background=False, **options
    )


def pack_events(pack):
    return list(
        Event.objects.filter(object_id=pack.pk, verb__startswith="reportpack.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def test_generates_a_ready_pack_with_files_and_one_event_per_step(sales_history, sales_admin):
    pack = generate(sales_admin)
    assert pack.status == PackStatus.READY
    assert (pack.period_start, pack.period_end) == (date(2025, 3, 1), date(2025, 3, 31))
    assert pack.version == 1 and pack.trigger == PackTrigger.MANUAL
    assert pack.requested_by == sales_admin
    assert pack.revenue == "1500.00"
    assert pack.pdf.name.endswith(".pdf") and pack.xlsx.name.endswith(".xlsx")
    assert len(pack.problems) == 11
    assert pack_events(pack) == [
        "reportpack.requested",
        "reportpack.started",
        "reportpack.generated",
    ]


def test_pdf_text_holds_the_revenue_and_chinese_headings(sales_history, sales_admin):
    pack = generate(sales_admin)
    with pack.pdf.open("rb") as handle:
        text = extract_text(io.BytesIO(handle.read()))
    assert "1,500.00" in text  # the period's revenue, formatted as in the summary table
    assert "華南" in text and "軸承" in text  # segment names in the tables
    with translation.override("zh-hant"):
        assert "營收" in text  # "Revenue" in Traditional Chinese (the pack's language)
        assert str(BREAKDOWN_TITLES["region"]).split()[0] in text


def test_xlsx_sheets_hold_the_numbers_of_the_metrics(sales_history, sales_admin, supervisor):
    pack = generate(sales_admin)
    with pack.xlsx.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    with translation.override(pack.language):
        expected = [
            sheet_title(BREAKDOWN_TITLES["region"]),
            sheet_title(BREAKDOWN_TITLES["channel"]),
        ]
    assert set(expected) <= set(book.sheetnames)
    assert len(book.sheetnames) == 9
    summary = {row[1]: row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)}
    for metric in ("revenue", "gross_margin", "order_count", "customer_count"):
        _period, rows = metric_rows(
            user=supervisor,
            metric=metric,
            group_by="",
            start="2025-03-01",
            end="2025-03-31",
            filters={},
        )
        assert Decimal(str(summary[metric][2])) == rows[0]["value"]
    _period, by_region = metric_rows(
        user=supervisor,
        metric="revenue",
        group_by="region",
        start="2025-03-01",
        end="2025-03-31",
        filters={},
    )
    sheet = book[expected[0]]
    in_book = {row[0]: Decimal(str(row[1])) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert in_book == {row["region"]: row["value"] for row in by_region}
    assert len(sheet._charts) == 1


def test_generating_again_keeps_the_previous_version(sales_history, sales_admin):
    first = generate(sales_admin)
    second = generate(sales_admin)
    first.refresh_from_db()
    assert (first.version, first.status) == (1, PackStatus.SUPERSEDED)
    assert (second.version, second.status) == (2, PackStatus.READY)
    assert ReportPack.objects.count() == 2
    assert pack_events(first)[-1] == "reportpack.superseded"
    assert first.pdf.storage.exists(first.pdf.name)


@pytest.mark.parametrize("period", ["2025-13", "March", "2025-04", "2026-01"])
def test_refuses_a_bad_or_unfinished_period_and_changes_nothing(sales_admin, period):
    with pytest.raises(ValidationFailed) as refused:
        generate(sales_admin, period=period)
    assert refused.value.field == "period"
    assert refused.value.code in {"invalid_period", "period_not_ended"}
    assert ReportPack.objects.count() == 0 and Event.objects.count() == 0


def test_quarter_periods(sales_history, sales_admin):
    pack = generate(sales_admin, period="2025-Q1", kind="quarterly")
    assert (pack.period_start, pack.period_end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert pack.revenue == "3700.00"
    assert pack.summary["previous"] == "2024-Q4"


def test_refuses_people_who_may_not_generate(sales_history, salesperson, management):
    for person in (salesperson, management):
        with pytest.raises(PermissionDenied):
            generate(person)
    assert ReportPack.objects.count() == 0 and Event.objects.count() == 0


def test_schedule_generates_once_and_mails_the_recipients(
    sales_history, management, sales_manager, sales_admin, salesperson, supervisor
):
    mail.outbox.clear()
    made = services.reports_run_scheduled(today=date(2025, 4, 1))
    assert [(p.kind, p.period_label, p.status) for p in made] == [
        ("monthly", "2025-03", "ready"),
        ("quarterly", "2025-Q1", "ready"),
    ]
    assert all(p.trigger == PackTrigger.SCHEDULE and p.delivered_at for p in made)
    recipients = set(OutboundEmail.objects.values_list("to", flat=True))
    assert recipients == {management.email, sales_manager.email, sales_admin.email}
    assert Notification.objects.filter(recipient=salesperson).count() == 0
    assert Notification.objects.filter(recipient=management).count() == 2
    assert services.reports_run_scheduled(today=date(2025, 4, 1)) == []
    assert services.reports_run_scheduled(today=date(2025, 4, 20)) == []
    assert ReportPack.objects.count() == 2
    assert OutboundEmail.objects.count() == 6


def test_schedule_waits_for_the_policy_day(sales_history, it_admin):
    policies.policy_set(key="reports.generation_day", raw_value=5, actor=it_admin)
    policies.policy_set(key="reports.quarterly_enabled", raw_value=False, actor=it_admin)
    assert services.reports_run_scheduled(today=date(2025, 4, 4)) == []
    made = services.reports_run_scheduled(today=date(2025, 4, 5))
    assert [p.period_label for p in made] == ["2025-03"]


def test_mail_is_in_each_recipients_language(sales_history, management, sales_admin):
    management.language = "zh-hant"
    management.save(update_fields=["language"])
    pack = generate(sales_admin)
    services.reportpack_deliver(pack_id=pack.pk, actor=sales_admin)
    notice = Notification.objects.get(recipient=management)
    with translation.override("zh-hant"):
        assert notice.body.startswith(
            str(translation.gettext("Revenue: %(revenue)s")).split("%")[0]
        )
    assert "1,500.00" in notice.body
    assert notice.url == f"/reports/{pack.pk}/"
