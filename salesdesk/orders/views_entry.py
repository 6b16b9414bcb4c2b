"""The fast order-entry page (O1.1–O1.3, U2, U3): head, a keyboard-friendly line grid, lines
pasted from Excel, the customer's last price, and totals computed on the server.

Creating calls `order_create`, editing a draft `order_update`; "save and submit" then calls
`order_submit`. Without JavaScript the grid's buttons (add line, add pasted lines,
recalculate) submit the form and the page comes back with the rows merged; with it,
static/salesdesk/order-entry.js does the same in the page and HTMX asks for the totals.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from salesdesk.catalog.models import Product
from salesdesk.catalog.pricing import price_quote
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.customers.models import CustomerStage
from salesdesk.customers.selectors import CustomerFilters, customer_get, customer_list
from salesdesk.orders.forms import OrderHeaderForm, rows_with_paste, service_lines
from salesdesk.orders.models import Order, OrderStatus
from salesdesk.orders.selectors import last_price
from salesdesk.orders.services import order_create, order_submit, order_update
from salesdesk.orders.views_common import (
    apply_errors,
    can_change,
    check_order_input,
    grid_context,
    order_or_404,
    order_rows,
    totals_preview,
)

ENTRY_ROWS = 3
CUSTOMER_CHOICES = 200
GRID_ACTIONS = ("add_line", "paste", "recalculate")


def _may_enter(user: Any) -> bool:
    return user.has_perm("orders.add_order") or user.has_perm("orders.change_order")


def customer_choices(user: Any, q: str = "", selected: str = "") -> list[tuple[str, str]]:
    """Customers the user may order for, by name; the selected one always stays listed."""
    customers = customer_list(user=user, filters=CustomerFilters(q=q), sort="name").exclude(
        stage=CustomerStage.LOST
    )
    choices = [(str(c.pk), f"{c.code} {c.legal_name}") for c in customers[:CUSTOMER_CHOICES]]
    if selected.isdigit() and selected not in dict(choices):
        try:
            chosen = customer_get(user=user, customer_id=int(selected))
        except NotFound:
            return choices
        choices.insert(0, (str(chosen.pk), f"{chosen.code} {chosen.legal_name}"))
    return choices


def _initial(order: Order | None) -> dict[str, Any]:
    if order is None:
        return {"channel": "written"}
    return {
        "channel": order.channel,
        "payment_terms": order.payment_terms,
        "requested_delivery_date": order.requested_delivery_date.isoformat(),
        "customer_reference": order.customer_reference,
        "prices_include_tax": order.prices_include_tax,
        "note": order.note,
    }


def _render(request, order, form, rows, *, size, fields=None, status=200, preview=False):
    if form.is_bound:
        include_tax = bool(form.is_valid() and form.cleaned_data["prices_include_tax"])
    else:
        include_tax = bool(order and order.prices_include_tax)
    totals = {}
    if preview:
        customer = (
            order.customer if order else _customer(request.user, request.POST.get("customer"))
        )
        totals = totals_preview(rows, prices_include_tax=include_tax, customer=customer)
    context = {
        "order": order,
        "form": form,
        "creating": order is None,
        "can_submit": request.user.has_perm("orders.submit_order"),
        "totals": totals,
        **grid_context(rows, fields or {}, size),
    }
    return render(request, "orders/order_form.html", context, status=status)


@login_required
def order_create_view(request):
    """Enter an order (O1.1, U2)."""
    if not request.user.has_perm("orders.add_order"):
        raise PageForbidden
    return _entry(request, None)


@login_required
def order_edit_view(request, order_id: int):
    """Edit a draft; approved orders change through a change request (U4)."""
    order = order_or_404(request.user, order_id)
    if order.status != OrderStatus.DRAFT or not can_change(request.user, order):
        raise PageForbidden
    return _entry(request, order)


def _entry(request, order: Order | None):
    user = request.user
    if request.method != "POST":
        rows = order_rows(order) if order else []
        choices = customer_choices(user) if order is None else None
        form = OrderHeaderForm(initial=_initial(order), customer_choices=choices)
        size = max(len(rows) + 1, ENTRY_ROWS)
        return _render(request, order, form, rows, size=size, preview=bool(rows))
    choices = None
    if order is None:
        choices = customer_choices(user, selected=request.POST.get("customer", ""))
    form = OrderHeaderForm(request.POST, customer_choices=choices)
    form.is_valid()
    rows, posted = rows_with_paste(request.POST)
    action = request.POST.get("action", "save")
    if action in GRID_ACTIONS:
        size = posted + 1 if action == "add_line" else len(rows) + 1
        return _render(request, order, form, rows, size=size, preview=True)
    saved, fields = _save(request, order, form, rows)
    if saved is None:
        return _render(request, order, form, rows, size=len(rows) + 1, fields=fields, status=422)
    messages.success(request, _("Order %(n)s saved.") % {"n": saved.number})
    if action == "submit":
        try:
            saved = order_submit(actor=user, order_id=saved.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Submitted: %(s)s.") % {"s": saved.get_status_display()})
    return redirect("orders:detail", order_id=saved.pk)


def _save(request, order, form, rows) -> tuple[Order | None, dict]:
    """Check head and lines together, then call the service; errors go next to the fields."""
    header, lines = form.service_data(), service_lines(rows)
    fields = check_order_input(header, lines)
    if order is None and form.customer_id() is None:
        fields["customer"] = [_("Choose a customer.")]
    if fields:
        for name, field_messages in fields.items():
            if not name.startswith("lines"):
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, str(message))
        return None, fields
    try:
        if order is None:
            saved = order_create(
                actor=request.user, customer_id=form.customer_id(), data=header, lines=lines
            )
        else:
            saved = order_update(actor=request.user, order_id=order.pk, data=header, lines=lines)
    except DomainError as exc:
        apply_errors(form, exc)
        return None, exc.extra.get("fields") or {}
    return saved, {}


@login_required
@require_GET
def entry_customers_view(request):
    """HTMX: the customer picker narrowed by a search (name, number, tax ID, phone)."""
    if not request.user.has_perm("orders.add_order"):
        raise PageForbidden
    choices = customer_choices(
        request.user,
        q=request.GET.get("customer_q", "")[:100],
        selected=request.GET.get("customer", ""),
    )
    form = OrderHeaderForm(
        initial={"customer": request.GET.get("customer", "")}, customer_choices=choices
    )
    return render(request, "orders/partials/customer_select.html", {"form": form})


def _customer(user: Any, value: str | None):
    """The chosen customer if the user may see it, for prices; else None."""
    if not (value or "").isdigit():
        return None
    try:
        return customer_get(user=user, customer_id=int(value))
    except NotFound:
        return None


def _requested_sku(params) -> str:
    for key, value in params.items():
        if key == "sku" or (key.startswith("lines-") and key.endswith("-sku")):
            return value.strip().upper()
    return ""


@login_required
@require_GET
def entry_product_view(request):
    """HTMX: the product behind a typed SKU, the price an empty price cell gets (the
    customer's price-list price, O2.2) and this customer's last price for it (U2)."""
    if not _may_enter(request.user):
        raise PageForbidden
    sku = _requested_sku(request.GET)
    product = Product.objects.filter(sku=sku).first() if sku else None
    suggested = quote = None
    customer = request.GET.get("customer", "")
    if product is not None and customer.isdigit():
        suggested = last_price(user=request.user, customer_id=int(customer), product_id=product.pk)
        chosen = _customer(request.user, customer)
        if chosen is not None:
            quote = price_quote(customer=chosen, product=product, on=timezone.localdate())
    context = {"product": product, "sku": sku, "last_price": suggested, "quote": quote}
    return render(request, "orders/partials/line_hint.html", context)


@login_required
@require_POST
def entry_totals_view(request):
    """HTMX: the totals of the lines on the page, computed by the order rules (U3)."""
    if not _may_enter(request.user):
        raise PageForbidden
    rows, _count = rows_with_paste(request.POST)
    include_tax = request.POST.get("prices_include_tax", "") in {"on", "true", "1", "True"}
    customer = _customer(request.user, request.POST.get("customer"))
    context = {"totals": totals_preview(rows, prices_include_tax=include_tax, customer=customer)}
    return render(request, "orders/partials/entry_totals.html", context)
