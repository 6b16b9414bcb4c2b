"""Background jobs of the outbox: load by id, call a service, act as the system user."""

from django.utils import timezone
from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.notifications import selectors, services


@task()
def email_send_task(email_id: int) -> str:
    """Try to send one e-mail now; returns its state afterwards."""
    email = services.email_deliver(email_id=email_id, actor=system_user())
    return email.state


@task()
def outbox_flush_task() -> int:
    """Hand every queued e-mail whose next attempt is due to the worker (run every minute)."""
    email_ids = selectors.outbox_due_ids(now=timezone.now())
    for email_id in email_ids:
        email_send_task.enqueue(email_id)
    return len(email_ids)
