"""The outbox lifecycle: queued → sent, or failed after the last attempt (DESIGN §2)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.notifications.models import EmailState

SEND = "notifications.send_outboundemail"
RETRY = "notifications.retry_outboundemail"
CANCEL = "notifications.cancel_outboundemail"

OUTBOX = Workflow(
    name="outbound_email",
    state_field="state",
    states=EmailState,
    transitions=(
        Transition(
            "send", (EmailState.QUEUED,), EmailState.SENT, SEND, "email.sent", label=_("send")
        ),
        Transition(
            "fail",
            (EmailState.QUEUED,),
            EmailState.FAILED,
            SEND,
            "email.failed",
            label=_("mark as failed"),
        ),
        Transition(
            "retry",
            (EmailState.FAILED,),
            EmailState.QUEUED,
            RETRY,
            "email.requeued",
            label=_("retry"),
        ),
        Transition(
            "cancel",
            (EmailState.QUEUED, EmailState.FAILED),
            EmailState.CANCELLED,
            CANCEL,
            "email.cancelled",
            label=_("cancel"),
        ),
    ),
)

VERB_LABELS = {
    "email.queued": _("E-mail queued"),
    "email.sent": _("E-mail sent"),
    "email.failed": _("E-mail failed"),
    "email.requeued": _("E-mail queued again"),
    "email.cancelled": _("E-mail cancelled"),
}
