from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkqueueConfig(AppConfig):
    name = "salesdesk.workqueue"
    label = "workqueue"
    verbose_name = _("Work queue")

    def ready(self) -> None:
        from salesdesk.core import navigation

        navigation.register(_("My work"), "workqueue:home", order=0)
