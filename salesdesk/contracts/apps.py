from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "salesdesk.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.contracts import demo, rules, work  # noqa: F401  (registrations)
        from salesdesk.contracts.models import Contract
        from salesdesk.contracts.policies import can_see
        from salesdesk.contracts.tasks import contracts_expire_task, obligations_alert_task
        from salesdesk.contracts.workflow import CONTRACT
        from salesdesk.core import navigation, schedule
        from salesdesk.core.attachments import register_access

        register_access(Contract, can_see)
        navigation.register(
            _("Contracts"), "contracts:list", permission="contracts.view_contract", order=25
        )
        verbs.register("contract_type.changed", _("Contract template changed"))
        verbs.register("contract.obligations_derived", _("Obligations derived from the orders"))
        schedule.register("contracts.expire", contracts_expire_task, daily_at=time(0, 30))
        schedule.register(
            "contracts.obligations_alert", obligations_alert_task, daily_at=time(7, 0)
        )
        for transition in CONTRACT.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
