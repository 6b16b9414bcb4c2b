"""The early-warning lifecycle (R3.1): open → acknowledged → closed with a note; an open
warning may be closed at once. Only its owners (or those who see every warning) act on it."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.monitoring.models import WarningStatus as S
from salesdesk.monitoring.policies import ACKNOWLEDGE, CLOSE, owns

WARNING = Workflow(
    name="early_warning",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "acknowledge",
            (S.OPEN,),
            S.ACKNOWLEDGED,
            ACKNOWLEDGE,
            "warning.acknowledged",
            _("Acknowledge"),
            check=owns,
        ),
        Transition(
            "close",
            (S.OPEN, S.ACKNOWLEDGED),
            S.CLOSED,
            CLOSE,
            "warning.closed",
            _("Close"),
            check=owns,
        ),
    ),
)

EVENT_LABELS = {
    "warning.raised": _("Warning raised"),
    "warning.escalated": _("Warning escalated"),
    "warning.cleared": _("Back within threshold"),
    "warning.reappeared": _("Beyond threshold again"),
}
