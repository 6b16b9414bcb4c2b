from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesdesk.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation
        from salesdesk.customers import demo, importing, rules, work  # noqa: F401  (registrations)
        from salesdesk.customers.workflow import STAGES

        navigation.register(
            _("Customers"), "customers:list", permission="customers.view_customer", order=10
        )
        for transition in STAGES.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
