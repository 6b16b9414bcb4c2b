"""Evaluation runs (E2.3): snapshots that later data does not change, met/missed by
direction, the workflow, scheduled runs once per period, refusals and permissions."""

from datetime import date, timedelta

import pytest

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.analytics.slicing import Period
from salesdesk.audit.models import Event
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.core.policies import policy_set
from salesdesk.notifications.models import Notification
from salesdesk.supervision import evaluation_selectors as selectors
from salesdesk.supervision import evaluation_services as services
from salesdesk.supervision.evaluation_models import (
    EvaluationResult,
    EvaluationRun,
    RunKind,
    RunStatus,
)
from salesdesk.supervision.evaluation_workflow import EVALUATION
from salesdesk.supervision.kpis import kpi_get, kpi_values
from salesdesk.supervision.tests.history import at, event, order, shipment
from salesdesk.testing.workflow import assert_transition_table

pytestmark = [pytest.mark.django_db, pytest.mark.req("E2.3")]
MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}
FIELDS = ("kpi_key", "scope", "group_key", "value", "numerator", "denominator", "p90")
FIELDS_MORE = ("count", "target", "met", "direction", "group_label")


@pytest.fixture
def management(db):
    return UserFactory(username="boss", roles=["management"], department__code="mgmt")


@pytest.fixture
def history(customer, salesperson, sales_admin, sales_manager):
    """March: sales_admin ships 1 of 2 on time (50 %), sales_manager 1 of 1 (100 %);
    reviews: sales_admin approves after 2 h, sales_manager after 20 h (target 8 h)."""
    o = order(customer, salesperson)
    s1 = shipment(o, sales_admin, date(2026, 3, 10))
    shipment(o, sales_admin, date(2026, 3, 12))  # never delivered: a miss
    s3 = shipment(o, sales_manager, date(2026, 3, 20))
    event(s1, "shipment.delivered", at(3, 9), sales_admin)
    event(s3, "shipment.delivered", at(3, 19), sales_manager)
    fast, slow = order(customer, salesperson), order(customer, salesperson)
    event(fast, "order.submitted", at(3, 2, 9), salesperson)
    event(fast, "order.approved", at(3, 2, 11), sales_admin)
    event(slow, "order.submitted", at(3, 3, 8), salesperson)
    event(slow, "order.approved", at(3, 4, 4), sales_manager)
    return o


def snapshot(run) -> list[tuple]:
    rows = EvaluationResult.objects.filter(run=run).order_by("pk")
    return [tuple(getattr(r, f) for f in FIELDS + FIELDS_MORE) for r in rows]


def result(run, kpi_key, scope, key):
    return EvaluationResult.objects.get(run=run, kpi_key=kpi_key, scope=scope, group_key=key)


def test_compute_stores_every_kpi_per_person_team_and_department(history, supervisor):
    run = services.run_create(actor=supervisor, data=MARCH)
    assert (run.status, run.kind) == (RunStatus.COMPUTED, RunKind.AD_HOC)
    scopes = set(run.results.values_list("scope", flat=True))
    assert scopes == {"person", "team", "department"}
    kpis = set(run.results.values_list("kpi_key", flat=True))
    assert {"on_time_shipment_rate", "order_processing_cycle_time:review"} <= kpis
    verbs = list(
        Event.objects.filter(object_id=run.pk, verb__startswith="evaluation.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["evaluation.created", "evaluation.computed"]


def test_met_and_missed_follow_the_direction(history, supervisor, sales_admin, sales_manager):
    run = services.run_create(actor=supervisor, data=MARCH)
    # Higher is better: 50 % < 95 % missed, 100 % met; numerator/denominator copied.
    admin = result(run, "on_time_shipment_rate", "person", sales_admin.pk)
    assert (admin.value, admin.numerator, admin.denominator) == (50, 1, 2)
    assert (admin.target, admin.direction, admin.met) == (95, "higher", False)
    assert result(run, "on_time_shipment_rate", "person", sales_manager.pk).met is True
    # Lower is better: 2 h ≤ 8 h met, 20 h > 8 h missed.
    key = "order_processing_cycle_time:review"
    fast = result(run, key, "person", sales_admin.pk)
    assert (fast.value, fast.direction, fast.met) == (2, "lower", True)
    assert result(run, key, "person", sales_manager.pk).met is False
    department = result(run, "on_time_shipment_rate", "department", sales_admin.department_id)
    assert department.group_label == str(sales_admin.department)


def test_snapshot_does_not_change_when_later_data_arrives(
    history, supervisor, sales_admin, it_admin
):
    run = services.run_create(actor=supervisor, data=MARCH)
    before = snapshot(run)
    kpi = kpi_get("on_time_shipment_rate")
    live_before = kpi_values(kpi, Period(date(2026, 3, 1), date(2026, 3, 31)), "person")
    # Later: a late delivery recorded, another shipment due in March, the target raised.
    late = shipment(history, sales_admin, date(2026, 3, 25))
    event(late, "shipment.delivered", at(4, 2), sales_admin)
    policy_set(key=kpi.policy_key, raw_value="99", actor=it_admin)
    live_after = kpi_values(kpi, Period(date(2026, 3, 1), date(2026, 3, 31)), "person")
    assert live_after != live_before
    services.run_transition(actor=supervisor, run_id=run.pk, action="publish")
    assert snapshot(run) == before
    assert result(run, "on_time_shipment_rate", "person", sales_admin.pk).target == 95


def test_transition_table(supervisor):
    def make(state):
        return EvaluationRun.objects.create(
            number=f"EV-T-{EvaluationRun.objects.count()}",
            kind=RunKind.AD_HOC,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            status=state,
            created_by=supervisor,
        )

    counts = assert_transition_table(
        EVALUATION,
        make_subject=make,
        actor=supervisor,
        apply=lambda obj, t, user: services.run_transition(
            actor=user, run_id=obj.pk, action=t.name
        ),
    )
    assert counts == {"allowed": 4, "refused": 8}


def test_scheduled_runs_once_per_period(supervisor, system_user):
    created = services.scheduled_runs(actor=system_user, today=date(2026, 4, 1))
    assert sorted((r.kind, r.period_start, r.period_end) for r in created) == [
        (RunKind.MONTHLY, date(2026, 3, 1), date(2026, 3, 31)),
        (RunKind.QUARTERLY, date(2026, 1, 1), date(2026, 3, 31)),
    ]
    assert all(r.status == RunStatus.COMPUTED for r in created)
    events = Event.objects.count()
    assert services.scheduled_runs(actor=system_user, today=date(2026, 4, 2)) == []
    assert services.scheduled_runs(actor=system_user, today=date(2026, 4, 20)) == []
    assert EvaluationRun.objects.count() == 2 and Event.objects.count() == events
    # May: only the month (no quarter), an ad-hoc run of April does not count.
    services.run_create(
        actor=supervisor, data={"period_start": "2026-04-01", "period_end": "2026-04-30"}
    )
    [may] = services.scheduled_runs(actor=system_user, today=date(2026, 5, 1))
    assert (may.kind, may.period_start) == (RunKind.MONTHLY, date(2026, 4, 1))


def test_scheduled_run_waits_for_the_policy_day(system_user, it_admin):
    policy_set(key=services.MONTHLY_DAY, raw_value="5", actor=it_admin)
    policy_set(key=services.QUARTERLY, raw_value="false", actor=it_admin)
    assert services.scheduled_runs(actor=system_user, today=date(2026, 7, 4)) == []
    [run] = services.scheduled_runs(actor=system_user, today=date(2026, 7, 5))
    assert (run.kind, run.period_start, run.period_end) == (
        RunKind.MONTHLY,
        date(2026, 6, 1),
        date(2026, 6, 30),
    )


def _nothing_changed(runs: int, events: int) -> None:
    assert EvaluationRun.objects.count() == runs
    assert Event.objects.count() == events


def test_refusals_change_nothing_and_write_no_event(supervisor, salesperson, history):
    run = services.run_create(actor=supervisor, data=MARCH)
    runs, events, results = (
        EvaluationRun.objects.count(),
        Event.objects.count(),
        run.results.count(),
    )
    with pytest.raises(PermissionDenied):
        services.run_create(actor=salesperson, data=MARCH)
    with pytest.raises(ValidationFailed) as bad:
        services.run_create(
            actor=supervisor, data={"period_start": "2026-03-31", "period_end": "2026-03-01"}
        )
    assert "period_end" in bad.value.extra["fields"]
    with pytest.raises(ValidationFailed) as missing:
        services.run_create(actor=supervisor, data={"period_start": "x"})
    assert set(missing.value.extra["fields"]) == {"period_start", "period_end"}
    future = (date.today() + timedelta(days=40)).isoformat()
    with pytest.raises(ValidationFailed):
        services.run_create(actor=supervisor, data={"period_start": future, "period_end": future})
    with pytest.raises(PermissionDenied):
        services.run_transition(actor=salesperson, run_id=run.pk, action="publish")
    with pytest.raises(Exception) as again:
        services.run_transition(actor=supervisor, run_id=run.pk, action="compute")
    assert again.value.code == "invalid_transition"
    _nothing_changed(runs, events)
    assert run.results.count() == results
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_people_see_their_own_published_results_only(
    history, supervisor, management, sales_admin, sales_manager, salesperson
):
    run = services.run_create(actor=management, data=MARCH)
    assert selectors.run_list(user=sales_admin).count() == 0  # not published yet
    services.run_transition(actor=management, run_id=run.pk, action="publish")
    assert list(selectors.run_list(user=sales_admin)) == [run]
    told = Notification.objects.filter(recipient=sales_admin, url__endswith=f"/{run.pk}/")
    assert told.count() == 1
    assert not Notification.objects.filter(recipient=salesperson).exists()
    mine = selectors.run_results(user=sales_admin, run=run)
    assert {(r.scope, r.person_id) for r in mine} == {("person", sales_admin.pk)}
    assert selectors.run_list(user=salesperson).count() == 0  # no results of theirs
    everything = selectors.run_results(user=supervisor, run=run)
    assert {r.scope for r in everything} == {"person", "team", "department"}


def test_demo_loads_a_published_evaluation(capsys):
    from django.core.management import call_command

    call_command("demo", "--once")
    assert "1 demo evaluation" in capsys.readouterr().out
    run = EvaluationRun.objects.get()
    assert run.status == RunStatus.PUBLISHED and run.results.exists()


def test_the_daily_job_is_registered_and_runs_as_the_system_user():
    from datetime import time

    from salesdesk.core import schedule
    from salesdesk.supervision.evaluation_tasks import evaluation_scheduled_task

    job = {s.name: s for s in schedule.schedules()}["supervision.evaluations"]
    assert job.daily_at == time(3, 15)
    created = evaluation_scheduled_task.call()
    assert created == EvaluationRun.objects.count() >= 1
    assert evaluation_scheduled_task.call() == 0
    assert {r.created_by.username for r in EvaluationRun.objects.all()} == {"system"}
