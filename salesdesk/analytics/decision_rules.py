"""Company policies of decision support (A4.1): thresholds of at-risk customers, opportunities
and the forecast back-test (docs/analysis.md)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies

GROUP = _("Analytics")
policies.register(
    "analytics.at_risk_recent_months",
    3,
    _("Months compared with the baseline"),
    help_text=_(
        "At-risk customers and growing customers compare their monthly average over this many "
        "recent months with the 12 months before them (A4.1)."
    ),
    kind="int",
    minimum=1,
    maximum=12,
    group=GROUP,
)
policies.register(
    "analytics.at_risk_drop_rate",
    "0.30",
    _("Drop that makes a customer at risk"),
    help_text=_(
        "A customer whose recent monthly revenue or order count is this fraction or more below "
        "its baseline is listed as at risk (0.30 = 30 %)."
    ),
    kind="decimal",
    minimum="0.05",
    maximum="1",
    group=GROUP,
)
policies.register(
    "analytics.at_risk_min_orders",
    2,
    _("Orders needed in the baseline"),
    help_text=_("Customers with fewer orders in the 12 baseline months are not judged."),
    kind="int",
    minimum=1,
    maximum=1000,
    group=GROUP,
)
policies.register(
    "analytics.growth_rate",
    "0.25",
    _("Growth that makes a customer an opportunity"),
    help_text=_("Recent monthly revenue at least this fraction above the baseline (0.25 = 25 %)."),
    kind="decimal",
    minimum="0.01",
    maximum="100",
    group=GROUP,
)
policies.register(
    "analytics.cross_sell_peer_share",
    "0.50",
    _("Share of industry peers that makes a category a cross-sell"),
    kind="decimal",
    minimum="0.01",
    maximum="1",
    group=GROUP,
)
policies.register(
    "analytics.cross_sell_min_peers",
    3,
    _("Customers an industry needs for cross-sell suggestions"),
    kind="int",
    minimum=2,
    maximum=1000,
    group=GROUP,
)
policies.register(
    "analytics.forecast_backtest_periods",
    6,
    _("Periods in the forecast back-test"),
    kind="int",
    minimum=2,
    maximum=24,
    group=GROUP,
)
