"""The work-orders JSON API (O3.1, O4.1): department queues, accept with a promised date,
progress, done, declined; `available_actions` per caller; refusals change nothing."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.workorders.models import WorkOrder
from salesdesk.workorders.services import work_order_create

pytestmark = pytest.mark.req("O3.1", "O4.1")

URL = "/api/v1/work-orders"


@pytest.fixture
def producer(db):
    return UserFactory(username="prod1", roles=["production"], department__code="production")


@pytest.fixture
def works(producer, warehouse):
    soon = timezone.localdate() + timedelta(days=3)
    return {
        "production": work_order_create(actor=producer, kind="production", needed_by=soon),
        "picking": work_order_create(
            actor=producer, kind="picking", needed_by=soon + timedelta(days=1)
        ),
    }


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _promised(days: int = 5) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


class Unchanged:
    def __init__(self, work):
        self.work = work
        self.before = model_to_dict(WorkOrder.objects.get(pk=work.pk))
        self.events = Event.objects.count()

    def check(self) -> None:
        assert model_to_dict(WorkOrder.objects.get(pk=self.work.pk)) == self.before
        assert Event.objects.count() == self.events


@pytest.mark.parametrize(
    ("persona", "numbers"),
    [
        ("producer", ["production"]),
        ("warehouse", ["picking"]),
        ("sales_admin", ["production", "picking"]),
        ("supervisor", ["production", "picking"]),
        ("salesperson", []),
        ("outsider", []),
    ],
)
def test_queue_is_the_department_or_everything_for_overseers(
    client, works, request, persona, numbers
):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(URL).json()
    assert body["count"] == len(numbers)
    assert [item["number"] for item in body["items"]] == [works[n].number for n in numbers]


def test_queue_filters(client, works, sales_admin, producer):
    client.force_login(sales_admin)
    assert [i["kind"] for i in client.get(URL, {"role": "warehouse"}).json()["items"]] == [
        "picking"
    ]
    assert client.get(URL, {"kind": "production"}).json()["count"] == 1
    client.force_login(producer)
    _post(client, f"{URL}/{works['production'].pk}/decline", {"reason": "停產"})
    client.force_login(sales_admin)
    assert client.get(URL, {"status": "active"}).json()["count"] == 1
    assert client.get(URL, {"status": "declined"}).json()["count"] == 1
    assert client.get(URL, {"status": "lost"}).status_code == 422
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [i["kind"] for i in page["items"]] == ["picking"]


def test_other_departments_work_order_is_404(client, works, warehouse):
    client.force_login(warehouse)
    work = works["production"]
    unchanged = Unchanged(work)
    assert client.get(f"{URL}/{work.pk}").status_code == 404
    response = _post(client, f"{URL}/{work.pk}/accept", {"promised_date": _promised()})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    unchanged.check()


def test_overseer_sees_but_may_not_act(client, works, sales_admin):
    client.force_login(sales_admin)
    work = works["production"]
    assert client.get(f"{URL}/{work.pk}").json()["available_actions"] == []
    unchanged = Unchanged(work)
    response = _post(client, f"{URL}/{work.pk}/accept", {"promised_date": _promised()})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    unchanged.check()


def test_accept_progress_complete_with_actions_at_each_step(client, works, producer):
    client.force_login(producer)
    url = f"{URL}/{works['production'].pk}"
    assert client.get(url).json()["available_actions"] == ["accept", "decline"]
    accepted = _post(client, f"{url}/accept", {"promised_date": _promised(), "note": "排產"})
    body = accepted.json()
    assert (body["status"], body["promised_date"], body["assignee"]) == (
        "accepted",
        _promised(),
        "prod1",
    )
    assert body["available_actions"] == ["progress", "complete", "decline"]
    body = _post(client, f"{url}/progress", {"progress": 40, "note": "進行中"}).json()
    assert (body["status"], body["progress"]) == ("in_progress", 40)
    assert body["available_actions"] == ["progress", "complete"]
    body = _post(client, f"{url}/complete", {"note": "完工"}).json()
    assert (body["status"], body["progress"], body["result_note"]) == ("done", 100, "完工")
    assert body["available_actions"] == []
    verbs = [e["verb"] for e in client.get(f"{url}/events").json()]
    assert verbs == [
        "workorder.done",
        "workorder.progress",
        "workorder.started",
        "workorder.accepted",
        "workorder.created",
    ]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("accept", {"promised_date": "2020-01-01"}, "promised_date"),
        ("accept", {"promised_date": "soon"}, "promised_date"),
        ("accept", {}, "promised_date"),
        ("progress", {"progress": 140}, "progress"),
        ("decline", {"reason": " "}, "reason"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, works, producer, action, body, field):
    client.force_login(producer)
    work = works["production"]
    if action == "progress":
        _post(client, f"{URL}/{work.pk}/accept", {"promised_date": _promised()})
    unchanged = Unchanged(work)
    response = _post(client, f"{URL}/{work.pk}/{action}", body)
    assert response.status_code == 422
    extra = response.json()["extra"]
    assert field in extra.get("fields", {}) or extra.get("field") == field
    unchanged.check()


def test_wrong_state_is_409(client, works, producer):
    client.force_login(producer)
    work = works["production"]
    unchanged = Unchanged(work)
    response = _post(client, f"{URL}/{work.pk}/complete")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    unchanged.check()


def test_decline_with_reason(client, works, warehouse):
    client.force_login(warehouse)
    response = _post(client, f"{URL}/{works['picking'].pk}/decline", {"reason": "庫位封存"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["result_note"]) == ("declined", "庫位封存")
