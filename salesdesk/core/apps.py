from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "salesdesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from salesdesk.core import policies_builtin  # noqa: F401  (registers platform policies)
