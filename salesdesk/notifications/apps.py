from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "salesdesk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation, schedule
        from salesdesk.notifications import work  # noqa: F401  (registers the work items)
        from salesdesk.notifications.tasks import outbox_flush_task
        from salesdesk.notifications.workflow import VERB_LABELS

        for verb, label in VERB_LABELS.items():
            verbs.register(verb, label)
        schedule.register(
            "notifications.outbox_flush", outbox_flush_task, interval=timedelta(minutes=1)
        )
        navigation.register(_("Notifications"), "notifications:list", order=950)
        navigation.register(
            _("Outbox"),
            "notifications:outbox",
            permission="notifications.view_outboundemail",
            order=960,
        )
