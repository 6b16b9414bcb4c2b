"""History import pages (A1.1): upload, check, import, progress, errors; permission."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.tests.test_history_import import (
    CUSTOMERS,
    EXPECTED_REVENUE,
    LINES,
    PRODUCTS,
    order_line,
    totals,
)
from salesdesk.customers.models import Customer
from salesdesk.imports.models import ImportJob

pytestmark = pytest.mark.req("A1.1")


def upload(name: str, rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def post_files(client, capture, lines=LINES):
    files = {
        "customers": upload("customers.csv", CUSTOMERS),
        "products": upload("products.csv", PRODUCTS),
        "order_lines": upload("order_lines.csv", lines),
    }
    with capture(execute=True):
        return client.post(reverse("analytics:history_import"), files)


def test_upload_check_then_import(client, sales_admin, django_capture_on_commit_callbacks):
    client.force_login(sales_admin)
    bad = [*LINES, order_line("SO-9", "2024-03-01", "NOPE", 1, "P-100", "1", "10")]

    response = post_files(client, django_capture_on_commit_callbacks, bad)

    job = ImportJob.objects.get(kind="history")
    assert response.status_code == 302
    assert response.url == reverse("analytics:history_job", args=[job.pk])
    assert (job.status, job.error_rows) == ("validated", 1)
    assert (Customer.objects.count(), SalesFact.objects.count()) == (0, 0)  # only checked
    page = client.get(response.url).content.decode()
    assert "order_lines.csv" in page and "NOPE" in page

    # The rows with errors must be accepted explicitly.
    start = reverse("analytics:history_start", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(start)
    job.refresh_from_db()
    assert job.status == "validated"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(start, {"accept": "1"})

    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 8)
    assert totals()[:2] == (3, EXPECTED_REVENUE)
    errors = client.get(reverse("analytics:history_errors", args=[job.pk]))
    assert b"order_lines.csv,6,customer_code" in b"".join(errors.streaming_content)
    progress = client.get(reverse("analytics:history_progress", args=[job.pk]))
    assert progress.status_code == 200


def test_pages_refuse_users_without_the_permission(client, salesperson, sales_admin):
    client.force_login(salesperson)
    assert client.get(reverse("analytics:history_import")).status_code == 403
    response = client.post(
        reverse("analytics:history_import"), {"order_lines": upload("order_lines.csv", LINES)}
    )
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0
    client.force_login(sales_admin)
    assert client.get(reverse("analytics:history_import")).status_code == 200
