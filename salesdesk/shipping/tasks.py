"""Daily shipping jobs, as the system user: late-shipment alerts (S3.2), surveys (S4.3)."""

from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.shipping.services import shipments_late_alert, survey_send


@task()
def shipments_late_alert_task() -> int:
    return shipments_late_alert(actor=system_user())


@task()
def survey_send_task() -> int:
    return survey_send(actor=system_user())
