"""The scheduled monitoring run (R3.1), as the system user."""

from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.monitoring.services import monitoring_run


@task()
def monitoring_run_task() -> int:
    """Run every enabled indicator; returns how many warnings were raised."""
    return sum(result.raised for result in monitoring_run(actor=system_user()))
