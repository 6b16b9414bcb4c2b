"""Career development plans (T3.1): goals, reviews (next review in the reviewer's queue),
promotion history, all audited; only managers of the person edit."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.training import services_career as career
from salesdesk.training.models import CareerPlan
from salesdesk.workqueue.registry import items_for

pytestmark = pytest.mark.req("T3.1")


def _reviews(user):
    return [i for i in items_for(user) if i.key.startswith("training.review:")]


def test_plan_goals_reviews_promotions_and_queue(sales_manager, salesperson):
    due = timezone.localdate() + timedelta(days=3)
    plan = career.plan_create(
        actor=sales_manager,
        person_id=salesperson.pk,
        data={"current_title": "業務助理", "next_review_on": due},
    )
    [item] = _reviews(sales_manager)
    assert item.due_at.date() == due
    assert _reviews(salesperson) == []
    goal = career.goal_add(
        actor=sales_manager,
        plan_id=plan.pk,
        data={"text": "掌握數據分析", "target_date": "2027-06-30"},
    )
    career.goal_set_status(actor=sales_manager, goal_id=goal.pk, status="achieved")
    career.review_record(
        actor=sales_manager,
        plan_id=plan.pk,
        data={
            "held_on": timezone.localdate().isoformat(),
            "next_review_on": (due + timedelta(days=90)).isoformat(),
        },
    )
    [item] = _reviews(sales_manager)
    assert item.due_at.date() == due + timedelta(days=90)
    career.promotion_record(
        actor=sales_manager,
        plan_id=plan.pk,
        data={
            "promoted_on": date(2026, 7, 1),
            "from_title": "業務助理",
            "to_title": "銷售內勤主管",
        },
    )
    plan.refresh_from_db()
    assert plan.current_title == "銷售內勤主管"
    verbs = set(Event.objects.filter(object_id=str(plan.pk)).values_list("verb", flat=True))
    assert {
        "training.plan_created",
        "training.goal_added",
        "training.goal_status",
        "training.review_recorded",
        "training.promoted",
    } <= verbs


def test_salesperson_cannot_edit_plans(sales_manager, salesperson, other_salesperson):
    plan = career.plan_create(actor=sales_manager, person_id=salesperson.pk, data={})
    events = Event.objects.count()
    with pytest.raises(PermissionDenied):
        career.goal_add(actor=salesperson, plan_id=plan.pk, data={"text": "x"})
    with pytest.raises(PermissionDenied):
        career.plan_create(actor=salesperson, person_id=other_salesperson.pk, data={})
    assert Event.objects.count() == events
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(other_salesperson)
    assert web.get(f"/training/plans/{plan.pk}/").status_code == 404
    web.force_login(salesperson)
    assert web.get(f"/training/plans/{plan.pk}/").status_code == 200
    assert web.post(f"/training/plans/{plan.pk}/goal/", {"text": "x"}).status_code == 403


def test_review_validation_names_field_and_changes_nothing(sales_manager, salesperson):
    plan = career.plan_create(actor=sales_manager, person_id=salesperson.pk, data={})
    events = Event.objects.count()
    with pytest.raises(ValidationFailed) as failure:
        career.review_record(
            actor=sales_manager,
            plan_id=plan.pk,
            data={"held_on": "2026-05-01", "next_review_on": "2026-04-01"},
        )
    assert "next_review_on" in failure.value.extra["fields"]
    with pytest.raises(ValidationFailed) as failure:
        career.promotion_record(actor=sales_manager, plan_id=plan.pk, data={"promoted_on": "x"})
    assert {"promoted_on", "from_title", "to_title"} <= set(failure.value.extra["fields"])
    assert Event.objects.count() == events
    assert CareerPlan.objects.get().reviews.count() == 0


def test_career_plan_api_and_pages(sales_manager, salesperson):
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(sales_manager)
    created = web.post(
        "/api/v1/career-plans", {"person": salesperson.pk}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    goal = web.post(
        f"/api/v1/career-plans/{pid}/goals", {"text": "CRM 認證"}, content_type="application/json"
    )
    assert goal.status_code == 201
    assert len(web.get("/api/v1/career-plans").json()) == 1
    assert web.get(f"/training/plans/{pid}/").status_code == 200
    response = web.post(f"/training/plans/{pid}/review/", {"held_on": "2026-01-05"})
    assert response.status_code == 302
    assert web.get(f"/api/v1/career-plans/{pid}/events").status_code == 200
