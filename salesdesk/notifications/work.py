"""Work items of the outbox: each failed e-mail waits for someone who may retry it (U5)."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from salesdesk.notifications import selectors
from salesdesk.notifications.models import EmailState
from salesdesk.notifications.workflow import RETRY
from salesdesk.workqueue.registry import WorkItem, provider


@provider
def failed_email_items(user: Any) -> list[WorkItem]:
    """Failed e-mails, due from the moment they failed, for people holding the retry right."""
    if getattr(user, "is_system", False) or not user.has_perm(RETRY):
        return []
    url = f"{reverse('notifications:outbox')}?{urlencode({'state': EmailState.FAILED})}"
    return [
        WorkItem(
            key=f"email.failed:{email.pk}",
            title=_("E-mail to %(to)s failed") % {"to": email.recipients_masked},
            url=url,
            kind=_("E-mail"),
            due_at=email.last_attempt_at or email.updated_at,
            assignee=_("Administrator"),
            detail=email.subject,
            extra={"email_id": email.pk, "last_error": email.last_error},
        )
        for email in selectors.failed_email_list()
    ]
