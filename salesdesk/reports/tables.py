"""Section titles shared by the PDF, the workbook and the pages of a pack (A3.1)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.reports.models import ReportKind

BREAKDOWN_TITLES = {
    "region": gettext_lazy("Revenue by region"),
    "category": gettext_lazy("Revenue by category"),
    "salesperson": gettext_lazy("Revenue by salesperson"),
    "channel": gettext_lazy("Revenue by channel"),
}
TOP_TITLES = {
    "customer": gettext_lazy("Top 10 customers"),
    "product": gettext_lazy("Top 10 products"),
}


def kind_title(kind: str, period_label: str) -> str:
    if kind == ReportKind.QUARTERLY:
        return _("Quarterly analysis report %(period)s") % {"period": period_label}
    return _("Monthly analysis report %(period)s") % {"period": period_label}
