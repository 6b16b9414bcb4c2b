from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "salesdesk.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation
        from salesdesk.supervision import demo, rules, services, work  # noqa: F401  (registrations)
        from salesdesk.supervision.workflow import ACTION, PLAN

        navigation.register(
            _("KPIs"), "supervision:dashboard", permission="supervision.view_kpis", order=85
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
        for transition in (*PLAN.transitions, *ACTION.transitions):
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
