"""Supervision policies: the KPI targets (E2.1), editable by admins, and event labels."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.supervision.kpis import CATALOGUE

GROUP = _("Supervision")

for _kpi in CATALOGUE:
    policies.register(
        _kpi.policy_key,
        _kpi.default_target,
        format_lazy(_("Target: {kpi}"), kpi=_kpi.label),
        help_text=_("Higher is better.") if _kpi.direction == "higher" else _("Lower is better."),
        kind="decimal",
        minimum=0,
        group=GROUP,
    )

EVENT_LABELS = {
    "inspection.planned": _("Inspection planned"),
    "inspection.checked": _("Checklist item recorded"),
    "finding.recorded": _("Finding recorded"),
    "corrective_action.assigned": _("Corrective action assigned"),
}
