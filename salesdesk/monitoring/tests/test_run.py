"""A scheduled run: exactly one live warning per (indicator, subject), updated not duplicated,
none below the threshold; escalation, clearing, work queue and notifications (R3.1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.customers.models import Customer
from salesdesk.monitoring.models import EarlyWarning, IndicatorState, Level, WarningStatus
from salesdesk.monitoring.services import monitoring_run, warning_close
from salesdesk.monitoring.tests.conftest import failed_login, overdue_invoice
from salesdesk.notifications.models import Notification, OutboundEmail
from salesdesk.workqueue.registry import items_for

pytestmark = [pytest.mark.req("R3.1"), pytest.mark.django_db]


def live(code: str):
    return EarlyWarning.objects.filter(indicator=code, status__in=["open", "acknowledged"])


def test_crossing_raises_exactly_one_warning_and_the_next_run_updates_it(
    utilised, run, salesperson
):
    result = run("credit_utilisation")
    assert (result.observed, result.raised, result.warning, result.critical) == (1, 1, 1, 0)
    warning = live("credit_utilisation").get()
    assert warning.subject_key == f"customer:{utilised.pk}"
    assert (warning.level, warning.value, warning.threshold) == (
        Level.WARNING,
        Decimal("90.4"),
        Decimal("80"),
    )
    assert (warning.owner, warning.owner_role) == (salesperson, "finance")
    assert Event.objects.filter(verb="warning.raised", object_id=warning.pk).count() == 1

    Customer.objects.filter(pk=utilised.pk).update(credit_limit=Decimal("240"))
    second = run("credit_utilisation", now=timezone.now() + timedelta(minutes=15))
    assert (second.raised, second.updated) == (0, 1)
    assert live("credit_utilisation").count() == 1
    warning.refresh_from_db()
    assert warning.value == Decimal("94.2")
    assert warning.trend_values == ["90.4", "94.2"]
    assert Event.objects.filter(verb="warning.raised").count() == 1


def test_no_warning_below_the_threshold(utilised, run, set_policy):
    set_policy("monitoring.credit_utilisation.warning", "95")
    result = run("credit_utilisation")
    assert (result.observed, result.raised) == (1, 0)
    assert not EarlyWarning.objects.exists()
    assert IndicatorState.objects.get(code="credit_utilisation").last_status == "ok"


def test_escalates_to_critical_once_and_notifies_again(utilised, run, salesperson):
    run("credit_utilisation")
    Customer.objects.filter(pk=utilised.pk).update(credit_limit=Decimal("200"))
    result = run("credit_utilisation")
    warning = live("credit_utilisation").get()
    assert (warning.level, warning.threshold, result.critical) == (Level.CRITICAL, 100, 1)
    assert Event.objects.filter(verb="warning.escalated", object_id=warning.pk).count() == 1
    run("credit_utilisation")
    assert Event.objects.filter(verb="warning.escalated").count() == 1
    titles = list(
        Notification.objects.filter(recipient=salesperson, url__startswith="/monitoring/")
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert len(titles) == 2 and titles[-1].startswith("Critical")


def test_falling_back_marks_it_cleared_but_keeps_it_for_closing(utilised, run):
    run("credit_utilisation")
    Customer.objects.filter(pk=utilised.pk).update(credit_limit=Decimal("1000"))
    result = run("credit_utilisation")
    warning = live("credit_utilisation").get()
    assert result.cleared == 1 and warning.cleared_at is not None
    assert warning.status == WarningStatus.OPEN and warning.value == Decimal("22.6")
    assert (result.warning, result.critical) == (0, 0)
    Customer.objects.filter(pk=utilised.pk).update(credit_limit=Decimal("250"))
    run("credit_utilisation")
    warning.refresh_from_db()
    assert warning.cleared_at is None and live("credit_utilisation").count() == 1
    assert Event.objects.filter(verb="warning.reappeared", object_id=warning.pk).count() == 1


def test_a_subject_that_disappears_is_cleared(run):
    failed_login("mallory", "10.9.9.9", 6)
    run("failed_logins")
    assert set(live("failed_logins").values_list("subject_key", flat=True)) == {
        "username:mallory",
        "ip:10.9.9.9",
    }
    result = run("failed_logins", now=timezone.now() + timedelta(hours=2))
    assert result.cleared == 2
    assert not live("failed_logins").filter(cleared_at=None).exists()


def test_after_closing_a_new_crossing_raises_a_new_warning(utilised, run, salesperson):
    run("credit_utilisation")
    first = live("credit_utilisation").get()
    warning_close(actor=salesperson, warning_id=first.pk, note="客戶已付款")
    run("credit_utilisation")
    assert EarlyWarning.objects.filter(indicator="credit_utilisation").count() == 2
    assert live("credit_utilisation").count() == 1


def test_the_database_refuses_a_second_live_warning(utilised, run):
    run("credit_utilisation")
    first = live("credit_utilisation").get()
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlyWarning.objects.create(
            indicator=first.indicator,
            subject_key=first.subject_key,
            subject_label="dup",
            level=Level.WARNING,
            value=1,
            threshold=1,
            first_seen_at=timezone.now(),
            last_seen_at=timezone.now(),
        )


def test_owner_gets_work_item_and_notification(utilised, run, salesperson, finance, legal):
    run("credit_utilisation")
    warning = live("credit_utilisation").get()
    note = Notification.objects.get(recipient=salesperson, url__startswith="/monitoring/")
    assert note.url == f"/monitoring/warnings/{warning.pk}/"
    assert "Credit utilisation" in note.title
    assert note.body == "Value 90.4 % of the credit limit, threshold 80."
    assert not Notification.objects.filter(recipient=finance).exists()  # only when critical
    item = next(i for i in items_for(salesperson) if i.key == f"monitoring.warning:{warning.pk}")
    assert item.detail.endswith("Warning 90.4") and item.assignee == "sales1"
    assert f"monitoring.warning:{warning.pk}" in {item.key for item in items_for(finance)}
    assert f"monitoring.warning:{warning.pk}" not in {item.key for item in items_for(legal)}
    assert not OutboundEmail.objects.filter(subject__contains="Credit").exists()


def test_role_owned_critical_warning_notifies_and_emails_the_role(run, it_admin, set_policy):
    set_policy("monitoring.failed_logins.critical", "5")
    failed_login("mallory", "10.9.9.9", 6)
    run("failed_logins")
    assert live("failed_logins").filter(level=Level.CRITICAL).count() == 2
    assert Notification.objects.filter(recipient=it_admin).count() == 2
    assert [email.to for email in OutboundEmail.objects.all()] == [it_admin.email] * 2
    assert len([i for i in items_for(it_admin) if i.key.startswith("monitoring.")]) == 2


def test_monitoring_run_skips_switched_off_indicators(utilised, system_user, set_policy):
    set_policy("monitoring.credit_utilisation.enabled", False)
    codes = [r.code for r in monitoring_run(actor=system_user)]
    assert "credit_utilisation" not in codes and len(codes) == 8
    assert not EarlyWarning.objects.exists()


def test_monitoring_run_refuses_people_without_the_permission(salesperson):
    from salesdesk.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        monitoring_run(actor=salesperson)
    assert not IndicatorState.objects.exists()


def test_a_failing_check_is_recorded_and_the_others_still_run(system_user, monkeypatch):
    from salesdesk.monitoring import indicators

    broken = indicators.indicator("overdue_days")

    def explode(context):
        raise RuntimeError("database gone")

    monkeypatch.setitem(
        indicators._REGISTRY, "overdue_days", type(broken)(**{**broken.__dict__, "check": explode})
    )
    results = {r.code: r for r in monitoring_run(actor=system_user)}
    assert results["overdue_days"].error == "RuntimeError: database gone"
    assert IndicatorState.objects.get(code="overdue_days").last_status == "error"
    assert IndicatorState.objects.get(code="overdue_amount").last_status == "ok"


def test_cli_runs_one_indicator(customer, salesperson, capsys):
    overdue_invoice(customer, salesperson, gross="20000", days=3)
    call_command("monitor", "run", "--indicator", "overdue_amount")
    assert "overdue_amount: measured 1, raised 1" in capsys.readouterr().out
    call_command("monitor", "list")
    assert "overdue_amount [on] warning 10000" in capsys.readouterr().out


def test_an_unchanged_value_only_moves_the_measured_time(utilised, run):
    run("credit_utilisation")
    warning = live("credit_utilisation").get()
    later = timezone.now() + timedelta(minutes=15)
    result = run("credit_utilisation", now=later)
    assert (result.raised, result.updated) == (0, 1)
    warning.refresh_from_db()
    assert warning.last_seen_at == later and warning.trend_values == ["90.4"]
    assert Event.objects.filter(object_id=warning.pk, verb__startswith="warning.").count() == 1


def test_checks_are_scheduled_every_15_minutes_as_the_system_user(utilised):
    from salesdesk.core import schedule
    from salesdesk.monitoring.tasks import monitoring_run_task

    entry = {s.name: s for s in schedule.schedules()}["monitoring.run"]
    assert entry.interval == timedelta(minutes=15) and entry.task is monitoring_run_task
    assert monitoring_run_task.call() == 1
    assert live("credit_utilisation").get().trend_values == ["90.4"]


def test_many_new_warnings_reach_an_owner_as_one_summary(it_admin, run):
    for n in range(4):
        failed_login(f"user{n}", f"10.1.1.{n}", 6)  # 8 subjects: 4 usernames, 4 addresses
    run("failed_logins")
    assert live("failed_logins").count() == 8
    notes = Notification.objects.filter(recipient=it_admin)
    assert notes.count() == 1
    note = notes.get()
    assert note.title == "8 new early warnings: Failed sign-ins"
    assert note.url == "/monitoring/?indicator=failed_logins" and note.body == "0 of them critical."
