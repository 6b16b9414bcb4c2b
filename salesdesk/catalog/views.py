"""Product pages (O1.3, U11): list with search, filters, sort and export; create and edit for
catalogue maintainers through `product_create` / `product_update`. Stock is in views_stock.py."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.catalog.models import Product, Supply
from salesdesk.catalog.services import PRODUCT_FIELDS, product_create, product_update
from salesdesk.core.errors import DomainError
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.listing import paginate, sort_queryset
from salesdesk.customers.validators import fold

SORTS = {"sku": "sku", "name": "name_folded", "category": "category", "price": "list_price"}
DEFAULT_SORT = "sku"
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_HEADERS = (
    gettext_lazy("SKU"),
    gettext_lazy("Name"),
    gettext_lazy("Specification"),
    gettext_lazy("Unit"),
    gettext_lazy("Category"),
    gettext_lazy("List price (excl. tax)"),
    gettext_lazy("Tax rate"),
    gettext_lazy("Supply"),
    gettext_lazy("Active"),
)


def _label(name: str) -> Any:
    return capfirst(Product._meta.get_field(name).verbose_name)


class ProductForm(forms.Form):
    """Collects the POST; `clean_product` in the service validates."""

    sku = forms.CharField(label=_label("sku"), required=False, max_length=40)
    name = forms.CharField(label=_label("name"), required=False, max_length=200)
    spec = forms.CharField(label=_label("spec"), required=False, max_length=200)
    unit = forms.CharField(label=_label("unit"), required=False, max_length=20)
    category = forms.CharField(label=_label("category"), required=False, max_length=60)
    list_price = forms.CharField(label=_label("list_price"), required=False)
    standard_cost = forms.CharField(label=_label("standard_cost"), required=False)
    tax_rate = forms.CharField(label=_label("tax_rate"), required=False)
    supply = forms.CharField(
        label=_label("supply"), required=False, widget=forms.Select(choices=Supply.choices)
    )
    is_active = forms.BooleanField(label=_label("is_active"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["sku"].disabled = True

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PRODUCT_FIELDS if name in self.fields}


def product_rows(request) -> tuple[QuerySet[Product], dict[str, str], str]:
    """The products for the query string; the page and the export show the same."""
    products = Product.objects.all()
    chosen = {k: request.GET.get(k, "").strip() for k in ("q", "category", "active", "supply")}
    if chosen["q"]:
        q = chosen["q"]
        products = products.filter(Q(sku__icontains=q) | Q(name_folded__contains=fold(q)))
    if chosen["category"]:
        products = products.filter(category=chosen["category"])
    if chosen["active"] in ("yes", "no"):
        products = products.filter(is_active=chosen["active"] == "yes")
    if chosen["supply"] in Supply.values:
        products = products.filter(supply=chosen["supply"])
    products, sort = sort_queryset(products, request.GET.get("sort", ""), SORTS, DEFAULT_SORT)
    return products, chosen, sort


def _export(products: QuerySet[Product], fmt: str):
    rows = (
        [
            p.sku,
            p.name,
            p.spec,
            p.unit,
            p.category,
            p.list_price,
            p.tax_rate,
            p.get_supply_display(),
            _("yes") if p.is_active else _("no"),
        ]
        for p in products.iterator(chunk_size=500)
    )
    name = f"products-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return csv_response(name, EXPORT_HEADERS, rows)
    return xlsx_response(name, EXPORT_HEADERS, rows, sheet=_("Products"))


@login_required
def product_list_view(request):
    """Search, filter, sort, page and export the catalogue (O1.3, U11)."""
    if not request.user.has_perm("catalog.view_product"):
        raise PageForbidden
    products, chosen, sort = product_rows(request)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        return _export(products, export)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = paginate(request, products)
    context.update(
        chosen=chosen,
        sort=sort,
        sorts=[
            ("sku", _("SKU")),
            ("name", _("Name")),
            ("category", _("Category")),
            ("price", _("List price")),
        ],
        categories=Product.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct(),
        supplies=Supply.choices,
        export_query=query.urlencode(),
        can_add=request.user.has_perm("catalog.add_product"),
        can_change=request.user.has_perm("catalog.change_product"),
        can_view_stock=request.user.has_perm("catalog.view_stock"),
    )
    return render(request, "catalog/product_list.html", context)


def _form_page(request, form, product, *, status=200):
    context = {"form": form, "product": product}
    return render(request, "catalog/product_form.html", context, status=status)


def _save(request, form, call) -> Product | None:
    try:
        return call()
    except DomainError as exc:
        fields = exc.extra.get("fields") or {exc.field or "": [exc.message]}
        for name, field_messages in fields.items():
            for message in field_messages:
                form.add_error(name if name in form.fields else None, str(message))
    return None


@login_required
def product_create_view(request):
    if not request.user.has_perm("catalog.add_product"):
        raise PageForbidden
    if request.method != "POST":
        return _form_page(
            request, ProductForm(initial={"is_active": True, "tax_rate": "0.13"}), None
        )
    form = ProductForm(request.POST)
    form.is_valid()
    product = _save(
        request, form, lambda: product_create(actor=request.user, data=form.service_data())
    )
    if product is None:
        return _form_page(request, form, None, status=422)
    messages.success(request, _("Product %(sku)s saved.") % {"sku": product.sku})
    return redirect("catalog:products")


@login_required
def product_edit_view(request, product_id: int):
    if not request.user.has_perm("catalog.change_product"):
        raise PageForbidden
    product = get_object_or_404(Product, pk=product_id)
    initial = {name: getattr(product, name) for name in PRODUCT_FIELDS}
    if request.method != "POST":
        return _form_page(request, ProductForm(initial=initial, editing=True), product)
    form = ProductForm(request.POST, initial=initial, editing=True)
    form.is_valid()
    saved = _save(
        request,
        form,
        lambda: product_update(actor=request.user, product_id=product.pk, data=form.service_data()),
    )
    if saved is None:
        return _form_page(request, form, product, status=422)
    messages.success(request, _("Product %(sku)s saved.") % {"sku": saved.sku})
    return redirect("catalog:products")
