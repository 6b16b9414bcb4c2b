"""Monitoring pages (R3.1, U11): board with filters, sort and export; acknowledge and close
forms; indicators with thresholds and last run; one indicator's history."""

import pytest

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.monitoring.models import WarningStatus
from salesdesk.monitoring.tests.conftest import make_warning

pytestmark = [pytest.mark.req("R3.1", "U11"), pytest.mark.django_db]


@pytest.fixture
def warnings(salesperson, other_salesperson):
    return [
        make_warning(owner=salesperson, subject_label="甲公司"),
        make_warning(owner=salesperson, subject_label="乙公司", level="critical"),
        make_warning(owner=other_salesperson, subject_label="丙公司"),
    ]


def test_board_shows_my_warnings_critical_first(client, salesperson, warnings):
    client.force_login(salesperson)
    page = client.get("/monitoring/").content.decode()
    assert "甲公司" in page and "乙公司" in page and "丙公司" not in page
    assert page.index("乙公司") < page.index("甲公司")
    assert "2 warnings" in page
    filtered = client.get("/monitoring/", {"level": "critical"}).content.decode()
    assert "乙公司" in filtered and "甲公司" not in filtered
    by_subject = client.get("/monitoring/", {"sort": "-subject"}).content.decode()
    assert by_subject.index("甲公司") < by_subject.index("乙公司")


def test_board_exports_what_it_shows(client, it_admin, warnings):
    client.force_login(it_admin)
    response = client.get("/monitoring/", {"export": "xlsx", "level": "warning"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert list(rows[0][:3]) == ["Level", "Indicator", "Subject"]
    assert sorted(row[2] for row in rows[1:]) == ["丙公司", "甲公司"]
    assert rows[1][6] == "85.0 → 90.4"


def test_detail_acknowledge_and_close_forms(client, salesperson, warnings):
    warning = warnings[0]
    client.force_login(salesperson)
    page = client.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert 'id="warning-acknowledge"' in page and 'id="warning-close"' in page
    client.post(f"/monitoring/warnings/{warning.pk}/acknowledge/", {"note": ""})
    refused = client.post(f"/monitoring/warnings/{warning.pk}/close/", {"note": ""}, follow=True)
    assert "A closing note is required." in refused.content.decode()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED
    client.post(f"/monitoring/warnings/{warning.pk}/close/", {"note": "已催收"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED and warning.close_note == "已催收"
    page = client.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert 'id="warning-close"' not in page and "已催收" in page


def test_others_cannot_open_or_act_on_a_warning(client, other_salesperson, warnings):
    warning = warnings[0]
    client.force_login(other_salesperson)
    assert client.get(f"/monitoring/warnings/{warning.pk}/").status_code == 404
    response = client.post(f"/monitoring/warnings/{warning.pk}/close/", {"note": "x"})
    assert response.status_code == 404
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    assert not Event.objects.filter(object_id=warning.pk).exists()


def test_pages_are_forbidden_without_the_view_permission(client, warehouse):
    client.force_login(warehouse)
    for url in ("/monitoring/", "/monitoring/indicators/", "/monitoring/indicators/overdue_days/"):
        assert client.get(url).status_code == 403


def test_indicator_list_and_history(client, it_admin, warnings):
    client.force_login(it_admin)
    response = client.post("/monitoring/run/", follow=True)
    page = response.content.decode()
    assert "Checks run: 9 indicators" in page
    assert "Credit utilisation" in page and "Failed sign-ins" in page and "ok" in page
    history = client.get("/monitoring/indicators/credit_utilisation/").content.decode()
    assert "甲公司" in history and "丙公司" in history
    assert client.get("/monitoring/indicators/nope/").status_code == 404


def test_only_it_admins_run_the_checks_from_the_page(client, salesperson):
    client.force_login(salesperson)
    page = client.post("/monitoring/run/", follow=True).content.decode()
    assert "You may not run the monitoring checks." in page


def test_navigation_entry(client, salesperson):
    client.force_login(salesperson)
    assert 'href="/monitoring/"' in client.get("/monitoring/indicators/").content.decode()


def test_acknowledge_from_the_board_returns_to_it(client, salesperson, warnings):
    warning = warnings[0]
    client.force_login(salesperson)
    board = client.get("/monitoring/?level=warning").content.decode()
    assert f'action="/monitoring/warnings/{warning.pk}/acknowledge/"' in board
    url = f"/monitoring/warnings/{warning.pk}/acknowledge/"
    response = client.post(url, {"next": "/monitoring/?level=warning"})
    assert response.url == "/monitoring/?level=warning"
    other = warnings[1]
    response = client.post(
        f"/monitoring/warnings/{other.pk}/acknowledge/", {"next": "https://evil.example/"}
    )
    assert response.url == f"/monitoring/warnings/{other.pk}/"
    statuses = set(
        type(warning).objects.filter(pk__in=[warning.pk, other.pk]).values_list("status", flat=True)
    )
    assert statuses == {"acknowledged"}
    assert "Acknowledge</button>" not in client.get("/monitoring/?level=warning").content.decode()
