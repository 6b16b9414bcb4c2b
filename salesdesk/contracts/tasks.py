"""Daily contract jobs: expiry (K3.3) and overdue-obligation alerts (K4.2), as the system."""

from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.contracts.services import contracts_expire, obligations_alert


@task()
def contracts_expire_task() -> int:
    return contracts_expire(actor=system_user())


@task()
def obligations_alert_task() -> int:
    return obligations_alert(actor=system_user())
