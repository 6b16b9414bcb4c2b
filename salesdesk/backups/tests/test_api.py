"""The backups page and API: IT admins only; start and verify run in the background (R2.4)."""

import pytest
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.backups.models import BackupRun, BackupStatus, VerifyResult

pytestmark = [pytest.mark.req("R2.4"), pytest.mark.django_db]
API = "/api/v1/backups"


@pytest.fixture
def run(system_user, tmp_path):
    path = tmp_path / "b.sdbk"
    path.write_bytes(b"SDBACKUP")
    return BackupRun.objects.create(
        trigger="schedule",
        status=BackupStatus.SUCCEEDED,
        file=str(path),
        size_bytes=8,
        started_at=timezone.now(),
        created_by=system_user,
        counts={"orders_order": 3},
        row_count=3,
    )


@pytest.mark.parametrize("persona", ["salesperson", "sales_admin", "finance", "outsider"])
def test_others_may_not_see_or_start_backups(client, request, persona, run):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(API).status_code == 403
    response = client.post(API, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert client.post(f"{API}/{run.pk}/verify").status_code == 403
    assert client.get("/backups/").status_code == 403
    assert client.post("/backups/start/").status_code == 403
    assert BackupRun.objects.count() == 1 and not Event.objects.filter(verb__startswith="backup")
    run.refresh_from_db()
    assert run.verify_result == VerifyResult.NONE


def test_supervisor_reads_but_may_not_start_or_verify(client, supervisor, run):
    client.force_login(supervisor)
    assert client.get(API).json()["count"] == 1
    assert client.post(API, content_type="application/json").status_code == 403
    assert client.post(f"{API}/{run.pk}/verify").status_code == 403
    assert BackupRun.objects.count() == 1


def test_it_admin_lists_starts_and_verifies(client, it_admin, run):
    client.force_login(it_admin)
    listed = client.get(API).json()
    assert listed["count"] == 1 and listed["items"][0]["counts"] == {"orders_order": 3}
    started = client.post(API, content_type="application/json")
    assert started.status_code == 202 and started.json()["status"] == "running"
    again = client.post(API, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "backup_running")
    verify = client.post(f"{API}/{run.pk}/verify")
    assert verify.status_code == 202 and verify.json()["verify_result"] == "running"
    assert client.post(f"{API}/{run.pk}/verify").status_code == 409
    assert client.post(f"{API}/99999/verify").status_code == 404
    assert client.get(f"{API}/{run.pk}/events").status_code == 200


def test_a_pruned_backup_cannot_be_verified(client, it_admin, run):
    BackupRun.objects.filter(pk=run.pk).update(pruned_at=timezone.now())
    client.force_login(it_admin)
    response = client.post(f"{API}/{run.pk}/verify")
    assert response.status_code == 409
    run.refresh_from_db()
    assert run.verify_result == VerifyResult.NONE


def test_page_lists_runs_with_buttons_and_exports(client, it_admin, run):
    client.force_login(it_admin)
    page = client.get("/backups/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="backup-start"' in html and f'id="backup-verify-{run.pk}"' in html
    assert "b.sdbk" in html
    assert client.get("/backups/?status=failed").content.decode().count("b.sdbk") == 0
    export = client.get("/backups/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post("/backups/start/")
    assert response.status_code == 302
    assert BackupRun.objects.filter(status=BackupStatus.RUNNING, created_by=it_admin).count() == 1
    client.post(f"/backups/{run.pk}/verify/")
    run.refresh_from_db()
    assert run.verify_result == VerifyResult.RUNNING
