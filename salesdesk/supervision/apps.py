from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "salesdesk.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation
        from salesdesk.supervision import (  # noqa: F401  (registrations; E2.3 models)
            demo,
            evaluation_models,
            rules,
            services,
            work,
        )
        from salesdesk.supervision.workflow import ACTION, PLAN

        navigation.register(
            _("KPIs"), "supervision:dashboard", permission="supervision.view_kpis", order=85
        )
        # A sales manager sees the same page with their own team's figures.
        navigation.register(
            _("KPIs"), "supervision:dashboard", permission="supervision.view_team_kpis", order=85
        )
        navigation.register(
            _("Inspections"),
            "supervision:plans",
            permission="supervision.view_inspectionplan",
            order=86,
        )
        navigation.register(
            _("Corrective actions"),
            "supervision:actions",
            permission="supervision.work_correctiveaction",
            order=87,
        )
        self._ready_evaluation(navigation, verbs)
        for transition in (*PLAN.transitions, *ACTION.transitions):
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)

    def _ready_evaluation(self, navigation, verbs) -> None:
        """Evaluations (E2.3, E3.1): navigation, the daily schedule check, event labels."""
        from datetime import time

        from salesdesk.core import schedule
        from salesdesk.supervision import evaluation_demo, evaluation_policies  # noqa: F401
        from salesdesk.supervision.evaluation_tasks import evaluation_scheduled_task
        from salesdesk.supervision.evaluation_workflow import EVALUATION

        navigation.register(_("Evaluations"), "supervision:evaluations", permission=None, order=88)
        navigation.register(
            _("Process improvements"),
            "supervision:improvements",
            permission="supervision.view_processimprovement",
            order=89,
        )
        schedule.register(
            "supervision.evaluations", evaluation_scheduled_task, daily_at=time(3, 15)
        )
        for transition in EVALUATION.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in evaluation_policies.EVENT_LABELS.items():
            verbs.register(verb, label)
