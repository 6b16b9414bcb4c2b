"""The order list (O3.2, U11): filters by status, customer, salesperson, dates, overdue and
holds; search by number; sort; pages; and an XLSX/CSV export of exactly the listed rows."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.orders.forms import OrderFilterForm
from salesdesk.orders.models import Channel, Order, OrderStatus
from salesdesk.orders.rules import payment_term_label
from salesdesk.orders.selectors import order_list
from salesdesk.orders.views_common import STATUS_BADGES

SORTS = {
    "number": "number",
    "created": "created_at",
    "customer": "customer__legal_name",
    "status": "status",
    "requested": "requested_delivery_date",
    "gross": "gross_amount",
}
SORT_COLUMNS = (
    ("number", _("Number")),
    ("created", _("Created")),
    ("customer", _("Customer")),
    ("status", _("Status")),
    ("requested", _("Requested delivery")),
    ("gross", _("Total incl. tax")),
)
DEFAULT_SORT = "-created"
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_HEADERS = (
    _("Number"),
    _("Created"),
    _("Customer number"),
    _("Customer"),
    _("Salesperson"),
    _("Channel"),
    _("Status"),
    _("Payment terms"),
    _("Customer PO number"),
    _("Requested delivery"),
    _("Expected delivery"),
    _("Net"),
    _("Tax"),
    _("Total incl. tax"),
    _("Currency"),
)
NOT_LATE = (OrderStatus.DELIVERED, OrderStatus.CLOSED, OrderStatus.CANCELLED, OrderStatus.REJECTED)


def overdue_condition() -> Q:
    """A verbal order unconfirmed past its due time, or a delivery date passed undelivered."""
    today = timezone.localdate()
    unconfirmed = Q(
        channel=Channel.VERBAL, confirmed_at__isnull=True, confirmation_due_at__lt=timezone.now()
    )
    late = Q(expected_delivery_date__lt=today) | Q(
        expected_delivery_date__isnull=True, requested_delivery_date__lt=today
    )
    return (unconfirmed | late) & ~Q(status__in=NOT_LATE)


def _filter_form(request, visible: QuerySet[Order]) -> OrderFilterForm:
    plain = visible.order_by()
    customers = (
        plain.values_list("customer_id", "customer__code", "customer__legal_name")
        .distinct()
        .order_by("customer__code")
    )
    people = (
        plain.values_list("salesperson_id", "salesperson__username")
        .distinct()
        .order_by("salesperson__username")
    )
    return OrderFilterForm(
        request.GET,
        customers=[(pk, f"{code} {name}") for pk, code, name in customers],
        salespeople=list(people),
    )


def filtered_orders(request) -> tuple[QuerySet[Order], OrderFilterForm, str]:
    """The list's rows for the query string: the page and the export show the same."""
    form = _filter_form(request, order_list(user=request.user))
    chosen = form.filters()
    orders = order_list(
        user=request.user,
        status=chosen.get("status", ""),
        customer_id=chosen.get("customer"),
        q=chosen.get("q", ""),
    )
    if chosen.get("salesperson"):
        orders = orders.filter(salesperson_id=chosen["salesperson"])
    if chosen.get("created_from"):
        orders = orders.filter(created_at__date__gte=chosen["created_from"])
    if chosen.get("created_to"):
        orders = orders.filter(created_at__date__lte=chosen["created_to"])
    if chosen.get("overdue"):
        orders = orders.filter(overdue_condition())
    if chosen.get("holds"):
        orders = orders.filter(status=OrderStatus.ON_HOLD)
    orders, sort = sort_queryset(orders, request.GET.get("sort", ""), SORTS, DEFAULT_SORT)
    late = ExpressionWrapper(overdue_condition(), output_field=BooleanField())
    return orders.annotate(is_late=late), form, sort


def _export_row(order: Order) -> list[Any]:
    return [
        order.number,
        order.created_at,
        order.customer.code,
        order.customer.legal_name,
        str(order.salesperson),
        order.get_channel_display(),
        order.get_status_display(),
        payment_term_label(order.payment_terms),
        order.customer_reference,
        order.requested_delivery_date,
        order.expected_delivery_date,
        order.net_amount,
        order.tax_amount,
        order.gross_amount,
        order.currency,
    ]


@login_required
def order_list_view(request):
    """Filter, sort, page and export the orders the user may see (O3.2, U11)."""
    if not request.user.has_perm("orders.view_order"):
        raise PageForbidden
    orders, form, sort = filtered_orders(request)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        rows = (_export_row(o) for o in orders.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        if export == "csv":
            return csv_response(f"orders-{stamp}", EXPORT_HEADERS, rows)
        return xlsx_response(f"orders-{stamp}", EXPORT_HEADERS, rows, sheet=_("Orders"))
    context = paginate(request, orders)
    context.update(
        form=form,
        sort=sort,
        rows=[{"order": o, "badge": STATUS_BADGES.get(o.status, "")} for o in context["page_obj"]],
        columns=sort_columns(request, sort, SORT_COLUMNS),
        export_query=query_without(request, "page", "export"),
        can_add=request.user.has_perm("orders.add_order"),
    )
    return render(request, "orders/order_list.html", context)
