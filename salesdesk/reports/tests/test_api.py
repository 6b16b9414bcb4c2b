"""The reports API: list, one pack, generate (422 on a bad period), files, events (A3)."""

import pytest
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.reports.models import PackStatus, ReportPack

pytestmark = [pytest.mark.django_db, pytest.mark.req("A3.1", "A3.2")]

URL = "/api/v1/reports"


@pytest.fixture
def admin_api(client, sales_admin):
    client.force_login(sales_admin)
    return client


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_generate_list_get_download_and_history(
    admin_api, sales_history, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_api, {"kind": "monthly", "period": "2025-03"})
    assert response.status_code == 201
    pack_id = response.json()["id"]
    body = admin_api.get(f"{URL}/{pack_id}").json()
    assert body["status"] == "ready" and body["period"] == "2025-03"
    assert body["generated_by"] == "manual" and body["requested_by"] == "admin1"
    assert len(body["problems"]) == 11 and body["problems"][0]["finding"]
    assert body["pdf_url"] == f"{URL}/{pack_id}/pdf"
    listing = admin_api.get(URL, {"kind": "monthly", "year": 2025}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == pack_id
    pdf = admin_api.get(f"{URL}/{pack_id}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = admin_api.get(f"{URL}/{pack_id}/xlsx")
    assert xlsx.status_code == 200
    events = admin_api.get(f"{URL}/{pack_id}/events").json()
    assert sorted(e["verb"] for e in events) == [
        "reportpack.generated",
        "reportpack.requested",
        "reportpack.started",
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "monthly", "period": "2025/03"}, "period"),
        ({"kind": "monthly", "period": "2999-01"}, "period"),
        ({"kind": "weekly", "period": "2025-03"}, "kind"),
    ],
)
def test_bad_request_is_422_and_changes_nothing(admin_api, body, field):
    response = post(admin_api, body)
    assert response.status_code == 422
    payload = response.json()
    assert field in payload["extra"].get("fields", {}) or payload["extra"].get("field") == field
    assert ReportPack.objects.count() == 0 and Event.objects.count() == 0


def test_salesperson_may_neither_list_nor_generate(client, salesperson):
    client.force_login(salesperson)
    assert client.get(URL).status_code == 403
    assert post(client, {"kind": "monthly", "period": "2025-03"}).status_code == 403
    assert ReportPack.objects.count() == 0 and Event.objects.count() == 0


def test_management_reads_but_may_not_generate(client, management, sales_admin):
    pack = ReportPack.objects.create(
        kind="monthly",
        period_start=timezone.localdate().replace(year=2025, month=3, day=1),
        period_end=timezone.localdate().replace(year=2025, month=3, day=31),
        requested_by=sales_admin,
        language="en",
        status=PackStatus.READY,
    )
    client.force_login(management)
    assert client.get(f"{URL}/{pack.pk}").json()["status"] == "ready"
    assert client.get(f"{URL}/{pack.pk}/pdf").status_code == 404  # no file stored
    assert post(client, {"kind": "monthly", "period": "2025-03"}).status_code == 403
    assert ReportPack.objects.count() == 1 and Event.objects.count() == 0
