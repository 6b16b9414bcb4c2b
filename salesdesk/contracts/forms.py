"""Contract page forms. They only collect the POST; the contract services validate (K1–K4)."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from salesdesk.contracts.models import (
    Contract,
    ContractStatus,
    ContractType,
    Party,
    SigningMethod,
)
from salesdesk.contracts.selectors import ContractFilters
from salesdesk.orders.rules import payment_term_choices

DRAFT_FIELDS = ("title", "start_date", "end_date", "amount", "payment_terms")
BLANK = ("", "---------")


def _label(name: str) -> Any:
    return capfirst(Contract._meta.get_field(name).verbose_name)


def _date(label: Any, *, required: bool = False) -> forms.CharField:
    # A CharField: the service parses the date and says what is wrong with it.
    return forms.CharField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


def _text(label: Any, length: int = 200, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=length, widget=forms.TextInput(attrs=attrs)
    )


class ContractFilterForm(forms.Form):
    """The list's filters (K3.2) and the expiring / expired lists (K3.3)."""

    q = forms.CharField(label=_("Number or title"), required=False, max_length=60)
    customer = forms.IntegerField(label=_label("customer"), required=False, widget=forms.Select())
    contract_type = forms.IntegerField(label=_("Type"), required=False, widget=forms.Select())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ContractStatus.choices]
    )
    signed_from = forms.DateField(
        label=_("Signed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_to = forms.DateField(
        label=_("Signed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount_min = forms.DecimalField(
        label=_("Amount from"), required=False, min_value=0, decimal_places=2, max_digits=16
    )
    amount_max = forms.DecimalField(
        label=_("Amount up to"), required=False, min_value=0, decimal_places=2, max_digits=16
    )
    expiring = forms.BooleanField(label=_("Expiring soon"), required=False)
    expired = forms.BooleanField(label=_("Expired"), required=False)

    def __init__(self, *args, customers=(), types=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget.choices = [("", _("All")), *customers]
        self.fields["contract_type"].widget.choices = [("", _("All")), *types]

    def filters(self) -> ContractFilters:
        if not self.is_valid():
            return ContractFilters()
        data = self.cleaned_data
        return ContractFilters(
            customer_id=data.get("customer"),
            contract_type_id=data.get("contract_type"),
            status=data.get("status") or "",
            signed_from=data.get("signed_from"),
            signed_to=data.get("signed_to"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            q=data.get("q") or "",
            expiring=bool(data.get("expiring")),
            expired=bool(data.get("expired")),
        )


class ContractTermsForm(forms.Form):
    """The terms of a draft; the amount is blank to take it from the linked orders."""

    title = _text(_label("title"))
    start_date = _date(_label("start_date"))
    end_date = _date(_label("end_date"))
    amount = forms.CharField(
        label=_label("amount"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Leave empty to use the total of the linked orders."),
    )
    payment_terms = forms.CharField(
        label=_label("payment_terms"), required=False, widget=forms.Select()
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payment_terms"].widget.choices = [BLANK, *payment_term_choices()]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) or "" for name in DRAFT_FIELDS}
        if not str(data["amount"]).strip():
            del data["amount"]  # drafting takes the orders' total; editing keeps the amount
        return data


class ContractDraftForm(ContractTermsForm):
    """A new draft: type, customer and that customer's orders (K1.1)."""

    contract_type = forms.CharField(label=_("Type"), required=False, widget=forms.Select())
    customer = forms.CharField(label=_label("customer"), required=False, widget=forms.Select())
    orders = forms.MultipleChoiceField(
        label=_("Linked orders"), required=False, widget=forms.CheckboxSelectMultiple
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput())

    field_order = ["contract_type", "customer", "orders", *DRAFT_FIELDS, "parent"]

    def __init__(self, *args, types=(), customers=(), orders=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract_type"].widget.choices = [BLANK, *types]
        self.fields["customer"].widget.choices = [BLANK, *customers]
        # Choosing the customer reloads the list of their orders (HTMX).
        self.fields["customer"].widget.attrs.update(
            {
                "hx-get": reverse("contracts:draft_orders"),
                "hx-trigger": "change",
                "hx-target": "#draft-orders",
            }
        )
        self.fields["orders"].choices = list(orders)

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not str(data["title"]).strip():
            del data["title"]  # the type's name
        return data

    def number(self, name: str) -> int | None:
        value = str(self.cleaned_data.get(name) or "").strip()
        return int(value) if value.isdigit() else None

    def order_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("orders", []) if str(v).isdigit()]


class ContractEditForm(ContractTermsForm):
    """A draft's terms and its text (HTML); a change of the text makes a new version."""

    body = forms.CharField(
        label=_label("body"), required=False, widget=forms.Textarea(attrs={"rows": 18})
    )

    def service_data(self) -> dict[str, Any]:
        return {**super().service_data(), "body": self.cleaned_data.get("body", "")}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StartSigningForm(forms.Form):
    method = forms.ChoiceField(label=_("Signing method"), choices=SigningMethod.choices)
    originals = forms.IntegerField(label=_("Number of originals"), initial=2, required=False)
    esign_provider = _text(_("E-signature provider"), 60)
    esign_reference = _text(_("Envelope reference"), 100)


class SignatureForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    signatory = _text(_("Signatory"), 100)
    title = _text(_("Title"), 60)
    seal = _text(_("Seal"), 100)
    signed_on = _date(_("Signed on"))
    originals_held = forms.IntegerField(
        label=_("Originals held"), initial=1, min_value=0, max_value=10, required=False
    )


class ScanForm(forms.Form):
    file = forms.FileField(label=_("Signed scan (PDF or image)"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class FulfilForm(forms.Form):
    fulfilled_on = _date(_("Fulfilled on"))
    evidence = _text(_("Evidence"), 200)


class BreachForm(forms.Form):
    party = forms.ChoiceField(label=_("Party in breach"), choices=Party.choices)
    obligation = forms.CharField(label=_("Obligation"), required=False, widget=forms.Select())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remedy = forms.CharField(
        label=_("Remedy sought"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, obligations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligation"].widget.choices = [BLANK, *obligations]


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=500)


class ContractTypeForm(forms.Form):
    """A contract type's name and HTML template (K1.1)."""

    name = _text(capfirst(ContractType._meta.get_field("name").verbose_name), 100)
    template = forms.CharField(
        label=capfirst(ContractType._meta.get_field("template").verbose_name),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        help_text=_(
            "HTML with placeholders such as {{ customer.legal_name }}, {{ amount }}, "
            "{{ amount_in_words }}, {{ payment_terms }}, {{ delivery_date }}, and the goods "
            "in a loop over lines (line.product.name, line.quantity, line.unit_price)."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)
