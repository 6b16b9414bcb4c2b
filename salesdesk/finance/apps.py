from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "salesdesk.finance"
    label = "finance"
    verbose_name = _("Invoices and payments")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation
        from salesdesk.finance import importing, rules, services, work  # noqa: F401  (registrations)
        from salesdesk.finance.workflow import INVOICE

        navigation.register(
            _("Receivables"), "finance:ageing", permission="finance.view_invoice", order=60
        )
        for transition in INVOICE.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
