from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "salesdesk.shipping"
    label = "shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        from salesdesk.audit import verbs
        from salesdesk.core import navigation, schedule
        from salesdesk.core.attachments import register_access
        from salesdesk.shipping import importing, rules  # noqa: F401  (registrations)
        from salesdesk.shipping.models import Shipment
        from salesdesk.shipping.policies import can_see
        from salesdesk.shipping.services.register import EVENT_LABELS
        from salesdesk.shipping.tasks import shipments_late_alert_task, survey_send_task
        from salesdesk.shipping.workflow import SHIPMENT

        register_access(Shipment, can_see)
        navigation.register(
            _("Shipments"), "shipping:list", permission="shipping.view_shipment", order=50
        )
        navigation.register(
            _("Dispatch board"), "shipping:board", permission="shipping.book_shipment", order=51
        )
        navigation.register(
            _("Carriers"), "shipping:carriers", permission="shipping.view_carrier", order=52
        )
        schedule.register("shipping.late_alert", shipments_late_alert_task, daily_at=time(8, 0))
        schedule.register("shipping.surveys", survey_send_task, daily_at=time(10, 0))
        for transition in SHIPMENT.transitions:
            verbs.register(transition.verb, transition.label)
        for verb, label in (rules.EVENT_LABELS | EVENT_LABELS).items():
            verbs.register(verb, label)
