"""Supervision pages (E1.1, E2.1): dashboard, KPI drill-down with export, inspection and
corrective-action pages with filters, sorting, export and permissions."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from salesdesk.supervision import services
from salesdesk.supervision.models import CorrectiveAction, InspectionPlan
from salesdesk.supervision.tests.history import at, event, order

pytestmark = [pytest.mark.django_db]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.req("E2.1")
def test_dashboard_shows_every_kpi_with_target(supervisor, salesperson):
    response = _client(supervisor).get("/supervision/?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    html = response.content.decode()
    for key in (
        "order_processing_cycle_time-review",
        "order_processing_cycle_time-allocation",
        "orders_reviewed_within_sla",
        "verbal_orders_confirmed_on_time",
        "on_time_shipment_rate",
        "contract_execution_rate",
        "contract_archiving_on_time",
        "customer_satisfaction",
        "data_accuracy",
        "collection_rate",
    ):
        assert f'id="kpi-{key}"' in html
    assert _client(salesperson).get("/supervision/").status_code == 403


@pytest.mark.req("E2.2")
def test_kpi_page_drills_down_and_exports(customer, salesperson, sales_admin, supervisor):
    o = order(customer, salesperson)
    event(o, "order.submitted", at(3, 2, 8), salesperson)
    event(o, "order.approved", at(3, 2, 20), sales_admin)  # 12 h: misses the 8 h SLA
    client = _client(supervisor)
    url = "/supervision/kpis/orders_reviewed_within_sla/?from=2026-03-01&to=2026-03-31"
    page = client.get(url + f"&group_by=person&group={sales_admin.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert o.number in html and f"/orders/{o.pk}/" in html
    export = client.get(url + "&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"] == XLSX
    assert client.get("/supervision/kpis/nothing/").status_code == 422


@pytest.mark.req("E1.1")
def test_plan_pages_create_list_and_export(supervisor, sales_admin):
    client = _client(supervisor)
    response = client.post(
        "/supervision/plans/new/",
        {
            "title": "Verbal orders",
            "scope": "All verbal orders",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "checklist": ["O1.2"],
            "checklist_more": "C1.4",
        },
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/plans/{plan.pk}/"
    assert list(plan.checklist.values_list("requirement", flat=True)) == ["C1.4", "O1.2"]
    detail = client.get(f"/supervision/plans/{plan.pk}/").content.decode()
    assert ("O1.2" in detail and "inspection-timeline" in detail) or "timeline" in detail
    listing = client.get("/supervision/plans/?q=Verbal&sort=-number")
    assert plan.number in listing.content.decode()
    assert client.get("/supervision/plans/?export=xlsx")["Content-Type"] == XLSX
    assert _client(sales_admin).get("/supervision/plans/").status_code == 403
    assert _client(sales_admin).get("/supervision/plans/new/").status_code == 403


@pytest.mark.req("E1.1")
def test_owner_sees_and_reports_their_action_past_due_flagged(supervisor, sales_admin, salesperson):
    plan = services.plan_create(
        actor=supervisor,
        data={
            "title": "t",
            "scope": "s",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "checklist": ["U5"],
        },
    )
    finding = services.finding_create(
        actor=supervisor, plan_id=plan.pk, data={"severity": "low", "description": "d"}
    )
    action = services.action_create(
        actor=supervisor,
        finding_id=finding.pk,
        data={
            "description": "Fix",
            "owner": sales_admin.pk,
            "due_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
        },
    )
    CorrectiveAction.objects.filter(pk=action.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    owner = _client(sales_admin)
    listing = owner.get("/supervision/actions/?overdue=1").content.decode()
    assert action.number in listing and "past due" in listing
    assert owner.get("/supervision/actions/?export=xlsx")["Content-Type"] == XLSX
    home = owner.get("/").content.decode()
    assert action.number in home
    owner.post(f"/supervision/actions/{action.pk}/submit/", {"note": "fixed"})
    action.refresh_from_db()
    assert action.status == "submitted"
    assert _client(salesperson).get(f"/supervision/actions/{action.pk}/").status_code == 404


@pytest.mark.req("E1.1")
def test_checklist_finding_and_action_forms(supervisor, sales_admin):
    plan = services.plan_create(
        actor=supervisor,
        data={
            "title": "t",
            "scope": "s",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "checklist": ["K3.1"],
        },
    )
    client = _client(supervisor)
    item = plan.checklist.get()
    client.post(f"/supervision/checklist/{item.pk}/", {"result": "failed", "note": "缺附件"})
    item.refresh_from_db()
    assert (item.result, item.note) == ("failed", "缺附件")
    bad = client.post(f"/supervision/plans/{plan.pk}/findings/new/", {"severity": "x"})
    assert bad.status_code == 200 and not plan.findings.exists()
    client.post(
        f"/supervision/plans/{plan.pk}/findings/new/",
        {
            "severity": "high",
            "requirement": "K3.1",
            "description": "補充協議未歸檔",
            "evidence_url": ["/files/7/", ""],
            "evidence_label": ["掃描檔", ""],
        },
    )
    finding = plan.findings.get()
    assert finding.evidence == [{"url": "/files/7/", "label": "掃描檔"}]
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/supervision/findings/{finding.pk}/actions/new/",
        {"description": "歸檔", "owner": sales_admin.pk, "due_date": due},
    )
    assert response.status_code == 302
    assert finding.actions.get().owner == sales_admin
    page = client.get(f"/supervision/plans/{plan.pk}/").content.decode()
    assert "/files/7/" in page and finding.number in page
