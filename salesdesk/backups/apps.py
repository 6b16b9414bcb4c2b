from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "salesdesk.backups"
    label = "backups"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.backups import rules
        from salesdesk.backups.tasks import backup_scheduled_task
        from salesdesk.core import navigation, schedule

        navigation.register(
            _("Backups"), "backups:list", permission="backups.view_backuprun", order=810
        )
        schedule.register("backups.daily", backup_scheduled_task, interval=timedelta(minutes=15))
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
