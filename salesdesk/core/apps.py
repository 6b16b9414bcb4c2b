from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "salesdesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from salesdesk.core import navigation, policies_builtin  # noqa: F401

        navigation.register(
            _("Policies"), "core:policy_list", permission="core.view_policy", order=800
        )
