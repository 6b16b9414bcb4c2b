"""Shipping policies (company rules as data) and event labels (S1–S4)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

GROUP = _("Shipping")

policies.register(
    "shipping.carrier_rule",
    "cheapest",
    _("How a carrier is suggested"),
    help_text=_(
        "After the customer's preferred carrier: the cheapest or the fastest one that "
        "serves the address with a valid agreement (S2.1)."
    ),
    kind="choice",
    choices=(("cheapest", _("Cheapest")), ("fastest", _("Fastest"))),
    group=GROUP,
)
policies.register(
    "shipping.link_days",
    14,
    _("Days a receipt or survey link stays valid"),
    kind="int",
    minimum=1,
    maximum=90,
    group=GROUP,
)
policies.register(
    "shipping.survey_delay_days",
    2,
    _("Days after receipt before the survey is sent"),
    kind="int",
    minimum=0,
    maximum=60,
    group=GROUP,
)

EVENT_LABELS = {
    "shipment.created": _("Shipment planned"),
    "shipment.readiness": _("Readiness updated"),
    "shipment.notice_sent": _("Shipping notice sent"),
    "shipment.tracked": _("Tracking event"),
    "shipment.complaint": _("Complaint recorded"),
    "shipment.complaint_resolved": _("Complaint resolved"),
    "shipment.survey_sent": _("Survey sent"),
    "shipment.survey_answered": _("Survey answered"),
    "shipment.late": _("Shipment past its ETA"),
}
