"""Order page forms and the line grid. They only collect the POST; the services validate (O1.3)."""

import re
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from salesdesk.orders.inputs import MAX_LINES
from salesdesk.orders.models import Channel, DelayCause, GuaranteeKind, Order, OrderStatus
from salesdesk.orders.paste import clean_number, clean_rate, parse_pasted
from salesdesk.orders.rules import payment_term_choices

LINE_FIELDS = ("sku", "quantity", "unit_price", "discount_rate", "tax_rate", "requested_date")
# The grid's cells: (field, column heading, input type, inputmode).
CELLS = (
    ("sku", _("SKU"), "text", "text"),
    ("quantity", _("Quantity"), "text", "decimal"),
    ("unit_price", _("Unit price"), "text", "decimal"),
    ("discount_rate", _("Discount"), "text", "decimal"),
    ("tax_rate", _("Tax rate"), "text", "decimal"),
    ("requested_date", _("Requested date"), "date", ""),
)
_LINE_KEY = re.compile(r"^lines-(\d{1,4})-(" + "|".join(LINE_FIELDS) + ")$")
# The services name line cells `lines.N.<field>`; the grid calls the product cell "sku".
SERVICE_TO_CELL = {"product": "sku"}
HEADER_FIELDS = (
    "channel",
    "payment_terms",
    "requested_delivery_date",
    "customer_reference",
    "prices_include_tax",
    "note",
)
CHANGE_HEADER_FIELDS = ("payment_terms", "requested_delivery_date", "customer_reference", "note")


def _label(name: str) -> Any:
    return capfirst(Order._meta.get_field(name).verbose_name)


def _date_field(label: Any) -> forms.CharField:
    # A CharField: the service parses the date and says what is wrong with it.
    return forms.CharField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _terms_field() -> forms.CharField:
    return forms.CharField(label=_label("payment_terms"), required=False, widget=forms.Select())


class OrderHeaderForm(forms.Form):
    """The order head on the entry page; `customer` only when creating."""

    customer = forms.CharField(label=_label("customer"), required=False, widget=forms.Select())
    channel = forms.CharField(
        label=_label("channel"), required=False, widget=forms.Select(choices=Channel.choices)
    )
    payment_terms = _terms_field()
    requested_delivery_date = _date_field(_label("requested_delivery_date"))
    customer_reference = forms.CharField(
        label=_label("customer_reference"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 60, "autocomplete": "off"}),
    )
    prices_include_tax = forms.BooleanField(label=_label("prices_include_tax"), required=False)
    note = forms.CharField(
        label=_label("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, customer_choices: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        terms = [("", "---------"), *payment_term_choices()]
        self.fields["payment_terms"].widget.choices = terms
        if customer_choices is None:
            del self.fields["customer"]
        else:
            self.fields["customer"].widget.choices = [("", "---------"), *customer_choices]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in HEADER_FIELDS}

    def customer_id(self) -> int | None:
        value = (self.cleaned_data.get("customer") or "").strip()
        return int(value) if value.isdigit() else None


class ChangeRequestForm(forms.Form):
    """The head of a proposed change (U4); the lines come from the grid."""

    payment_terms = _terms_field()
    requested_delivery_date = _date_field(_label("requested_delivery_date"))
    customer_reference = forms.CharField(
        label=_label("customer_reference"), required=False, max_length=60
    )
    note = forms.CharField(
        label=_label("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payment_terms"].widget.choices = [("", "---------"), *payment_term_choices()]

    def header(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in CHANGE_HEADER_FIELDS}


def posted_rows(data: Any) -> tuple[list[dict[str, str]], int]:
    """The grid's filled rows in order, and how many rows the page had (empty ones included)."""
    by_index: dict[int, dict[str, str]] = {}
    for key in data:
        match = _LINE_KEY.match(key)
        if match:
            by_index.setdefault(int(match[1]), {})[match[2]] = str(data.get(key) or "").strip()
    rows = [{f: row.get(f, "") for f in LINE_FIELDS} for _i, row in sorted(by_index.items())]
    filled = [row for row in rows if any(row.values())]
    return filled[: MAX_LINES + 1], len(rows)


def rows_with_paste(data: Any) -> tuple[list[dict[str, str]], int]:
    """Grid rows plus any rows still waiting in the paste box (the no-JavaScript path, U2)."""
    rows, count = posted_rows(data)
    pasted = [
        {**dict.fromkeys(LINE_FIELDS, ""), **row} for row in parse_pasted(data.get("paste", ""))
    ]
    return (rows + pasted)[: MAX_LINES + 1], count


def service_lines(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Grid rows as the order services take them; "5%" is accepted for rates."""
    return [
        {
            "product": row["sku"],
            "quantity": clean_number(row["quantity"]),
            "unit_price": clean_number(row["unit_price"]),
            "discount_rate": clean_rate(row["discount_rate"]),
            "tax_rate": clean_rate(row["tax_rate"]),
            "requested_date": row["requested_date"],
        }
        for row in rows
    ]


def line_errors(fields: dict[str, list]) -> dict[int, dict[str, list]]:
    """`lines.2.quantity` → {2: {"quantity": [...]}}: the messages for each grid cell."""
    by_row: dict[int, dict[str, list]] = {}
    for key, messages in fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            cell = SERVICE_TO_CELL.get(parts[2], parts[2])
            by_row.setdefault(int(parts[1]), {}).setdefault(cell, []).extend(messages)
    return by_row


def grid(rows: list[dict[str, str]], errors: dict[int, dict[str, list]], size: int) -> list[dict]:
    """The rows the page shows: the filled ones with their errors, then empty ones to `size`."""
    shown = [dict.fromkeys(LINE_FIELDS, "") for _i in range(max(size, len(rows)))]
    shown[: len(rows)] = rows
    return [
        {
            "index": index,
            "has_errors": index in errors,
            "cells": [
                {
                    "name": name,
                    "label": label,
                    "type": kind,
                    "inputmode": inputmode,
                    "value": row[name],
                    "errors": errors.get(index, {}).get(name, []),
                }
                for name, label, kind, inputmode in CELLS
            ],
        }
        for index, row in enumerate(shown, start=1)
    ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class GuaranteeForm(forms.Form):
    kind = forms.CharField(
        label=_("Kind of guarantee"),
        required=False,
        widget=forms.Select(choices=[("", "---------"), *GuaranteeKind.choices]),
    )
    amount = forms.CharField(
        label=_("Amount"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    document = forms.FileField(label=_("Document"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class OverrideForm(forms.Form):
    rule = forms.CharField(label=_("Rule"), required=False, widget=forms.Select())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, rules: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].widget.choices = [(rule, rule) for rule in rules]


class ConfirmationForm(forms.Form):
    file = forms.FileField(label=_("Written confirmation"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class DelayForm(forms.Form):
    cause = forms.CharField(
        label=_("Cause"),
        required=False,
        widget=forms.Select(choices=[("", "---------"), *DelayCause.choices]),
    )
    new_date = _date_field(_("New date"))
    description = forms.CharField(
        label=_("Description for the customer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notify_customer = forms.BooleanField(
        label=_("Send the notice to the customer"), required=False, initial=True
    )


class OrderFilterForm(forms.Form):
    """The order list's filters (the same for the page and the export)."""

    q = forms.CharField(label=_("Order number"), required=False, max_length=30)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *OrderStatus.choices]
    )
    customer = forms.IntegerField(label=_("Customer"), required=False, widget=forms.Select())
    salesperson = forms.IntegerField(label=_("Salesperson"), required=False, widget=forms.Select())
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    holds = forms.BooleanField(label=_("On hold only"), required=False)

    def __init__(self, *args, customers=(), salespeople=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget.choices = [("", _("All")), *customers]
        self.fields["salesperson"].widget.choices = [("", _("All")), *salespeople]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}
