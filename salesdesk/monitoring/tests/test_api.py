"""The monitoring API (R3.1) and its permission matrix (least privilege).

A warning of sales1's customer (owner sales1, co-owned by finance) and a failed-login
warning owned by the IT administrators: owners see and work theirs (sales1, finance, and
sales1's team leads); IT administrators see and work all; management and the supervisor
see all and act on none; everyone else sees nothing. Refusals change nothing, write no event.
"""

import pytest

from salesdesk.audit.models import Event
from salesdesk.monitoring.models import EarlyWarning
from salesdesk.monitoring.tests.conftest import make_warning

pytestmark = [pytest.mark.req("R3.1"), pytest.mark.django_db]

# persona: (list count or 403, GET credit warning, acknowledge it, GET login warning)
EXPECTED = {
    "salesperson": (1, 200, 200, 404),
    "sales_manager": (1, 200, 200, 404),
    "sales_admin": (1, 200, 200, 404),
    "finance": (1, 200, 200, 404),
    "it_admin": (2, 200, 200, 200),
    "management": (2, 200, 403, 200),
    "supervisor": (2, 200, 403, 200),
    "other_salesperson": (0, 404, 404, 404),
    "legal": (0, 404, 404, 404),
    "warehouse": (403, 404, 404, 404),
    "outsider": (403, 404, 404, 404),
}


@pytest.fixture
def world(salesperson):
    return {
        "credit": make_warning(owner=salesperson, owner_role="finance"),
        "logins": make_warning(
            indicator="failed_logins", subject_key="ip:10.0.0.9", owner_role="admin"
        ),
    }


def _state():
    return sorted(EarlyWarning.objects.values_list("pk", "status")), Event.objects.count()


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_permission_matrix(world, client, request, persona):
    listed, get, acknowledge, get_logins = EXPECTED[persona]
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/api/v1/warnings")
    assert (response.json()["count"] if response.status_code == 200 else 403) == listed
    credit, logins = world["credit"], world["logins"]
    assert client.get(f"/api/v1/warnings/{credit.pk}").status_code == get
    assert client.get(f"/api/v1/warnings/{logins.pk}").status_code == get_logins
    before = _state()
    url = f"/api/v1/warnings/{credit.pk}/acknowledge"
    response = client.post(url, {"note": "看到了"}, content_type="application/json")
    assert response.status_code == acknowledge
    if acknowledge != 200:
        assert _state() == before


def test_list_detail_actions_and_events(world, client, salesperson):
    client.force_login(salesperson)
    credit = world["credit"]
    page = client.get("/api/v1/warnings", {"indicator": "credit_utilisation", "level": "warning"})
    item = page.json()["items"][0]
    assert item["id"] == credit.pk and item["trend"] == ["85.0", "90.4"]
    assert item["indicator_label"] == "Credit utilisation" and item["owner"] == "sales1"
    assert item["available_actions"] == ["acknowledge", "close"]
    assert client.get("/api/v1/warnings", {"level": "critical"}).json()["count"] == 0
    url = f"/api/v1/warnings/{credit.pk}"
    missing = client.post(f"{url}/close", {"note": ""}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["extra"]["fields"]["note"]
    done = client.post(f"{url}/close", {"note": "已收款"}, content_type="application/json")
    assert done.json()["status"] == "closed" and done.json()["available_actions"] == []
    again = client.post(f"{url}/close", {"note": "再次"}, content_type="application/json")
    assert again.status_code == 409
    events = client.get(f"{url}/events").json()
    assert [e["verb"] for e in events] == ["warning.closed"]
    assert client.get("/api/v1/warnings").json()["count"] == 0
    assert client.get("/api/v1/warnings", {"status": ""}).json()["count"] == 1


def test_indicators_with_thresholds_and_history(world, client, it_admin, run):
    client.force_login(it_admin)
    run("failed_logins")
    indicators = {i["code"]: i for i in client.get("/api/v1/indicators").json()}
    assert len(indicators) == 9
    logins = indicators["failed_logins"]
    assert (logins["warning_threshold"], logins["critical_threshold"]) == ("5", "20")
    assert logins["last_status"] == "ok" and logins["open_warning"] == 1
    assert indicators["contracts_expiring"]["direction"] == "below"
    history = client.get("/api/v1/indicators/failed_logins/history").json()
    assert history["count"] == 1 and history["runs"][0]["observed"] == 0
    assert client.get("/api/v1/indicators/nope/history").status_code == 404


def test_indicators_need_the_view_permission(client, warehouse):
    client.force_login(warehouse)
    assert client.get("/api/v1/indicators").status_code == 403
