"""Forms of the report pages: the archive's filters and the "Generate now" form (A3)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesdesk.reports.models import PackStatus, ReportKind


class PackFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ReportKind.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=9999)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PackStatus.choices]
    )
    current_only = forms.BooleanField(label=_("Hide superseded versions"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "year": data.get("year"),
            "status": data.get("status") or "",
            "current_only": bool(data.get("current_only")),
        }


class PackGenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("A month as 2025-03, or a quarter as 2025-Q1."),
    )
    deliver = forms.BooleanField(
        label=_("Send it to the recipients when it is ready"), required=False
    )
