"""Finance page forms. They only collect input; the services and selectors validate (U6)."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.finance.models import InvoiceStatus, PaymentMethod


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class FilterForm(forms.Form):
    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class AgeingFilterForm(FilterForm):
    """The ageing page's filters (the same for the page and the export)."""

    as_of = _date(_("As of"))
    group_by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[("customer", _("Customer")), ("salesperson", _("Salesperson"))],
    )
    customer = forms.IntegerField(label=_("Customer"), required=False, widget=forms.Select())
    salesperson = forms.IntegerField(label=_("Salesperson"), required=False, widget=forms.Select())

    def __init__(self, *args, customers=(), salespeople=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget.choices = [("", _("All")), *customers]
        self.fields["salesperson"].widget.choices = [("", _("All")), *salespeople]


class PeriodForm(forms.Form):
    """The statement period; the page fills in this month up to today when none is chosen."""

    start = _date(_("From"), required=True)
    to = _date(_("To"), required=True)

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        if not self.is_valid():
            return today.replace(day=1), today
        return self.cleaned_data["start"], self.cleaned_data["to"]


class InvoiceFilterForm(FilterForm):
    q = forms.CharField(label=_("Invoice, reference or order number"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *InvoiceStatus.choices]
    )
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput())


class InvoiceCreateForm(forms.Form):
    order = forms.CharField(label=_("Order number"), max_length=30)
    issue_date = forms.CharField(
        label=_("Issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PaymentFilterForm(FilterForm):
    q = forms.CharField(label=_("Payment number or reference"), required=False)
    unallocated = forms.BooleanField(label=_("Not fully allocated"), required=False)
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput())


class PaymentForm(forms.Form):
    """What was received; allocations come as `allocate-<invoice id>` fields."""

    amount = forms.CharField(
        label=_("Amount"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    received_on = forms.CharField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=60)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    auto = forms.BooleanField(
        label=_("Allocate to the oldest due invoices first"), required=False, initial=True
    )


def allocations_from(post) -> list[tuple[int, str]]:
    """The non-empty `allocate-<invoice id>` amounts of a posted form."""
    found = []
    for key, value in post.items():
        if key.startswith("allocate-") and key[9:].isdigit() and value.strip():
            found.append((int(key[9:]), value.strip()))
    return found
