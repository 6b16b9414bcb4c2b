"""Report pack rules as data (A3.1, A3.2): schedule, recipients, language and rule thresholds.

Who may see packs: they hold company-wide figures, so `reports.view_reportpack` goes to
management, sales managers, sales admins and the supervision group, not to salespeople
(they see their own figures on their dashboard); see docs/reports.md.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.reports.workflow import GENERATE, VIEW

GROUP = _("Analysis reports")

policies.register(
    "reports.monthly_enabled",
    True,
    _("Generate a monthly report pack"),
    kind="bool",
    group=GROUP,
)
policies.register(
    "reports.quarterly_enabled",
    True,
    _("Generate a quarterly report pack"),
    kind="bool",
    group=GROUP,
)
policies.register(
    "reports.generation_day",
    1,
    _("Day of the month on which the pack of the period just ended is generated"),
    help_text=_(
        "Monthly packs on this day of every month, quarterly ones in the month after a quarter."
    ),
    kind="int",
    minimum=1,
    maximum=28,
    group=GROUP,
)
policies.register(
    "reports.recipients_roles",
    ["management", "sales_manager", "sales_admin"],
    _("Roles that receive scheduled report packs"),
    help_text=_("Only users who may see report packs receive them."),
    kind="list",
    group=GROUP,
)
policies.register(
    "reports.language",
    "zh-hant",
    _("Language of report packs"),
    kind="choice",
    choices=(("zh-hant", "繁體中文"), ("zh-hans", "简体中文"), ("en", "English")),
    group=GROUP,
)
policies.register(
    "reports.falling_segment_percent",
    "20",
    _("Falling segment: revenue down by more than (%)"),
    help_text=_(
        "Regions, categories, salespeople and customers compared with the previous period."
    ),
    kind="decimal",
    minimum=0,
    maximum=100,
    group=GROUP,
)
policies.register(
    "reports.falling_segment_min_revenue",
    "0",
    _("Falling segment: ignore segments whose previous revenue is below"),
    kind="decimal",
    minimum=0,
    group=GROUP,
)
policies.register(
    "reports.churn_rise_points",
    "5",
    _("Rising churn: churn rate up by more than (percentage points)"),
    kind="decimal",
    minimum=0,
    maximum=100,
    group=GROUP,
)
policies.register(
    "reports.margin_erosion_points",
    "3",
    _("Margin erosion: gross margin rate down by more than (percentage points)"),
    kind="decimal",
    minimum=0,
    maximum=100,
    group=GROUP,
)
policies.register(
    "reports.on_time_minimum_percent",
    "90",
    _("Late deliveries: on-time delivery rate below (%)"),
    kind="decimal",
    minimum=0,
    maximum=100,
    group=GROUP,
)


def may_view(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(VIEW))


def may_generate(user: Any) -> bool:
    return bool(may_view(user) and user.has_perm(GENERATE))
