"""Risks waiting for their owner (R1.1, R1.2): identified ones to assess, assessed ones to
treat, each due `risk.step_days` after the last step."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.risk.models import Risk, RiskStatus
from salesdesk.workqueue.registry import WorkItem, provider

MAX_ITEMS = 30
STEPS = {
    RiskStatus.IDENTIFIED: _("Assess risk %(number)s"),
    RiskStatus.ASSESSED: _("Plan the response to risk %(number)s"),
}


@provider
def risks_waiting(user):
    if not user.has_perm("risk.change_risk"):
        return []
    days = timedelta(days=policies.value("risk.step_days"))
    risks = Risk.objects.filter(owner=user, status__in=list(STEPS)).order_by("created_at")
    return [
        WorkItem(
            key=f"risk.step:{risk.pk}:{risk.status}",
            title=STEPS[risk.status] % {"number": risk.number},
            url=reverse("risk:detail", args=[risk.pk]),
            kind=_("Risk"),
            due_at=(risk.assessed_at or risk.created_at) + days,
            assignee=str(risk.owner),
            detail=risk.title,
        )
        for risk in risks[:MAX_ITEMS]
    ]
