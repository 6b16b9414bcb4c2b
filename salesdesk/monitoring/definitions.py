"""The indicators salesdesk watches (R3.1), each declared once with default thresholds."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.monitoring import checks, checks_security
from salesdesk.monitoring.indicators import ABOVE, BELOW, POLICY_GROUP, Indicator, register

CUSTOMER_OWNER_AND_FINANCE = _("The customer's salesperson, and finance")

INDICATORS = (
    Indicator(
        code="credit_utilisation",
        label=_("Credit utilisation"),
        unit=_("% of the credit limit"),
        measure=_(
            "Opening balance + open invoices − unallocated payments + approved orders not yet "
            "invoiced, divided by the customer's credit limit."
        ),
        scope=_("customer with a credit limit"),
        owner_rule=CUSTOMER_OWNER_AND_FINANCE,
        direction=ABOVE,
        warning=Decimal(80),
        critical=Decimal(100),
        check=checks.credit_utilisation,
    ),
    Indicator(
        code="overdue_amount",
        label=_("Overdue receivables (amount)"),
        unit=_("currency units"),
        measure=_("Open amount of the customer's invoices past their due date."),
        scope=_("customer"),
        owner_rule=CUSTOMER_OWNER_AND_FINANCE,
        direction=ABOVE,
        warning=Decimal(10000),
        critical=Decimal(100000),
        check=checks.overdue_amount,
    ),
    Indicator(
        code="overdue_days",
        label=_("Overdue receivables (days)"),
        unit=_("days past due"),
        measure=_("Days past due of the customer's oldest open invoice."),
        scope=_("customer"),
        owner_rule=CUSTOMER_OWNER_AND_FINANCE,
        direction=ABOVE,
        warning=Decimal(30),
        critical=Decimal(90),
        check=checks.overdue_days,
    ),
    Indicator(
        code="orders_past_promised",
        label=_("Orders past their promised date"),
        unit=_("days late"),
        measure=_(
            "Days since the earliest promised date (or the expected delivery date) of an "
            "approved order that is not yet shipped."
        ),
        scope=_("order"),
        owner_rule=_("The order's salesperson"),
        direction=ABOVE,
        warning=Decimal(1),
        critical=Decimal(7),
        check=checks.orders_past_promised,
    ),
    Indicator(
        code="shipments_in_exception",
        label=_("Shipments in exception"),
        unit=_("days in exception"),
        measure=_("Days since the shipment was reported in exception."),
        scope=_("shipment"),
        owner_rule=_("The order's salesperson"),
        direction=ABOVE,
        warning=Decimal(0),
        critical=Decimal(3),
        check=checks.shipments_in_exception,
    ),
    Indicator(
        code="contracts_expiring",
        label=_("Contracts expiring"),
        unit=_("days left"),
        measure=_("Days left before an active contract's end date."),
        scope=_("contract"),
        owner_rule=_("Legal"),
        direction=BELOW,
        warning=Decimal(30),
        critical=Decimal(7),
        check=checks.contracts_expiring,
    ),
    Indicator(
        code="customer_data_stale",
        label=_("Stale customer data"),
        unit=_("days since verified"),
        measure=_(
            "Days since the customer's data was last verified (since it was created, if never)."
        ),
        scope=_("customer not lost"),
        owner_rule=_("The customer's salesperson"),
        direction=ABOVE,
        warning=Decimal(365),
        critical=Decimal(730),
        check=checks.customer_data_stale,
    ),
    Indicator(
        code="failed_logins",
        label=_("Failed sign-ins"),
        unit=_("failures in the last hour"),
        measure=_("Failed sign-ins in the last hour, per username and per network address."),
        scope=_("username or network address"),
        owner_rule=_("IT administrators"),
        direction=ABOVE,
        warning=Decimal(5),
        critical=Decimal(20),
        check=checks_security.failed_logins,
    ),
    Indicator(
        code="personal_data_reads",
        label=_("Personal-data reveals and exports"),
        unit=_("records in the last 24 hours"),
        measure=_(
            "Access-log entries of one user in the last 24 hours: every revealed contact or "
            "bank account and every exported contact counts once."
        ),
        scope=_("user"),
        owner_rule=_("IT administrators"),
        direction=ABOVE,
        warning=Decimal(50),
        critical=Decimal(200),
        check=checks_security.personal_data_reads,
    ),
)


def register_all() -> None:
    for item in INDICATORS:
        register(item)
    policies.register(
        "monitoring.response_hours.warning",
        72,
        label=_("Hours to respond to a warning"),
        help_text=_("The work-queue due time of a new warning."),
        kind="int",
        minimum=1,
        maximum=24 * 90,
        group=POLICY_GROUP,
    )
    policies.register(
        "monitoring.response_hours.critical",
        24,
        label=_("Hours to respond to a critical warning"),
        kind="int",
        minimum=1,
        maximum=24 * 90,
        group=POLICY_GROUP,
    )
    policies.register(
        "monitoring.email_critical",
        True,
        label=_("E-mail the owners of critical warnings"),
        kind="bool",
        group=POLICY_GROUP,
    )
