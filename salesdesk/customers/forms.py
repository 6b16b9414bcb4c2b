"""Customer page forms. They only collect the POST; the services validate (C1.4, STYLE rule 2)."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from salesdesk.customers import rules
from salesdesk.customers.inputs import CUSTOMER_FIELDS
from salesdesk.customers.models import (
    Contact,
    Country,
    Customer,
    CustomerKind,
    DataSharingAgreement,
    IntentionLevel,
    InvoicingDetails,
    LegalBasis,
    Potential,
    ShipToAddress,
)

NDA_MAX_BYTES = 10 * 1024 * 1024
# File signatures of the NDA formats we keep: a scan (image) or a PDF.
NDA_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}
PERSONAL_CONTACT_FIELDS = ("name", "mobile", "phone", "email")


def _label(model, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


def _text(model, name: str, *, textarea: bool = False, **attrs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3, **attrs}) if textarea else forms.TextInput(attrs)
    return forms.CharField(label=_label(model, name), required=False, widget=widget)


def _select(model, name: str, choices=()) -> forms.CharField:
    # A plain CharField: an unknown value reaches the service, which names the field.
    return forms.CharField(
        label=_label(model, name), required=False, widget=forms.Select(choices=choices)
    )


def _flag(model, name: str) -> forms.BooleanField:
    return forms.BooleanField(label=_label(model, name), required=False)


class ServiceForm(forms.Form):
    """A form whose cleaned data is handed to a service as is."""

    service_fields: tuple[str, ...] = ()

    def service_data(self, *, changed_only: bool = False) -> dict[str, Any]:
        names = [n for n in self.service_fields if n in self.fields]
        if changed_only:
            names = [n for n in names if n in self.changed_data]
        return {n: self.cleaned_data.get(n) for n in names}


class CustomerForm(ServiceForm):
    service_fields = CUSTOMER_FIELDS
    groups = (
        (
            _("Company"),
            ("kind", "legal_name", "short_name", "tax_id", "tax_id_override_reason"),
        ),
        (
            _("Address"),
            ("country", "province", "city", "district", "street", "postal_code"),
        ),
        (
            _("Business"),
            (
                "industry",
                "business_scope",
                "potential",
                "annual_capacity",
                "intention_level",
                "intention_note",
            ),
        ),
        (_("Source and owner"), ("source", "source_note", "owner")),
    )

    kind = _select(Customer, "kind", CustomerKind.choices)
    legal_name = _text(Customer, "legal_name", required=True, maxlength=200)
    short_name = _text(Customer, "short_name", maxlength=60)
    tax_id = _text(Customer, "tax_id", maxlength=30, autocomplete="off")
    tax_id_override_reason = _text(Customer, "tax_id_override_reason", maxlength=200)
    country = _select(Customer, "country", Country.choices)
    province = _text(Customer, "province", maxlength=40)
    city = _text(Customer, "city", maxlength=40)
    district = _text(Customer, "district", maxlength=40)
    street = _text(Customer, "street", maxlength=200)
    postal_code = _text(Customer, "postal_code", maxlength=12)
    industry = _text(Customer, "industry", maxlength=60)
    business_scope = _text(Customer, "business_scope", textarea=True)
    potential = _select(Customer, "potential", Potential.choices)
    annual_capacity = _text(Customer, "annual_capacity", inputmode="decimal")
    intention_level = _select(Customer, "intention_level", IntentionLevel.choices)
    intention_note = _text(Customer, "intention_note", textarea=True)
    source = _select(Customer, "source")
    source_note = _text(Customer, "source_note", maxlength=200)
    owner = _select(Customer, "owner")
    acknowledge_warnings = forms.BooleanField(
        label=_("Save anyway: I checked the possible duplicates"), required=False
    )

    def __init__(self, *args, owner_choices: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tax_id"].help_text = _(
            "Unified social credit code (18 characters) or Taiwan business number (8 digits)."
        )
        self.fields["tax_id_override_reason"].help_text = _(
            "Only when the code is right as registered but fails the check digit."
        )
        self.fields["source"].widget.choices = [("", "---------"), *rules.source_choices()]
        self.fields["source"].widget.attrs["required"] = True
        if owner_choices is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].widget.choices = owner_choices

    def grouped(self) -> list[tuple[Any, list]]:
        return [
            (label, [self[name] for name in names if name in self.fields])
            for label, names in self.groups
        ]


class FirstContactForm(ServiceForm):
    """The first person at a new customer, entered on the create page (prefix `contact`)."""

    service_fields = ("name", "title", "mobile", "email", "is_decision_maker")

    name = _text(Contact, "name", maxlength=100, autocomplete="off")
    title = _text(Contact, "title", maxlength=60)
    mobile = _text(Contact, "mobile", maxlength=40, inputmode="tel", autocomplete="off")
    email = _text(Contact, "email", maxlength=254, inputmode="email", autocomplete="off")
    is_decision_maker = _flag(Contact, "is_decision_maker")

    def has_content(self) -> bool:
        return any(self.cleaned_data.get(n) for n in ("name", "title", "mobile", "email"))


class ContactForm(ServiceForm):
    """Add or edit a person. On edit the personal fields start empty: empty keeps the value."""

    service_fields = (
        "name",
        "title",
        "mobile",
        "phone",
        "email",
        "is_decision_maker",
        "is_influencer",
        "is_primary",
        "legal_basis",
        "consent_note",
        "purpose",
        "retain_until",
        "source",
    )

    name = _text(Contact, "name", maxlength=100, autocomplete="off")
    title = _text(Contact, "title", maxlength=60)
    mobile = _text(Contact, "mobile", maxlength=40, inputmode="tel", autocomplete="off")
    phone = _text(Contact, "phone", maxlength=40, inputmode="tel", autocomplete="off")
    email = _text(Contact, "email", maxlength=254, inputmode="email", autocomplete="off")
    is_decision_maker = _flag(Contact, "is_decision_maker")
    is_influencer = _flag(Contact, "is_influencer")
    is_primary = _flag(Contact, "is_primary")
    legal_basis = _select(Contact, "legal_basis", LegalBasis.choices)
    consent_note = _text(Contact, "consent_note", maxlength=200)
    purpose = _text(Contact, "purpose", maxlength=200)
    retain_until = forms.DateField(
        label=_label(Contact, "retain_until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source = _text(Contact, "source", maxlength=100)

    def __init__(self, *args, masked: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editing = masked is not None
        for name in PERSONAL_CONTACT_FIELDS if self.editing else ():
            field = self.fields[name]
            field.widget.attrs["placeholder"] = masked.get(name) or ""
            field.help_text = _("Leave empty to keep the current value.")

    def service_data(self, *, changed_only: bool = False) -> dict[str, Any]:
        data = super().service_data(changed_only=changed_only)
        if self.editing:
            for name in PERSONAL_CONTACT_FIELDS:
                if not data.get(name):
                    data.pop(name, None)
        return data


class AddressForm(ServiceForm):
    service_fields = (
        "label",
        "recipient",
        "recipient_phone",
        "country",
        "province",
        "city",
        "district",
        "street",
        "postal_code",
        "is_default",
    )

    label = _text(ShipToAddress, "label", maxlength=60)
    recipient = _text(ShipToAddress, "recipient", maxlength=100, autocomplete="off")
    recipient_phone = _text(ShipToAddress, "recipient_phone", maxlength=40, inputmode="tel")
    country = _select(ShipToAddress, "country", Country.choices)
    province = _text(ShipToAddress, "province", maxlength=40)
    city = _text(ShipToAddress, "city", maxlength=40)
    district = _text(ShipToAddress, "district", maxlength=40)
    street = _text(ShipToAddress, "street", maxlength=200)
    postal_code = _text(ShipToAddress, "postal_code", maxlength=12)
    is_default = _flag(ShipToAddress, "is_default")


class AddressEditForm(AddressForm):
    service_fields = (*AddressForm.service_fields, "is_active")

    is_active = _flag(ShipToAddress, "is_active")


class InvoicingForm(ServiceForm):
    service_fields = (
        "invoice_title",
        "tax_id",
        "registered_address",
        "registered_phone",
        "bank_name",
        "bank_account",
    )

    invoice_title = _text(InvoicingDetails, "invoice_title", maxlength=200)
    tax_id = _text(InvoicingDetails, "tax_id", maxlength=30)
    registered_address = _text(InvoicingDetails, "registered_address", maxlength=200)
    registered_phone = _text(InvoicingDetails, "registered_phone", maxlength=40)
    bank_name = _text(InvoicingDetails, "bank_name", maxlength=100)
    bank_account = _text(InvoicingDetails, "bank_account", maxlength=40, autocomplete="off")

    def __init__(self, *args, masked_account: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if masked_account:
            self.fields["bank_account"].widget.attrs["placeholder"] = masked_account
            self.fields["bank_account"].help_text = _("Leave empty to keep the current account.")


class PurposeForm(forms.Form):
    """Why the user needs to see personal data; the service refuses an empty purpose."""

    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200)


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for erasure"), required=False, max_length=200)
    confirm = forms.BooleanField(
        label=_("I understand that this person's data is removed for good."), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class SharingForm(forms.Form):
    recipient = forms.CharField(label=_label(DataSharingAgreement, "recipient"), required=False)
    scope = forms.CharField(
        label=_label(DataSharingAgreement, "scope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.FileField(
        label=_label(DataSharingAgreement, "document"),
        required=False,
        help_text=_("The signed NDA as PDF or image (PNG, JPEG, WebP), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(NDA_SIGNATURES)}),
    )
    valid_from = forms.DateField(
        label=_label(DataSharingAgreement, "valid_from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=_label(DataSharingAgreement, "valid_until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is None:
            return None
        if document.size > NDA_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
        suffix = "." + document.name.rsplit(".", 1)[-1].lower() if "." in document.name else ""
        head = document.read(12)
        document.seek(0)
        signatures = NDA_SIGNATURES.get(suffix, ())
        if not any(head.startswith(s) for s in signatures) or (
            suffix == ".webp" and head[8:12] != b"WEBP"
        ):
            raise forms.ValidationError(
                _("Upload a PDF or an image (PNG, JPEG, WebP)."), code="file_type"
            )
        return document


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), required=False, max_length=200)


class ShareExportForm(forms.Form):
    agreement = forms.IntegerField(label=_("Data-sharing agreement"), required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200)


class RevealExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=(("xlsx", _("Excel (XLSX)")), ("csv", "CSV")), initial="xlsx"
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, min_length=2)
