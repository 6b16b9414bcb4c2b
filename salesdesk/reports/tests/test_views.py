"""Report pages: archive with filters, sort and export; detail; Generate now; refusals (A3)."""

import pytest
from django.urls import reverse

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.core.navigation import menu_for
from salesdesk.reports import services
from salesdesk.reports.models import ReportPack

pytestmark = [pytest.mark.django_db, pytest.mark.req("A3.1", "A3.2")]


def test_generate_now_then_archive_detail_and_downloads(
    client, sales_manager, sales_history, django_capture_on_commit_callbacks
):
    client.force_login(sales_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate"), {"kind": "monthly", "period": "2025-03"}
        )
    pack = ReportPack.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[pack.pk])
    page = client.get(response.url).content.decode()
    assert "1,500.00" in page and "華南" in page and 'id="pack-pdf"' in page
    assert "Contact customer “C3”" in page  # a suggested action
    listing = client.get(reverse("reports:list"), {"kind": "monthly", "sort": "-version"})
    assert listing.status_code == 200 and "2025-03" in listing.content.decode()
    export = client.get(reverse("reports:list"), {"export": "xlsx"})
    rows = read_xlsx_rows(b"".join(export.streaming_content))
    assert rows[1][1] == "2025-03" and rows[1][10] == 1500
    download = client.get(reverse("reports:file", args=[pack.pk, "pdf"]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    progress = client.get(reverse("reports:progress", args=[pack.pk]))
    assert progress.status_code == 200


def test_generate_form_shows_a_bad_period_next_to_the_field(client, sales_admin):
    client.force_login(sales_admin)
    response = client.post(reverse("reports:generate"), {"kind": "monthly", "period": "03/2025"})
    assert response.status_code == 422
    assert "Give the period as 2025-03." in response.content.decode()
    assert ReportPack.objects.count() == 0 and Event.objects.count() == 0


def test_salesperson_sees_no_reports_and_cannot_generate(client, salesperson, sales_admin):
    pack = services.reportpack_request(
        kind="monthly", period="2025-03", actor=sales_admin, background=True
    )
    events = Event.objects.count()
    client.force_login(salesperson)
    assert client.get(reverse("reports:list")).status_code == 403
    assert client.get(reverse("reports:detail", args=[pack.pk])).status_code == 403
    assert client.get(reverse("reports:file", args=[pack.pk, "pdf"])).status_code == 403
    response = client.post(reverse("reports:generate"), {"kind": "monthly", "period": "2025-03"})
    assert response.status_code == 403
    assert ReportPack.objects.count() == 1 and Event.objects.count() == events
    assert "/reports/" not in [item["url"] for item in menu_for(salesperson)]


def test_menu_entry_for_readers(management, supervisor):
    assert "/reports/" in [item["url"] for item in menu_for(management)]
    assert "/reports/" in [item["url"] for item in menu_for(supervisor)]
