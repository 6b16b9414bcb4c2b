"""Order pages (list and detail first; entry and review panels follow)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from salesdesk.core.errors import NotFound
from salesdesk.orders.selectors import order_get, order_list, order_progress
from salesdesk.orders.services import status_link_open


@login_required
def order_list_view(request):
    orders = order_list(user=request.user)[:50]
    return render(request, "orders/order_list.html", {"orders": orders})


@login_required
def order_detail_view(request, order_id: int):
    order = order_get(user=request.user, order_id=order_id)
    return render(request, "orders/order_detail.html", {"order": order})


@never_cache
def public_status_view(request, token: str):
    """The customer's view of an order behind an unguessable, expiring link (O4.2).

    Shows the order's progress and dates only: no prices, no personal data.
    """
    try:
        order = status_link_open(token)
    except NotFound as exc:
        return render(request, "orders/public_status.html", {"error": exc.message}, status=404)
    context = {
        "order": order,
        "progress": order_progress(order),
        "lines": order.lines.filter(is_cancelled=False).select_related("product"),
    }
    response = render(request, "orders/public_status.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
