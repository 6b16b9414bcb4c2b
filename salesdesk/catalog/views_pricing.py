"""Price list pages (O1.3, O2.2, U11): the lists with filters; one list with its prices (SKU
search, inline add and edit with HTMX and a plain-form fallback, XLSX export); the list form
and deactivation. Every write goes through `salesdesk.catalog.pricing`.

HTMX only swaps 2xx responses, so a refused inline save answers 200 with the errors shown in
the swapped form; the plain form answers 422 with the whole page.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from salesdesk.catalog.models import PriceList, PriceListItem, Product
from salesdesk.catalog.pricing import (
    PRICE_LIST_FIELDS,
    price_item_set,
    price_list_create,
    price_list_deactivate,
    price_list_items,
    price_list_list,
    price_list_update,
)
from salesdesk.core.errors import DomainError
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate
from salesdesk.customers.models import CustomerGrade

GENERAL = "general"
EXPORT_HEADERS = (
    gettext_lazy("SKU"),
    gettext_lazy("Name"),
    gettext_lazy("Unit"),
    gettext_lazy("List price (excl. tax)"),
    gettext_lazy("Unit price (excl. tax)"),
    gettext_lazy("Lowest allowed price"),
)
DATE = {"type": "date"}
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def _label(model, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


class PriceListForm(forms.Form):
    """Collects the POST; `clean_price_list` in the service validates."""

    name = forms.CharField(label=_label(PriceList, "name"), required=False, max_length=100)
    customer_grade = forms.CharField(
        label=_label(PriceList, "customer_grade"),
        required=False,
        widget=forms.Select(choices=[("", gettext_lazy("Every grade")), *CustomerGrade.choices]),
    )
    valid_from = forms.CharField(
        label=_label(PriceList, "valid_from"), required=False, widget=forms.TextInput(DATE)
    )
    valid_until = forms.CharField(
        label=_label(PriceList, "valid_until"),
        required=False,
        widget=forms.TextInput(DATE),
        help_text=gettext_lazy("Empty: valid until further notice."),
    )
    is_active = forms.BooleanField(label=_label(PriceList, "is_active"), required=False)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PRICE_LIST_FIELDS}


class PriceItemForm(forms.Form):
    """One product's prices in a list; the service checks them."""

    sku = forms.CharField(
        label=gettext_lazy("SKU"),
        required=False,
        widget=forms.TextInput(attrs={"list": "price-skus", "autocomplete": "off"}),
    )
    unit_price = forms.CharField(
        label=_label(PriceListItem, "unit_price"), required=False, widget=forms.TextInput(DECIMAL)
    )
    min_price = forms.CharField(
        label=_label(PriceListItem, "min_price"), required=False, widget=forms.TextInput(DECIMAL)
    )


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PageForbidden


def _apply_errors(form: forms.Form, error: DomainError) -> None:
    fields = error.extra.get("fields") or {error.field or "": [error.message]}
    for name, field_messages in fields.items():
        target = "sku" if name == "product" else name
        for message in field_messages:
            form.add_error(target if target in form.fields else None, str(message))


def _day(value: str) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


@login_required
def price_list_list_view(request):
    """Price lists filtered by grade, activity and a day they are valid on (O1.3, O2.2)."""
    _require(request, "catalog.view_pricelist")
    chosen = {k: request.GET.get(k, "").strip() for k in ("grade", "active", "on")}
    grade = chosen["grade"]
    lists = price_list_list(
        grade="" if grade == GENERAL else grade if grade in CustomerGrade.values else None,
        active={"yes": True, "no": False}.get(chosen["active"]),
        valid_on=_day(chosen["on"]),
    ).annotate(item_count=Count("items"))
    context = paginate(request, lists)
    context.update(
        chosen=chosen,
        grades=CustomerGrade.choices,
        today=timezone.localdate(),
        can_add=request.user.has_perm("catalog.add_pricelist"),
    )
    return render(request, "catalog/pricelist_list.html", context)


def _export(price_list: PriceList, items):
    rows = (
        [
            item.product.sku,
            item.product.name,
            item.product.unit,
            item.product.list_price,
            item.unit_price,
            item.min_price,
        ]
        for item in items.iterator(chunk_size=500)
    )
    name = f"price-list-{price_list.pk}-{timezone.localdate().isoformat()}"
    return xlsx_response(name, EXPORT_HEADERS, rows, sheet=price_list.name)


def _items_context(request, price_list: PriceList, form: PriceItemForm | None) -> dict:
    q = request.GET.get("q", "").strip()
    can_change = request.user.has_perm("catalog.change_pricelist")
    context = paginate(request, price_list_items(price_list, sku=q))
    context.update(
        price_list=price_list,
        q=q,
        can_change=can_change,
        form=(form or PriceItemForm()) if can_change else None,
        skus=Product.objects.filter(is_active=True).order_by("sku").values_list("sku", "name")
        if can_change
        else [],
    )
    return context


@login_required
@require_GET
def price_list_detail_view(request, price_list_id: int):
    """One list with its prices, searchable by SKU and exported to Excel (O1.3, U11)."""
    _require(request, "catalog.view_pricelist")
    price_list = get_object_or_404(PriceList, pk=price_list_id)
    if request.GET.get("export") == "xlsx":
        return _export(price_list, price_list_items(price_list, sku=request.GET.get("q", "")))
    return render(
        request, "catalog/pricelist_detail.html", _items_context(request, price_list, None)
    )


@login_required
@require_POST
def price_item_add_view(request, price_list_id: int):
    """Add or replace a product's price from the form above the table (O1.3)."""
    _require(request, "catalog.change_pricelist")
    price_list = get_object_or_404(PriceList, pk=price_list_id)
    form = PriceItemForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        item = price_item_set(
            actor=request.user,
            price_list_id=price_list.pk,
            sku=data.get("sku", ""),
            unit_price=data.get("unit_price", ""),
            min_price=data.get("min_price", ""),
        )
    except DomainError as exc:
        _apply_errors(form, exc)
        context = _items_context(request, price_list, form)
        if request.htmx:
            return render(request, "catalog/partials/pricelist_items.html", context)
        return render(request, "catalog/pricelist_detail.html", context, status=422)
    saved = _("Price of %(sku)s saved.") % {"sku": item.product.sku}
    if request.htmx:
        context = _items_context(request, price_list, None) | {"saved": saved}
        return render(request, "catalog/partials/pricelist_items.html", context)
    messages.success(request, saved)
    return redirect("catalog:price_list_detail", price_list_id=price_list.pk)


def _item(price_list_id: int, sku: str) -> PriceListItem:
    return get_object_or_404(
        PriceListItem.objects.select_related("price_list", "product"),
        price_list_id=price_list_id,
        product__sku=sku,
    )


def _item_form_page(request, item: PriceListItem, form: PriceItemForm, *, status: int = 200):
    context = {"item": item, "price_list": item.price_list, "form": form}
    template = (
        "catalog/partials/pricelistitem_row_form.html"
        if request.htmx
        else "catalog/pricelistitem_form.html"
    )
    response = render(request, template, context, status=200 if request.htmx else status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def price_item_edit_view(request, price_list_id: int, sku: str):
    """Change one product's prices: inline in the table with HTMX, else on its own page."""
    _require(request, "catalog.change_pricelist")
    item = _item(price_list_id, sku)
    if request.method != "POST":
        initial = {"sku": item.product.sku, "unit_price": item.unit_price}
        initial["min_price"] = "" if item.min_price is None else item.min_price
        return _item_form_page(request, item, PriceItemForm(initial=initial))
    form = PriceItemForm(request.POST)
    form.is_valid()
    try:
        saved = price_item_set(
            actor=request.user,
            price_list_id=item.price_list_id,
            product_id=item.product_id,
            unit_price=form.cleaned_data.get("unit_price", ""),
            min_price=form.cleaned_data.get("min_price", ""),
        )
    except DomainError as exc:
        _apply_errors(form, exc)
        return _item_form_page(request, item, form, status=422)
    if request.htmx:
        return _item_row(request, _item(price_list_id, sku))
    messages.success(request, _("Price of %(sku)s saved.") % {"sku": saved.product.sku})
    return redirect("catalog:price_list_detail", price_list_id=price_list_id)


def _item_row(request, item: PriceListItem):
    context = {"item": item, "price_list": item.price_list, "can_change": True}
    return render(request, "catalog/partials/pricelistitem_row.html", context)


@login_required
@require_GET
def price_item_row_view(request, price_list_id: int, sku: str):
    """HTMX: the table row of one price again (cancelling an inline edit)."""
    _require(request, "catalog.change_pricelist")
    if not request.htmx:
        return redirect("catalog:price_list_detail", price_list_id=price_list_id)
    return _item_row(request, _item(price_list_id, sku))


def _form_page(request, form: PriceListForm, price_list: PriceList | None, *, status=200):
    context = {"form": form, "price_list": price_list}
    return render(request, "catalog/pricelist_form.html", context, status=status)


def _save(form: PriceListForm, call) -> PriceList | None:
    try:
        return call()
    except DomainError as exc:
        _apply_errors(form, exc)
    return None


@login_required
def price_list_create_view(request):
    """Start a price list for a grade or for all (O1.3, O2.2)."""
    _require(request, "catalog.add_pricelist")
    if request.method != "POST":
        initial = {"valid_from": timezone.localdate().isoformat(), "is_active": True}
        return _form_page(request, PriceListForm(initial=initial), None)
    form = PriceListForm(request.POST)
    form.is_valid()
    price_list = _save(
        form, lambda: price_list_create(actor=request.user, data=form.service_data())
    )
    if price_list is None:
        return _form_page(request, form, None, status=422)
    messages.success(request, _("Price list “%(name)s” saved.") % {"name": price_list.name})
    return redirect("catalog:price_list_detail", price_list_id=price_list.pk)


@login_required
def price_list_edit_view(request, price_list_id: int):
    _require(request, "catalog.change_pricelist")
    price_list = get_object_or_404(PriceList, pk=price_list_id)
    if request.method != "POST":
        initial = {name: getattr(price_list, name) for name in PRICE_LIST_FIELDS}
        for name in ("valid_from", "valid_until"):
            initial[name] = initial[name].isoformat() if initial[name] else ""
        return _form_page(request, PriceListForm(initial=initial), price_list)
    form = PriceListForm(request.POST)
    form.is_valid()
    saved = _save(
        form,
        lambda: price_list_update(
            actor=request.user, price_list_id=price_list.pk, data=form.service_data()
        ),
    )
    if saved is None:
        return _form_page(request, form, price_list, status=422)
    messages.success(request, _("Price list “%(name)s” saved.") % {"name": saved.name})
    return redirect("catalog:price_list_detail", price_list_id=price_list.pk)


@login_required
@require_POST
def price_list_deactivate_view(request, price_list_id: int):
    """Stop a list applying to new orders; it stays on record (O1.3)."""
    _require(request, "catalog.change_pricelist")
    price_list = get_object_or_404(PriceList, pk=price_list_id)
    try:
        price_list_deactivate(
            actor=request.user, price_list_id=price_list.pk, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Price list “%(name)s” deactivated.") % {"name": price_list.name}
        )
    return redirect("catalog:price_list_detail", price_list_id=price_list.pk)
