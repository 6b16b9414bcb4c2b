# ruff: noqa: F811  (fixtures shared from test_evaluation)
"""Evaluations over the API and pages (E2.3, E3.1): run, publish, results by who asks,
commendations and corrective measures (reaching the work queue), the improvement log."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from salesdesk.audit.models import Event
from salesdesk.supervision import evaluation_services as services
from salesdesk.supervision import services as supervision_services
from salesdesk.supervision.evaluation_models import (
    EvaluationMeasure,
    EvaluationRun,
    ProcessImprovement,
)
from salesdesk.supervision.models import CorrectiveAction
from salesdesk.supervision.tests.test_evaluation import MARCH, history, management  # noqa: F401
from salesdesk.supervision.views_evaluation import result_cells
from salesdesk.workqueue.registry import items_for

pytestmark = [pytest.mark.django_db]
JSON = "application/json"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def finding(supervisor):
    plan = supervision_services.plan_create(
        actor=supervisor,
        data={
            "title": "March review",
            "scope": "Shipments",
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "checklist": ["S"],
        },
    )
    return supervision_services.finding_create(
        actor=supervisor,
        plan_id=plan.pk,
        data={"severity": "medium", "requirement": "", "description": "Late deliveries."},
    )


@pytest.mark.req("E2.3")
def test_api_runs_publishes_and_scopes_results(history, supervisor, sales_admin, salesperson):
    api = _client(supervisor)
    response = api.post("/api/v1/evaluations", {**MARCH, "note": "March"}, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    run_id = body["id"]
    assert body["status"] == "computed" and body["available_actions"] == ["publish", "archive"]
    shipment = [
        r
        for r in body["results"]
        if r["kpi"] == "on_time_shipment_rate"
        and r["scope"] == "person"
        and r["group"] == sales_admin.pk
    ]
    assert shipment[0]["value"] == "50.0000" and shipment[0]["met"] is False
    assert api.get("/api/v1/evaluations", {"status": "computed"}).json()["count"] == 1
    # Not published: the person does not see it; a salesperson may not run one.
    assert _client(sales_admin).get(f"/api/v1/evaluations/{run_id}").status_code == 404
    runs, events = EvaluationRun.objects.count(), Event.objects.count()
    refused = _client(salesperson).post("/api/v1/evaluations", MARCH, content_type=JSON)
    assert refused.status_code == 403
    assert (EvaluationRun.objects.count(), Event.objects.count()) == (runs, events)
    bad = api.post(
        "/api/v1/evaluations",
        {"period_start": "2026-03-31", "period_end": "2026-03-01"},
        content_type=JSON,
    )
    assert bad.status_code == 422 and "period_end" in bad.json()["extra"]["fields"]
    published = api.post(f"/api/v1/evaluations/{run_id}/publish", {}, content_type=JSON)
    assert published.json()["status"] == "published"
    mine = _client(sales_admin).get(f"/api/v1/evaluations/{run_id}").json()
    assert {(r["scope"], r["group"]) for r in mine["results"]} == {("person", sales_admin.pk)}
    assert _client(sales_admin).get(f"/api/v1/evaluations/{run_id}/events").status_code == 404
    verbs = [e["verb"] for e in api.get(f"/api/v1/evaluations/{run_id}/events").json()]
    assert "evaluation.published" in verbs


@pytest.mark.req("E3.1")
def test_measures_commend_and_assign_a_corrective_action(
    history, supervisor, management, sales_admin, sales_manager, finding
):
    run = services.run_create(actor=management, data=MARCH)
    good = run.results.get(
        kpi_key="on_time_shipment_rate", scope="person", person_id=sales_manager.pk
    )
    weak = run.results.get(
        kpi_key="on_time_shipment_rate", scope="person", person_id=sales_admin.pk
    )
    praise = _client(management).post(
        f"/api/v1/evaluations/{run.pk}/measures",
        {"result": good.pk, "kind": "commendation", "note": "All shipments on time."},
        content_type=JSON,
    )
    assert praise.status_code == 201 and praise.json()["person"] == sales_manager.username
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    measure = {
        "result": weak.pk,
        "kind": "corrective_measure",
        "note": "Confirm carrier bookings daily.",
        "create_action": True,
        "finding": finding.pk,
        "due_date": due,
    }
    # A commendation cannot create a corrective action: refused, nothing written.
    measures, events = EvaluationMeasure.objects.count(), Event.objects.count()
    refused = _client(supervisor).post(
        f"/api/v1/evaluations/{run.pk}/measures",
        {**measure, "kind": "commendation"},
        content_type=JSON,
    )
    assert refused.status_code == 422 and "create_action" in refused.json()["extra"]["fields"]
    assert (EvaluationMeasure.objects.count(), Event.objects.count()) == (measures, events)
    response = _client(supervisor).post(
        f"/api/v1/evaluations/{run.pk}/measures", measure, content_type=JSON
    )
    assert response.status_code == 201, response.content
    action = CorrectiveAction.objects.get(number=response.json()["corrective_action"])
    assert (action.owner, action.finding) == (sales_admin, finding)
    assert [i for i in items_for(sales_admin) if i.key == f"supervision.action:{action.pk}"]
    verbs = set(Event.objects.filter(object_id=run.pk).values_list("verb", flat=True))
    assert {"evaluation.commended", "evaluation.corrective_measure"} <= verbs


@pytest.mark.req("E3.1")
def test_improvement_log_links_a_finding_to_the_change(finding, management, salesperson):
    api = _client(management)
    today = timezone.localdate().isoformat()
    response = api.post(
        "/api/v1/improvements",
        {
            "finding": finding.pk,
            "change_kind": "policy",
            "policy_key": "supervision.target.on_time_shipment_rate",
            "new_value": "97",
            "description": "Raise the on-time target.",
            "requirements": ["S1"],
            "changed_on": today,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["finding"], body["old_value"], body["new_value"]) == (finding.number, "95", "97")
    assert body["requirements"] and all(r.startswith("S1") for r in body["requirements"])
    entries, events = ProcessImprovement.objects.count(), Event.objects.count()
    bad = api.post(
        "/api/v1/improvements",
        {
            "finding": finding.pk,
            "change_kind": "policy",
            "policy_key": "no.such.policy",
            "description": "x",
            "requirements": ["Z9"],
            "changed_on": today,
        },
        content_type=JSON,
    )
    assert bad.status_code == 422
    assert {"policy_key", "new_value", "requirements"} <= set(bad.json()["extra"]["fields"])
    forbidden = _client(salesperson).post(
        "/api/v1/improvements",
        {
            "finding": finding.pk,
            "change_kind": "procedure",
            "description": "x",
            "changed_on": today,
        },
        content_type=JSON,
    )
    assert forbidden.status_code == 403
    assert (ProcessImprovement.objects.count(), Event.objects.count()) == (entries, events)
    assert _client(salesperson).get("/api/v1/improvements").status_code == 403
    assert api.get("/api/v1/improvements", {"q": finding.number}).json()["count"] == 1


@pytest.mark.req("E2.3")
def test_pages_list_detail_and_export_as_shown(history, supervisor, sales_admin, salesperson):
    page = _client(supervisor)
    response = page.post("/supervision/evaluations/new/", MARCH)
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and response.url == f"/supervision/evaluations/{run.pk}/"
    listing = page.get("/supervision/evaluations/", {"kind": "ad_hoc", "sort": "number"})
    assert run.number in listing.content.decode()
    exported = page.get("/supervision/evaluations/", {"export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(exported.streaming_content))).active
    assert sheet.cell(row=2, column=1).value == run.number
    detail = page.get(f"/supervision/evaluations/{run.pk}/").content.decode()
    for table in ("person", "team", "department"):
        assert f'id="results-table-{table}"' in detail
    export = page.get(f"/supervision/evaluations/{run.pk}/", {"scope": "person", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(export.streaming_content))).active.values)
    shown = [
        result_cells(r)
        for r in run.results.filter(scope="person").order_by("kpi_key", "group_label", "pk")
    ]
    assert [list(r) for r in rows[1:]] == [[c if c != "" else None for c in s] for s in shown]
    assert _client(salesperson).get("/supervision/evaluations/new/").status_code == 403
    assert _client(sales_admin).get(f"/supervision/evaluations/{run.pk}/").status_code == 404
    page.post(f"/supervision/evaluations/{run.pk}/publish/", {"note": ""})
    own = _client(sales_admin).get(f"/supervision/evaluations/{run.pk}/").content.decode()
    assert 'id="results-table-person"' in own and 'id="results-table-department"' not in own


@pytest.mark.req("E3.1")
def test_measure_and_improvement_pages(history, supervisor, sales_admin, finding):
    page = _client(supervisor)
    run = services.run_create(actor=supervisor, data=MARCH)
    weak = run.results.get(
        kpi_key="on_time_shipment_rate", scope="person", person_id=sales_admin.pk
    )
    url = f"/supervision/evaluations/{run.pk}/results/{weak.pk}/measure/"
    assert page.get(url).status_code == 200
    response = page.post(url, {"kind": "corrective_measure", "note": "Book carriers daily."})
    assert response.status_code == 302
    assert EvaluationMeasure.objects.get().person == sales_admin
    assert page.get("/supervision/improvements/new/").status_code == 200
    response = page.post(
        "/supervision/improvements/new/",
        {
            "finding": finding.pk,
            "change_kind": "procedure",
            "description": "Carrier bookings are checked every morning.",
            "requirements": "S1.1",
            "changed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    listing = page.get("/supervision/improvements/", {"change_kind": "procedure"})
    assert ProcessImprovement.objects.get().number in listing.content.decode()
    exported = page.get("/supervision/improvements/", {"export": "xlsx"})
    assert exported.status_code == 200
