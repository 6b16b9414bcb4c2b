"""Monitoring page forms: they collect input; the services and selectors validate (R3.1)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesdesk.monitoring.indicators import choices as indicator_choices
from salesdesk.monitoring.models import Level, WarningStatus
from salesdesk.monitoring.selectors import LIVE


class WarningFilterForm(forms.Form):
    q = forms.CharField(label=_("Subject"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All")), *Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(LIVE, _("Open or acknowledged")), *WarningStatus.choices, ("all", _("All"))],
    )
    owner = forms.IntegerField(label=_("Owner"), required=False, widget=forms.Select())

    def __init__(self, *args, owners=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("All")), *indicator_choices()]
        self.fields["owner"].widget.choices = [("", _("All")), *owners]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"status": LIVE}
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        status = data.get("status", LIVE)
        data["status"] = "" if status == "all" else status
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
