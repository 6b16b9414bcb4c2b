"""Customer policies (company rules as data) and the labels of customer events."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

DEFAULT_SOURCES = [
    "market_research",
    "trade_show",
    "online_promotion",
    "sales_visit",
    "referral",
    "other",
]
SOURCE_LABELS = {
    "market_research": _("Market research"),
    "trade_show": _("Trade show"),
    "online_promotion": _("Online promotion"),
    "sales_visit": _("Sales visit"),
    "referral": _("Referral"),
    "other": _("Other"),
}

policies.register(
    "customers.sources",
    DEFAULT_SOURCES,
    _("Customer sources"),
    help_text=_("Codes of the sources a new customer may name (C1.1), comma-separated."),
    kind="list",
    group=_("Customers"),
)
policies.register(
    "customers.verify_days",
    180,
    _("Days between customer data checks"),
    help_text=_(
        "A customer not verified for this many days waits in its owner's work queue (C2.2)."
    ),
    kind="int",
    minimum=7,
    maximum=3650,
    group=_("Customers"),
)
policies.register(
    "customers.verify_warning_days",
    14,
    _("Days of notice before a data check is due"),
    kind="int",
    minimum=0,
    maximum=365,
    group=_("Customers"),
)

EVENT_LABELS = {
    "customer.created": _("Customer created"),
    "customer.imported": _("Customer imported"),
    "customer.updated": _("Customer updated"),
    "customer.verified": _("Customer data verified"),
    "customer.credit_changed": _("Credit settings changed"),
    "customer.transferred": _("Owner changed"),
    "customer.exported": _("Customer list exported"),
    "customer.shared": _("Customer data shared outside"),
    "contact.added": _("Contact added"),
    "contact.updated": _("Contact updated"),
    "contact.deactivated": _("Contact deactivated"),
    "contact.erased": _("Person's data erased"),
    "contact.data_exported": _("Person's data exported"),
    "address.added": _("Ship-to address added"),
    "address.updated": _("Ship-to address updated"),
    "invoicing.updated": _("Invoicing details updated"),
    "sharing.registered": _("Data-sharing agreement registered"),
    "sharing.revoked": _("Data-sharing agreement revoked"),
}


def source_choices() -> list[tuple[str, str]]:
    return [(code, SOURCE_LABELS.get(code, code)) for code in policies.value("customers.sources")]


def source_label(code: str):
    return SOURCE_LABELS.get(code, code)
