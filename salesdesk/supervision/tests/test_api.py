"""KPIs and inspections over HTTP (E1.1, E2.2): values, drill-down, 422s, permissions,
and the inspection lifecycle with its events."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.supervision.models import InspectionPlan
from salesdesk.supervision.tests.history import at, event, order

pytestmark = [pytest.mark.django_db]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def approvals(customer, salesperson, sales_admin):
    for day, hours in ((2, 4), (3, 10)):
        o = order(customer, salesperson)
        event(o, "order.submitted", at(3, day, 8), salesperson)
        event(o, "order.approved", at(3, day, 8 + hours), sales_admin)


@pytest.mark.req("E2.2")
def test_kpi_by_person_and_its_records(approvals, supervisor, sales_admin):
    client = _client(supervisor)
    response = client.get(
        "/api/v1/kpis",
        {
            "kpi": "order_processing_cycle_time",
            "group_by": "person",
            "from": "2026-03-01",
            "to": "2026-03-31",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["span"], body["unit"], body["direction"], body["target"]) == (
        "review",
        "hours",
        "lower",
        "8",
    )
    [row] = body["rows"]
    assert row == {
        "person": sales_admin.pk,
        "label": str(sales_admin),
        "count": 2,
        "value": "7.00",
        "p90": "10.00",
        "target": "8",
        "met": True,
    }
    records = client.get(
        "/api/v1/kpis/order_processing_cycle_time/records",
        {"group_by": "person", "group": sales_admin.pk, "from": "2026-03-01", "to": "2026-03-31"},
    ).json()
    assert records["count"] == 2
    assert [r["value"] for r in records["items"]] == ["4.00", "10.00"]
    assert all(r["url"].startswith("/orders/") and r["in_numerator"] for r in records["items"])


@pytest.mark.req("E2.2")
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kpi": "speed"}, "kpi"),
        ({"kpi": "collection_rate", "group_by": "region"}, "group_by"),
        ({"kpi": "collection_rate", "from": "2026-13-01"}, "from"),
        ({"kpi": "collection_rate", "from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"kpi": "order_processing_cycle_time", "span": "shipping"}, "span"),
    ],
)
def test_bad_kpi_requests_are_422_naming_the_field(supervisor, query, field):
    response = _client(supervisor).get("/api/v1/kpis", query)
    assert response.status_code == 422
    assert response.json()["extra"]["field"] == field


@pytest.mark.req("E2.2")
def test_kpis_are_for_supervision_and_management_only(salesperson, supervisor):
    assert _client(salesperson).get("/api/v1/kpis", {"kpi": "data_accuracy"}).status_code == 403
    response = _client(supervisor).get("/api/v1/kpis", {"kpi": "data_accuracy"})
    assert response.status_code == 200
    assert response.json()["from"] == timezone.localdate().replace(day=1).isoformat()


@pytest.mark.req("E1.1")
def test_inspection_lifecycle_over_http(supervisor, sales_admin, salesperson):
    client = _client(supervisor)
    created = client.post(
        "/api/v1/inspections",
        {
            "title": "Contracts",
            "scope": "Archiving",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "checklist": ["K2.2", "K3"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert [c["requirement"] for c in plan["checklist"]] == ["K2.2", "K3.1", "K3.2", "K3.3"]
    assert plan["available_actions"] == ["start", "cancel"]
    pid = plan["id"]
    check = plan["checklist"][0]["id"]
    assert (
        client.post(
            f"/api/v1/inspections/{pid}/start", {}, content_type="application/json"
        ).status_code
        == 200
    )
    checked = client.post(
        f"/api/v1/inspections/{pid}/checklist/{check}",
        {"result": "failed", "note": "2 originals missing"},
        content_type="application/json",
    )
    assert checked.json()["checklist"][0]["result"] == "failed"
    finding = client.post(
        f"/api/v1/inspections/{pid}/findings",
        {
            "severity": "medium",
            "description": "Originals not back",
            "requirement": "K2.2",
            "evidence": [{"url": "/contracts/1/", "label": "CT-1"}],
        },
        content_type="application/json",
    ).json()
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    action = client.post(
        f"/api/v1/findings/{finding['id']}/corrective-actions",
        {"description": "Chase originals", "owner": sales_admin.pk, "due_date": due},
        content_type="application/json",
    )
    assert action.status_code == 201, action.content
    aid = action.json()["id"]
    owner = _client(sales_admin)
    mine = owner.get("/api/v1/corrective-actions").json()
    assert [a["id"] for a in mine["items"]] == [aid]
    assert mine["items"][0]["available_actions"] == ["submit"]
    assert (
        owner.post(
            f"/api/v1/corrective-actions/{aid}/submit",
            {"note": "done"},
            content_type="application/json",
        ).json()["status"]
        == "submitted"
    )
    assert owner.get(f"/api/v1/inspections/{pid}").status_code == 403
    assert _client(salesperson).get(f"/api/v1/corrective-actions/{aid}").status_code == 404
    verbs = [e["verb"] for e in client.get(f"/api/v1/corrective-actions/{aid}/events").json()]
    assert verbs == ["corrective_action.submitted", "corrective_action.assigned"]
    plan_verbs = [e["verb"] for e in client.get(f"/api/v1/inspections/{pid}/events").json()]
    assert plan_verbs == ["inspection.checked", "inspection.started", "inspection.planned"]
    assert client.get(f"/api/v1/findings/{finding['id']}/events").status_code == 200


@pytest.mark.req("E1.1")
def test_inspection_create_422_and_403_change_nothing(supervisor, sales_admin):
    bad = _client(supervisor).post(
        "/api/v1/inspections",
        {
            "title": "",
            "scope": "s",
            "period_start": "x",
            "period_end": "2026-01-01",
            "checklist": ["Z9"],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["extra"]["fields"]) == {"title", "period_start", "checklist"}
    refused = _client(sales_admin).post(
        "/api/v1/inspections",
        {
            "title": "t",
            "scope": "s",
            "period_start": "2026-01-01",
            "period_end": "2026-01-02",
            "checklist": ["O"],
        },
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not InspectionPlan.objects.exists() and not Event.objects.exists()
