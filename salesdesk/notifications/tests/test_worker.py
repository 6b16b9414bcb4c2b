import io
import threading
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from salesdesk.core.management.commands.worker import scheduler_loop
from salesdesk.core.models import ScheduleState
from salesdesk.notifications import services
from salesdesk.notifications.models import EmailState

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_worker_sends_a_queued_email_end_to_end(settings, sales_admin):
    settings.TASKS = DB_TASKS
    email = services.email_queue(
        to="buyer@example.com", subject="Shipping notice", body="On its way.", actor=sales_admin
    )
    queued = DBTaskResult.objects.filter(task_path="salesdesk.notifications.tasks.email_send_task")
    assert queued.count() == 1
    email.refresh_from_db()
    assert email.state == EmailState.QUEUED
    assert mail.outbox == []

    call_command("worker", "--batch", stdout=io.StringIO())

    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["Shipping notice"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # The batch run also started the due schedules once.
    assert ScheduleState.objects.filter(name="notifications.outbox_flush").exists()


@pytest.mark.django_db(transaction=True)
def test_worker_without_scheduler_only_runs_jobs(settings, sales_admin):
    settings.TASKS = DB_TASKS
    services.email_queue(to="buyer@example.com", subject="Hi", body="", actor=sales_admin)
    call_command("worker", "--batch", "--no-scheduler", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert not ScheduleState.objects.exists()


def test_worker_refuses_a_backend_that_is_not_the_database():
    with pytest.raises(CommandError, match=r"not django_tasks_db\.DatabaseBackend"):
        call_command("worker", "--batch")


@pytest.mark.parametrize("interval", ["0", "61", "soon"])
def test_worker_refuses_a_bad_interval(interval):
    with pytest.raises(CommandError, match="--interval"):
        call_command("worker", "--interval", interval)


@pytest.mark.django_db(transaction=True)
def test_scheduler_thread_runs_due_schedules_and_stops():
    stop = threading.Event()
    thread = threading.Thread(target=scheduler_loop, args=(stop, 0.05), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not ScheduleState.objects.filter(name="notifications.outbox_flush").exists():
        assert time.monotonic() < deadline, "the scheduler thread never ran"
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
