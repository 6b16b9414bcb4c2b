from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "salesdesk.risk"
    label = "risk"
    verbose_name = _("Risk management")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation, schedule
        from salesdesk.risk import demo, rules, work  # noqa: F401  (registrations)
        from salesdesk.risk.tasks import credit_scores_recompute_task
        from salesdesk.risk.workflow import RISK

        navigation.register(_("Risks"), "risk:list", permission="risk.view_risk", order=80)
        navigation.register(
            _("Risk heat map"), "risk:heatmap", permission="risk.view_risk", order=81
        )
        schedule.register("risk.credit_scores", credit_scores_recompute_task, daily_at=time(2, 30))
        for transition in RISK.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
