from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "salesdesk.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from salesdesk.analytics.tasks import facts_refresh_task
        from salesdesk.core import schedule

        schedule.register(
            "analytics.facts_refresh", facts_refresh_task, interval=timedelta(minutes=5)
        )
