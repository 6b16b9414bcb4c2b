"""Risk policies (company rules as data) and event labels (R1.2, R2.1, R2.3).

The level matrix is a list of rows, one per likelihood from 1 up, each row the levels for
impact 1 up separated by spaces; `matrix.py` validates it. Order rules and extra contract
reviewers are lists per risk level.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

GROUP = _("Risk")

DEFAULT_MATRIX = [
    "low low low medium medium",
    "low medium medium medium high",
    "low medium medium high high",
    "medium medium high high critical",
    "medium high high critical critical",
]
# Order rules the review applies per customer risk level (R2.1).
ORDER_RULES = {
    "guarantee": _("Extra guarantee required"),
    "shorter_terms": _("Shorter payment terms"),
    "prepayment_only": _("Prepayment only"),
    "block": _("Block new orders"),
}
DEFAULT_ORDER_RULES = {
    "low": [],
    "medium": [],
    "high": ["guarantee", "shorter_terms"],
    "critical": ["prepayment_only"],
}
DEFAULT_CONTRACT_REVIEWERS = {
    "low": [],
    "medium": [],
    "high": ["management"],
    "critical": ["management"],
}
LEVEL_LABELS = {
    "low": _("low"),
    "medium": _("medium"),
    "high": _("high"),
    "critical": _("critical"),
}

policies.register(
    "risk.scale",
    5,
    _("Points on the likelihood and impact scales"),
    help_text=_("Likelihood and impact are rated from 1 to this number (R1.2)."),
    kind="int",
    minimum=2,
    maximum=10,
    group=GROUP,
)
policies.register(
    "risk.matrix",
    DEFAULT_MATRIX,
    _("Risk level matrix"),
    help_text=_(
        "One row per likelihood from 1 up; in each row the level (low, medium, high or "
        "critical) for impact 1 up, separated by spaces. Levels may not fall as likelihood "
        "or impact rises (R1.2)."
    ),
    kind="list",
    group=GROUP,
)
for level, below in (("critical", 40), ("high", 60), ("medium", 80)):
    policies.register(
        f"risk.score_below.{level}",
        below,
        format_lazy(_("Credit scores below this are {level} risk"), level=LEVEL_LABELS[level]),
        help_text=_("Scores run from 0 (worst) to 100 (best); see docs/risk.md (R1.2)."),
        kind="int",
        minimum=0,
        maximum=101,
        group=GROUP,
    )
policies.register(
    "risk.score_lookback_days",
    365,
    _("Days of payment history a credit score looks at"),
    kind="int",
    minimum=30,
    maximum=3650,
    group=GROUP,
)
policies.register(
    "risk.step_days",
    5,
    _("Days for a risk owner to assess or plan the response"),
    help_text=_("Identified and assessed risks wait this long in the owner's work queue (R1.1)."),
    kind="int",
    minimum=1,
    maximum=90,
    group=GROUP,
)
for level, default in DEFAULT_ORDER_RULES.items():
    policies.register(
        f"risk.order_rules.{level}",
        default,
        format_lazy(_("Order rules for {level}-risk customers"), level=LEVEL_LABELS[level]),
        help_text=_(
            "Any of: guarantee, shorter_terms, prepayment_only, block. The order review "
            "holds an order that breaks one and names it (R2.1)."
        ),
        kind="list",
        group=GROUP,
    )
policies.register(
    "risk.guarantee_share",
    "0.30",
    _("Guarantee required, as a share of the order total"),
    help_text=_("As a fraction: 0.30 is 30 % of the order total incl. tax (R2.1)."),
    kind="decimal",
    minimum=0,
    maximum=1,
    group=GROUP,
)
policies.register(
    "risk.shorter_terms",
    ["prepayment", "cash_on_delivery", "net_30"],
    _("Payment terms allowed under the shorter-terms rule"),
    kind="list",
    group=GROUP,
)
for level, default in DEFAULT_CONTRACT_REVIEWERS.items():
    policies.register(
        f"risk.contract_reviewers.{level}",
        default,
        format_lazy(
            _("Extra contract reviewers for {level}-risk customers"), level=LEVEL_LABELS[level]
        ),
        help_text=_("Roles that also countersign these customers' contracts (R2.3)."),
        kind="list",
        group=GROUP,
    )


def order_rule_label(code: str):
    return ORDER_RULES.get(code, code)


def level_label(level: str):
    return LEVEL_LABELS.get(level, level or "—")


EVENT_LABELS = {
    "risk.created": _("Risk identified"),
    "risk.updated": _("Risk edited"),
    "risk.contingency_activated": _("Contingency plan activated"),
    "credit_score.level_changed": _("Credit risk level changed"),
}
