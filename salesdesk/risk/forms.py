"""Risk page forms (R1.1, R1.2): the register's filters, the risk form, assessment."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.risk.models import RiskCategory, RiskLevel, RiskStatus


def risk_workers():
    """Active users whose roles may work on risks: the owner choices."""
    held = Q(
        groups__permissions__codename="change_risk",
        groups__permissions__content_type__app_label="risk",
    )
    return get_user_model().objects.filter(held, is_active=True).distinct().order_by("username")


class RiskFilterForm(forms.Form):
    """The register's filters (the same for the page, the export and the heat-map links)."""

    q = forms.CharField(label=_("Number or title"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RiskStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *RiskCategory.choices]
    )
    level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("All")), *RiskLevel.choices]
    )
    likelihood = forms.IntegerField(label=_("Likelihood"), required=False, min_value=1)
    impact = forms.IntegerField(label=_("Impact"), required=False, min_value=1)
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    open_only = forms.BooleanField(label=_("Open risks only"), required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class RiskForm(forms.Form):
    """Create or edit a risk; linked records are named by their numbers (R1.1)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    customer = forms.CharField(label=_("Customer number"), required=False, max_length=30)
    order = forms.CharField(label=_("Order number"), required=False, max_length=30)
    contract = forms.CharField(label=_("Contract number"), required=False, max_length=30)
    shipment = forms.CharField(label=_("Delivery note number"), required=False, max_length=30)
    response_plan = forms.CharField(
        label=_("Response plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contingency_plan = forms.CharField(
        label=_("Contingency plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to do if the risk happens (R2.2)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = risk_workers()


class AssessForm(forms.Form):
    """Likelihood and impact on the configured scale (R1.2)."""

    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, scale: int = 5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in range(1, scale + 1)]
        self.fields["likelihood"].choices = choices
        self.fields["impact"].choices = choices
