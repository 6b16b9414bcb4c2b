"""Inspections, findings and corrective actions (E1.1): workflows, rules, the work queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from salesdesk.notifications.models import Notification
from salesdesk.supervision import services
from salesdesk.supervision.models import (
    ActionStatus,
    CorrectiveAction,
    Finding,
    InspectionPlan,
    PlanStatus,
)
from salesdesk.supervision.workflow import ACTION, PLAN
from salesdesk.testing.workflow import assert_transition_table
from salesdesk.workqueue.registry import items_for

pytestmark = [pytest.mark.django_db, pytest.mark.req("E1.1")]


def today():
    return timezone.localdate()


@pytest.fixture
def plan(supervisor):
    return services.plan_create(
        actor=supervisor,
        data={
            "title": "Q1 order review",
            "scope": "Orders entered in Q1",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "checklist": ["O2", "K4.1"],
        },
    )


@pytest.fixture
def finding(plan, supervisor):
    return services.finding_create(
        actor=supervisor,
        plan_id=plan.pk,
        data={
            "severity": "high",
            "requirement": "O2.1",
            "description": "Orders approved over the credit limit without a release.",
            "evidence": [{"url": "/orders/1/", "label": "SO-1"}],
        },
    )


@pytest.fixture
def action(finding, supervisor, sales_admin):
    return services.action_create(
        actor=supervisor,
        finding_id=finding.pk,
        data={
            "description": "Re-train on credit holds",
            "owner": sales_admin.pk,
            "due_date": (today() + timedelta(days=7)).isoformat(),
        },
    )


def test_plan_checklist_is_built_from_requirement_ids(plan):
    items = list(plan.checklist.values_list("requirement", flat=True))
    assert items == ["O2.1", "O2.2", "O2.3", "K4.1"]
    assert plan.number.startswith("IP-")
    event = Event.objects.get(verb="inspection.planned")
    assert event.data == {"checklist": items}


def test_refuses_unknown_requirement_ids_and_changes_nothing(supervisor):
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(
            actor=supervisor,
            data={
                "title": "x",
                "scope": "y",
                "period_start": "2026-03-31",
                "period_end": "2026-03-01",
                "checklist": ["O9.9"],
            },
        )
    assert set(caught.value.extra["fields"]) == {"checklist", "period_end"}
    assert not InspectionPlan.objects.exists() and not Event.objects.exists()


def test_only_the_supervision_group_plans_inspections(sales_admin):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=sales_admin, data={})
    assert not InspectionPlan.objects.exists() and not Event.objects.exists()


def test_finding_evidence_links_stay_inside_salesdesk(plan, supervisor):
    before = Event.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.finding_create(
            actor=supervisor,
            plan_id=plan.pk,
            data={"severity": "grave", "description": "", "evidence": ["javascript:alert(1)"]},
        )
    assert set(caught.value.extra["fields"]) == {"severity", "description", "evidence"}
    assert not Finding.objects.exists() and Event.objects.count() == before


def test_no_findings_on_a_completed_inspection(plan, supervisor):
    services.plan_transition(actor=supervisor, plan_id=plan.pk, action="start")
    services.plan_transition(actor=supervisor, plan_id=plan.pk, action="complete", note="Done")
    plan.refresh_from_db()
    assert (plan.status, plan.conclusion) == (PlanStatus.COMPLETED, "Done")
    with pytest.raises(Conflict):
        services.finding_create(
            actor=supervisor, plan_id=plan.pk, data={"severity": "low", "description": "late"}
        )


def test_action_is_assigned_and_waits_in_the_owners_work_queue(action, sales_admin):
    assert action.status == ActionStatus.OPEN
    [item] = [i for i in items_for(sales_admin) if i.key == f"supervision.action:{action.pk}"]
    assert not item.is_overdue()
    assert Notification.objects.filter(recipient=sales_admin).count() == 1


def test_a_past_due_action_is_flagged_overdue_in_the_owners_queue(action, sales_admin, salesperson):
    CorrectiveAction.objects.filter(pk=action.pk).update(due_date=today() - timedelta(days=1))
    items = items_for(sales_admin)
    assert items[0].key == f"supervision.action:{action.pk}"  # overdue first
    assert items[0].is_overdue() and items[0].extra["overdue"] is True
    assert not [i for i in items_for(salesperson) if i.key.startswith("supervision.action")]


def test_refuses_a_due_date_in_the_past_and_an_owner_without_a_role(finding, supervisor, outsider):
    with pytest.raises(ValidationFailed) as caught:
        services.action_create(
            actor=supervisor,
            finding_id=finding.pk,
            data={"description": "x", "owner": outsider.pk, "due_date": "2020-01-01"},
        )
    assert sorted(caught.value.extra["fields"]) == ["due_date", "owner"]
    assert not CorrectiveAction.objects.exists()


def test_owner_reports_done_supervision_verifies_and_closes(action, sales_admin, supervisor):
    services.action_transition(
        actor=sales_admin, action_id=action.pk, transition="submit", note="Trained 3 people"
    )
    assert [i.key for i in items_for(supervisor) if i.key.startswith("supervision.verify")] == [
        f"supervision.verify:{action.pk}"
    ]
    with pytest.raises(PermissionDenied):
        services.action_transition(actor=sales_admin, action_id=action.pk, transition="verify")
    services.action_transition(actor=supervisor, action_id=action.pk, transition="verify")
    services.action_transition(actor=supervisor, action_id=action.pk, transition="close")
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    assert action.result_note == "Trained 3 people" and action.verified_at is not None
    verbs = list(
        Event.objects.filter(object_id=action.pk, verb__startswith="corrective_action")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "corrective_action.assigned",
        "corrective_action.submitted",
        "corrective_action.verified",
        "corrective_action.closed",
    ]


def test_only_the_owner_reports_an_action_done(action, salesperson, sales_manager):
    before = Event.objects.count()
    with pytest.raises(Exception) as caught:
        services.action_transition(actor=salesperson, action_id=action.pk, transition="submit")
    assert type(caught.value).__name__ == "NotFound"  # not theirs: not even visible
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and Event.objects.count() == before


def test_plan_transition_table(supervisor):
    def make(state):
        return InspectionPlan.objects.create(
            number=f"IP-{InspectionPlan.objects.count()}",
            title="t",
            scope="s",
            period_start=today(),
            period_end=today(),
            status=state,
            lead=supervisor,
            created_by=supervisor,
        )

    assert_transition_table(PLAN, make_subject=make, actor=supervisor)


def test_action_transition_table(finding, supervisor):
    owner = UserFactory(username="owner-sup", roles=["supervisor"])

    def make(state):
        return CorrectiveAction.objects.create(
            number=f"CA-{CorrectiveAction.objects.count()}",
            finding=finding,
            description="d",
            owner=owner,
            due_date=today(),
            status=state,
            created_by=supervisor,
        )

    assert_transition_table(ACTION, make_subject=make, actor=owner)
