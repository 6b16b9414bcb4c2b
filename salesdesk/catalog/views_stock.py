"""The stock page (O2.3): on hand, reserved and available per product and warehouse, the
latest movements, and an adjustment form for stock keepers that calls `stock_adjust`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.catalog.models import Product, Stock, StockMovement, Warehouse
from salesdesk.catalog.services import stock_adjust
from salesdesk.core.errors import DomainError
from salesdesk.core.listing import paginate
from salesdesk.customers.validators import fold

MOVEMENTS_SHOWN = 20


class AdjustForm(forms.Form):
    """Collects the POST; the service checks the quantity, reason and stock levels."""

    sku = forms.CharField(
        label=gettext_lazy("SKU"),
        required=False,
        widget=forms.TextInput(attrs={"list": "stock-skus", "autocomplete": "off"}),
    )
    warehouse = forms.CharField(
        label=pgettext_lazy("storage place", "Warehouse"), required=False, widget=forms.Select()
    )
    quantity = forms.CharField(
        label=gettext_lazy("Quantity (+ receive, − remove)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        warehouses = Warehouse.objects.filter(is_active=True).order_by("code")
        self.fields["warehouse"].widget.choices = [(str(w.pk), str(w)) for w in warehouses]


def _page(request, form: AdjustForm | None, *, status: int = 200):
    rows = Stock.objects.select_related("product", "warehouse").annotate(
        free=F("on_hand") - F("reserved")
    )
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(Q(product__sku__icontains=q) | Q(product__name_folded__contains=fold(q)))
    warehouse = request.GET.get("warehouse", "")
    if warehouse.isdigit():
        rows = rows.filter(warehouse_id=int(warehouse))
    if request.GET.get("short") == "1":
        rows = rows.filter(free__lte=0)
    context = paginate(request, rows.order_by("product__sku", "warehouse__code"))
    context.update(
        q=q,
        warehouse=warehouse,
        short=request.GET.get("short") == "1",
        warehouses=Warehouse.objects.order_by("code"),
        form=form,
        skus=Product.objects.filter(is_active=True).order_by("sku").values_list("sku", "name")
        if form
        else [],
        movements=StockMovement.objects.select_related("product", "warehouse", "actor")[
            :MOVEMENTS_SHOWN
        ],
    )
    return render(request, "catalog/stock_list.html", context, status=status)


@login_required
def stock_list_view(request):
    """Stock per product and warehouse: on hand, reserved, available (O2.3)."""
    if not request.user.has_perm("catalog.view_stock"):
        raise PageForbidden
    form = None
    if request.user.has_perm("catalog.change_stock"):
        form = AdjustForm(initial={"sku": request.GET.get("sku", "")})
    return _page(request, form)


@login_required
@require_POST
def stock_adjust_view(request):
    """Receive or correct stock with a reason; never below what is reserved (O2.3)."""
    if not request.user.has_perm("catalog.change_stock"):
        raise PageForbidden
    form = AdjustForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    product = Product.objects.filter(sku=data.get("sku", "").strip().upper()).first()
    if product is None:
        form.add_error("sku", _("Unknown product “%(sku)s”.") % {"sku": data.get("sku", "")})
        return _page(request, form, status=422)
    warehouse = data.get("warehouse", "")
    try:
        stock = stock_adjust(
            actor=request.user,
            product_id=product.pk,
            warehouse_id=int(warehouse) if warehouse.isdigit() else 0,
            quantity=data.get("quantity", ""),
            reason=data.get("reason", ""),
        )
    except DomainError as exc:
        fields = exc.extra.get("fields") or {exc.field or "": [exc.message]}
        for name, field_messages in fields.items():
            for message in field_messages:
                form.add_error(name if name in form.fields else None, str(message))
        return _page(request, form, status=422)
    messages.success(
        request,
        _("Stock of %(sku)s in %(warehouse)s is now %(qty)s.")
        % {
            "sku": product.sku,
            "warehouse": stock.warehouse,
            "qty": format(stock.on_hand.normalize(), "f"),
        },
    )
    return redirect("catalog:stock")
