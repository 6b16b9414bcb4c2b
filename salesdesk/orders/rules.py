"""Order policies (company rules as data) for intake and review (O1–O2)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import role_label
from salesdesk.core import policies

PAYMENT_TERMS = {
    "prepayment": _("Prepayment"),
    "cash_on_delivery": _("Cash on delivery"),
    "net_30": _("30 days net"),
    "net_60": _("60 days net"),
    "net_90": _("90 days net"),
    "monthly_statement": _("Monthly statement, 30 days"),
}
GROUP = _("Orders")

policies.register(
    "orders.payment_terms",
    list(PAYMENT_TERMS),
    _("Payment terms"),
    help_text=_("Codes of the payment terms an order may use (O1.3)."),
    kind="list",
    group=GROUP,
)
policies.register(
    "orders.verbal_confirmation_days",
    3,
    _("Days to confirm a verbal order in writing"),
    help_text=_(
        "A verbal order waits in the work queue until a written record is attached (O1.2)."
    ),
    kind="int",
    minimum=1,
    maximum=60,
    group=GROUP,
)
policies.register(
    "orders.verbal_order_cap",
    "200000",
    _("Largest verbal order (incl. tax)"),
    help_text=_("Verbal orders above this amount break the compliance rules (O2.2)."),
    kind="decimal",
    minimum=0,
    group=GROUP,
)
for role, default in (("salesperson", "0.10"), ("sales_admin", "0.10"), ("sales_manager", "0.25")):
    policies.register(
        f"orders.max_discount.{role}",
        default,
        format_lazy(_("Largest discount a {role} may give"), role=role_label(role)),
        help_text=_(
            "As a fraction: 0.10 is 10 %. Larger discounts break the compliance rules (O2.2)."
        ),
        kind="decimal",
        minimum=0,
        maximum=1,
        group=GROUP,
    )
for grade, default in (
    ("A", list(PAYMENT_TERMS)),
    ("B", ["prepayment", "cash_on_delivery", "net_30", "net_60", "monthly_statement"]),
    ("C", ["prepayment", "cash_on_delivery", "net_30"]),
    ("D", ["prepayment"]),
):
    policies.register(
        f"orders.terms_for_grade.{grade}",
        default,
        format_lazy(_("Payment terms allowed for grade {grade}"), grade=grade),
        kind="list",
        group=GROUP,
    )
for role, default in (("sales_manager", "100000"), ("finance", "1000000")):
    policies.register(
        f"orders.credit_release_limit.{role}",
        default,
        format_lazy(_("Largest credit excess a {role} may release"), role=role_label(role)),
        help_text=_("Excess over the credit limit, in the house currency (O2.1)."),
        kind="decimal",
        minimum=0,
        group=GROUP,
    )
policies.register(
    "orders.auto_approve_clean",
    False,
    _("Approve clean orders automatically"),
    help_text=_(
        "When every review passes and all stock is reserved, approve without a sales admin (O2)."
    ),
    kind="bool",
    group=GROUP,
)


def payment_term_label(code: str):
    return PAYMENT_TERMS.get(code, code)


def payment_term_choices() -> list[tuple[str, object]]:
    return [(code, payment_term_label(code)) for code in policies.value("orders.payment_terms")]


policies.register(
    "orders.review_sla_hours",
    8,
    _("Hours to approve or reject a reviewed order"),
    help_text=_(
        "A reviewed order waits this long in the sales admins' queue before it is overdue (O2)."
    ),
    kind="int",
    minimum=1,
    maximum=720,
    group=GROUP,
)
policies.register(
    "orders.allocate_picking",
    True,
    _("Send approved orders to the warehouse for picking"),
    kind="bool",
    group=GROUP,
)
policies.register(
    "orders.status_link_days",
    30,
    _("Days a customer's order-status link stays valid"),
    kind="int",
    minimum=1,
    maximum=365,
    group=GROUP,
)

EVENT_LABELS = {
    "order.created": _("Order entered"),
    "order.updated": _("Order edited"),
    "order.reviewed": _("Order reviewed"),
    "order.confirmed_in_writing": _("Written confirmation attached"),
    "order.guarantee_recorded": _("Guarantee recorded"),
    "order.change_requested": _("Change requested"),
    "order.changed": _("Change approved and applied"),
    "order.change_rejected": _("Change rejected"),
    "order.delayed": _("Delay recorded"),
    "order.status_link_created": _("Status link sent"),
}
