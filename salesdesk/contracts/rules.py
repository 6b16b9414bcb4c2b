"""Contract policies (company rules as data) and event labels (K1–K4)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

GROUP = _("Contracts")

policies.register(
    "contracts.reviewers",
    ["legal", "finance"],
    _("Roles that countersign every contract"),
    help_text=_("會簽: each of these roles approves before signing (K1.2)."),
    kind="list",
    group=GROUP,
)
policies.register(
    "contracts.management_review_above",
    "500000",
    _("Contract amount above which management also reviews"),
    kind="decimal",
    minimum=0,
    group=GROUP,
)
policies.register(
    "contracts.extra_review_grades",
    ["D"],
    _("Customer grades whose contracts management also reviews"),
    help_text=_("High-risk customers get an extra reviewer (K1.2, R2.3)."),
    kind="list",
    group=GROUP,
)
policies.register(
    "contracts.review_sla_hours",
    24,
    _("Hours for a reviewer to decide"),
    kind="int",
    minimum=1,
    maximum=720,
    group=GROUP,
)
policies.register(
    "contracts.original_return_days",
    30,
    _("Days for the customer's signed original to come back"),
    kind="int",
    minimum=1,
    maximum=365,
    group=GROUP,
)
policies.register(
    "contracts.expiry_warning_days",
    30,
    _("Days before the end date that a contract counts as expiring"),
    kind="int",
    minimum=1,
    maximum=365,
    group=GROUP,
)
policies.register(
    "contracts.language",
    "zh-hant",
    _("Language contracts are written in"),
    kind="choice",
    choices=(
        ("zh-hant", _("Traditional Chinese")),
        ("zh-hans", _("Simplified Chinese")),
        ("en", _("English")),
    ),
    group=GROUP,
)

EVENT_LABELS = {
    "contract.drafted": _("Contract drafted"),
    "contract.edited": _("Contract text changed"),
    "contract.reviewed": _("Review decision"),
    "contract.signature_recorded": _("Signature recorded"),
    "contract.original_received": _("Customer's original received"),
    "contract.obligation_fulfilled": _("Obligation fulfilled"),
    "contract.breach_recorded": _("Breach recorded"),
    "contract.breach_resolved": _("Breach resolved"),
    "contract.obligation_overdue": _("Obligation overdue"),
}
