"""Import pages: upload, dry-run preview, import, progress, downloads, permissions (#3, U2)."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.customers.importing import CustomerImporter
from salesdesk.customers.models import Contact, Customer
from salesdesk.imports.models import ImportJob, ImportStatus
from salesdesk.imports.services import progress_path

pytestmark = pytest.mark.req("U2")

HEADER = ["kind", "legal_name", "tax_id", "country", "city", "source", "owner", "contact_mobile"]
HEADER.append("contact_name")
TW = ["enterprise", "台灣精密機械股份有限公司", "22099131", "TW", "臺中市", "trade_show", "sales1"]
TW += ["0912345678", "陳志明"]
CN = ["enterprise", "福州华信电子有限公司", "91350100M000100Y43", "CN", "福州市", "referral"]
CN += ["sales2", "13812345678", "王丽"]
NO_CITY = ["enterprise", "無城市有限公司", "", "TW", "", "trade_show", "sales1", "", ""]


def upload(rows, name="customers.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


@pytest.fixture
def admin_client(client, sales_admin, salesperson, other_salesperson):
    client.force_login(sales_admin)
    return client


def post_upload(client, capture, rows, name="customers.csv"):
    with capture(execute=True):
        response = client.post(
            reverse("imports:new", args=["customers"]), {"file": upload(rows, name)}
        )
    return response


def test_upload_preview_then_import_valid_rows(
    admin_client, sales_admin, django_capture_on_commit_callbacks
):
    response = post_upload(admin_client, django_capture_on_commit_callbacks, [TW, NO_CITY, CN])

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:job", args=[job.pk])
    assert (job.status, job.total_rows, job.valid_rows, job.error_rows) == ("validated", 3, 2, 1)
    assert Customer.objects.count() == 0
    page = admin_client.get(response.url).content.decode()
    assert "<td>3</td><td><code>city</code></td>" in page
    assert "An enterprise needs at least a province or a city." in page
    assert 'name="skip_invalid"' in page
    assert reverse("imports:file", args=[job.pk, "errors"]) in page

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:start", args=[job.pk]), {"skip_invalid": "1"})

    job.refresh_from_db()
    assert (job.status, job.imported_rows, job.error_rows) == ("done", 2, 1)
    assert not job.upload  # the plain-text upload is deleted once its rows are imported
    assert Customer.objects.count() == 2
    assert Event.objects.filter(verb="customer.imported", actor=sales_admin).count() == 2
    page = admin_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Done" in page and "hx-trigger" not in page
    rejects = admin_client.get(reverse("imports:file", args=[job.pk, "rejects"]))
    text = b"".join(rejects.streaming_content).decode("utf-8-sig")
    assert "無城市有限公司" in text and "reason" in text.splitlines()[0]


def test_import_with_errors_needs_skip_invalid(admin_client, django_capture_on_commit_callbacks):
    post_upload(admin_client, django_capture_on_commit_callbacks, [TW, NO_CITY])
    job = ImportJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("imports:start", args=[job.pk]), {})

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportStatus.VALIDATED
    assert (Customer.objects.count(), Contact.objects.count()) == (0, 0)
    assert not Event.objects.filter(verb="customer.imported").exists()


def test_clean_xlsx_upload_imports_all_rows(admin_client, django_capture_on_commit_callbacks):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (HEADER, TW, CN):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("imports:new", args=["customers"]),
            {"file": SimpleUploadedFile("customers.xlsx", buffer.getvalue())},
        )
    job = ImportJob.objects.get()
    assert (job.status, job.error_rows) == ("validated", 0)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("imports:start", args=[job.pk]), {})

    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 2)
    assert Customer.objects.count() == 2


def test_a_file_without_required_columns_fails_with_the_reason(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("imports:new", args=["customers"]),
            {"file": SimpleUploadedFile("x.csv", b"legal_name\nACME\n")},
        )

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.message == "Required columns are missing: kind, source."
    page = admin_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Required columns are missing: kind, source." in page


def test_refuses_other_file_types(admin_client):
    response = admin_client.post(
        reverse("imports:new", args=["customers"]),
        {"file": SimpleUploadedFile("customers.pdf", b"%PDF-1.4")},
    )

    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_progress_bar_polls_while_running_and_refreshes_when_done(admin_client, sales_admin):
    job = ImportJob.objects.create(
        kind="customers",
        upload=SimpleUploadedFile("customers.csv", b"kind\n"),
        original_name="customers.csv",
        status=ImportStatus.IMPORTING,
        total_rows=10,
        created_by=sales_admin,
    )
    progress_path(job).write_text(json.dumps({"processed": 4, "errors": 1}), encoding="utf-8")
    url = reverse("imports:progress", args=[job.pk])

    running = admin_client.get(url, headers={"HX-Request": "true"})

    body = running.content.decode()
    assert '<progress max="10" value="4">' in body
    assert 'hx-trigger="every 1s"' in body and f'hx-get="{url}"' in body
    assert "HX-Refresh" not in running
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    done = admin_client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_template_downloads_list_every_column(admin_client):
    columns = CustomerImporter.column_names()

    as_csv = admin_client.get(reverse("imports:template", args=["customers", "csv"]))
    as_xlsx = admin_client.get(reverse("imports:template", args=["customers", "xlsx"]))

    lines = b"".join(as_csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == columns
    assert len(lines) == 3
    rows = read_xlsx_rows(b"".join(as_xlsx.streaming_content))
    assert list(rows[0]) == columns


def test_salesperson_without_import_permission_is_refused(
    client, salesperson, django_capture_on_commit_callbacks
):
    client.force_login(salesperson)

    pages = [
        client.get(reverse("imports:index")),
        client.get(reverse("imports:new", args=["customers"])),
        client.get(reverse("imports:template", args=["customers", "csv"])),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("imports:new", args=["customers"]), {"file": upload([TW])})

    assert [p.status_code for p in pages] == [403, 403, 403]
    assert posted.status_code == 403
    assert (ImportJob.objects.count(), Customer.objects.count()) == (0, 0)
    assert not Event.objects.exists()


def test_jobs_are_visible_only_to_their_uploader(
    admin_client, client, sales_admin, django_capture_on_commit_callbacks
):
    from salesdesk.accounts.tests.factories import UserFactory

    post_upload(admin_client, django_capture_on_commit_callbacks, [TW])
    job = ImportJob.objects.get()
    colleague = UserFactory(username="admin2", roles=["sales_admin"])
    client.force_login(colleague)

    response = client.get(reverse("imports:job", args=[job.pk]))
    started = client.post(reverse("imports:start", args=[job.pk]), {})

    assert (response.status_code, started.status_code) == (404, 404)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def test_index_lists_importers_and_own_jobs(admin_client, django_capture_on_commit_callbacks):
    post_upload(admin_client, django_capture_on_commit_callbacks, [TW], name="mine.csv")

    page = admin_client.get(reverse("imports:index")).content.decode()

    assert reverse("imports:new", args=["customers"]) in page
    assert "mine.csv" in page
