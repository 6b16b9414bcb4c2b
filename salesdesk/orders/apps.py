from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "salesdesk.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation
        from salesdesk.core.attachments import register_access
        from salesdesk.orders import demo, rules, work  # noqa: F401  (registrations)
        from salesdesk.orders.models import Order
        from salesdesk.orders.policies import can_see
        from salesdesk.orders.services import fulfillment
        from salesdesk.orders.workflow import ORDER
        from salesdesk.workorders import followups

        register_access(Order, can_see)
        navigation.register(_("Orders"), "orders:list", permission="orders.view_order", order=20)
        followups.register("accepted", fulfillment.on_work_accepted)
        followups.register("declined", fulfillment.on_work_declined)
        followups.register("done", fulfillment.on_work_done)
        for transition in ORDER.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in rules.EVENT_LABELS.items():
            verbs.register(verb, label)
