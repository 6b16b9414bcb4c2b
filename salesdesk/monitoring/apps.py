from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "salesdesk.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and early warning")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation, schedule
        from salesdesk.monitoring import demo, work  # noqa: F401  (registrations)
        from salesdesk.monitoring.definitions import register_all
        from salesdesk.monitoring.policies import VIEW
        from salesdesk.monitoring.tasks import monitoring_run_task
        from salesdesk.monitoring.workflow import EVENT_LABELS, WARNING

        register_all()
        navigation.register(_("Early warnings"), "monitoring:board", permission=VIEW, order=82)
        schedule.register("monitoring.run", monitoring_run_task, interval=timedelta(minutes=15))
        for transition in WARNING.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in EVENT_LABELS.items():
            verbs.register(verb, label)
