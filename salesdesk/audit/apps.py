from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "salesdesk.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from salesdesk.core import navigation

        navigation.register(
            _("Event log"), "audit:event_list", permission="audit.view_event", order=900
        )
        navigation.register(
            _("Access log"), "audit:access_log", permission="audit.view_accesslog", order=910
        )
