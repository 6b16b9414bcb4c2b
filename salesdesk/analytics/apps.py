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
        from salesdesk.core import navigation

        navigation.register(
            _("Dashboard"), "analytics:overview", permission="customers.view_customer", order=70
        )
        navigation.register(
            _("Sales analysis"),
            "analytics:analysis",
            permission="customers.view_customer",
            order=71,
        )
        navigation.register(
            _("Decision support"),
            "analytics:decisions",
            permission="customers.view_customer",
            order=72,
        )
        for permission in ("customers.view_all_customers", "customers.view_team_customers"):
            navigation.register(
                _("Data quality"), "analytics:quality", permission=permission, order=73
            )
        navigation.register(
            _("Market sizes"),
            "analytics:market_sizes",
            permission="analytics.view_marketsize",
            order=74,
        )
        navigation.register(
            _("Import sales history"),
            "analytics:history_import",
            permission="customers.import_history",
            order=75,
        )
        # The decision-support policies must be known to every command, not only pages.
        from salesdesk.analytics import decision_rules  # noqa: F401
