from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "salesdesk.reports"
    label = "reports"
    verbose_name = _("Analysis reports")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation, schedule
        from salesdesk.reports import policies  # noqa: F401  (registers the policies)
        from salesdesk.reports.tasks import reports_daily_task
        from salesdesk.reports.workflow import VERB_LABELS, VIEW

        navigation.register(_("Analysis reports"), "reports:list", permission=VIEW, order=75)
        schedule.register("reports.daily", reports_daily_task, daily_at=time(6, 0))
        for verb, label in VERB_LABELS.items():
            verbs.register(verb, label)
