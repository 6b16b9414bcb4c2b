"""The daily check for scheduled evaluation runs, as the system user (E2.3)."""

from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.supervision.evaluation_services import scheduled_runs


@task()
def evaluation_scheduled_task() -> int:
    return len(scheduled_runs(actor=system_user()))
