"""Shipping page forms. They only collect the POST; the services validate (S1–S4)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import role_label
from salesdesk.shipping.models import Mode, Outcome, ShipmentStatus
from salesdesk.shipping.services.register import FILE_KINDS

DATE = {"type": "date"}
COMPLAINT_ROLES = (
    "quality",
    "production",
    "purchasing",
    "warehouse",
    "logistics",
    "finance",
    "sales_admin",
)
FILE_KIND_LABELS = {
    "qc_report": _("Quality inspection report"),
    "photo": _("Photo"),
    "packing": _("Packing record"),
    "other": _("Other"),
}


def _date(label: Any) -> forms.CharField:
    # A CharField: the service parses the date and says what is wrong with it.
    return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs=DATE))


class CleanedMixin:
    def values(self) -> dict[str, Any]:
        """What the user sent, for the service (which checks it); empty when malformed."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class ShipmentFilterForm(CleanedMixin, forms.Form):
    """The shipment list's filters (the same for the page and the export)."""

    q = forms.CharField(label=_("DN, tracking or order number"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ShipmentStatus.choices]
    )
    customer = forms.IntegerField(label=_("Customer"), required=False, widget=forms.Select())
    carrier = forms.IntegerField(label=_("Carrier"), required=False, widget=forms.Select())
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    created_to = forms.DateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    overdue = forms.BooleanField(label=_("Past ETA only"), required=False)

    def __init__(self, *args, customers=(), carriers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget.choices = [("", _("All")), *customers]
        self.fields["carrier"].widget.choices = [("", _("All")), *carriers]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class ReadinessForm(CleanedMixin, forms.Form):
    """Picking, quality inspection and packing (S1.1)."""

    goods_ready = forms.BooleanField(label=_("Goods picked and available"), required=False)
    qc_passed = forms.BooleanField(label=_("Quality inspection passed"), required=False)
    qc_note = forms.CharField(label=_("Inspection note"), required=False, max_length=200)
    packed = forms.BooleanField(label=_("Packed"), required=False)
    packages = forms.IntegerField(label=_("Packages"), required=False, min_value=0)
    gross_weight = forms.DecimalField(
        label=_("Gross weight (kg)"), required=False, min_value=0, decimal_places=2
    )


class BookingForm(CleanedMixin, forms.Form):
    """Carrier, mode, ship date and promised delivery (S2.3)."""

    carrier = forms.CharField(label=_("Carrier"), required=False, widget=forms.Select())
    mode = forms.ChoiceField(label=_("Mode"), required=False, choices=Mode.choices)
    planned_ship_date = _date(_("Planned ship date"))
    promised_delivery_date = _date(_("Promised delivery date"))

    def __init__(self, *args, carriers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].widget.choices = [("", "---------"), *carriers]
        self.fields["promised_delivery_date"].help_text = _(
            "Empty: the ship date plus the carrier's transit days."
        )


class DispatchForm(CleanedMixin, forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=60)


class TrackingForm(CleanedMixin, forms.Form):
    """One tracking event entered by hand (S3.2)."""

    occurred_at = forms.CharField(
        label=_("Time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
    is_exception = forms.BooleanField(label=_("This is a problem (exception)"), required=False)


class ReasonForm(CleanedMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class NoteForm(CleanedMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ComplaintForm(CleanedMixin, forms.Form):
    """A quality problem or objection, routed to a department (S4.2)."""

    description = forms.CharField(
        label=_("Problem"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    role = forms.ChoiceField(label=_("Department"), required=False)
    line = forms.CharField(label=_("Line"), required=False, widget=forms.Select())

    def __init__(self, *args, lines=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, role_label(r)) for r in COMPLAINT_ROLES]
        self.fields["line"].widget.choices = [("", _("Whole shipment")), *lines]


class ComplaintResolveForm(CleanedMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=Outcome.choices)
    resolution = forms.CharField(label=_("Resolution"), required=False, max_length=2000)


class FileForm(CleanedMixin, forms.Form):
    file = forms.FileField(label=_("File"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[(k, FILE_KIND_LABELS[k]) for k in FILE_KINDS]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ReceiptUploadForm(CleanedMixin, forms.Form):
    file = forms.FileField(label=_("Signed receipt (回單)"), required=False)


class CarrierForm(CleanedMixin, forms.Form):
    """A carrier's register entry (S2.1); the code is fixed once created."""

    code = forms.CharField(label=_("Code"), required=False, max_length=30)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    modes = forms.MultipleChoiceField(
        label=_("Modes"),
        required=False,
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    service_areas = forms.CharField(
        label=_("Service areas"),
        required=False,
        help_text=_("Provinces or regions, separated by commas; empty means everywhere."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    base_rate = forms.CharField(label=_("Base rate"), required=False)
    rate_per_kg = forms.CharField(label=_("Rate per kg"), required=False)
    transit_days = forms.CharField(label=_("Transit days"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class AgreementForm(CleanedMixin, forms.Form):
    """A transport agreement with its validity (S2.2)."""

    reference = forms.CharField(label=_("Reference"), required=False, max_length=60)
    valid_from = _date(_("Valid from"))
    valid_until = _date(_("Valid until"))
    document = forms.FileField(label=_("Signed agreement"), required=False)


class PreferenceForm(CleanedMixin, forms.Form):
    customer = forms.CharField(label=_("Customer number"), required=False, max_length=30)
