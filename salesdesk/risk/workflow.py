"""The risk lifecycle (R1.1, R1.2): identified → assessed → treated → monitored → closed.

Assessing again from any open state sends a risk back to `assessed`; a closed risk can be
reopened. The service guards (ratings present, a response plan, a closing note) live in
services.py; this table is data only.
"""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.risk.models import RiskStatus as S
from salesdesk.risk.policies import can_edit

OPEN = (S.IDENTIFIED, S.ASSESSED, S.TREATED, S.MONITORED)

RISK = Workflow(
    name="risk",
    state_field="status",
    states=S,
    transitions=(
        Transition(
            "assess", OPEN, S.ASSESSED, "risk.change_risk", "risk.assessed", _("Assess"), can_edit
        ),
        Transition(
            "treat",
            (S.ASSESSED,),
            S.TREATED,
            "risk.change_risk",
            "risk.treated",
            _("Start treatment"),
            can_edit,
        ),
        Transition(
            "monitor",
            (S.TREATED,),
            S.MONITORED,
            "risk.change_risk",
            "risk.monitored",
            _("Monitor"),
            can_edit,
        ),
        Transition(
            "close", OPEN, S.CLOSED, "risk.change_risk", "risk.closed", _("Close"), can_edit
        ),
        Transition(
            "reopen",
            (S.CLOSED,),
            S.IDENTIFIED,
            "risk.change_risk",
            "risk.reopened",
            _("Reopen"),
            can_edit,
        ),
    ),
)
