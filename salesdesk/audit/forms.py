from django import forms
from django.utils.translation import gettext_lazy as _


class EventFilterForm(forms.Form):
    verb = forms.CharField(label=_("Action"), required=False, max_length=64)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
