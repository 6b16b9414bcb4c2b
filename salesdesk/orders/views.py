"""Order pages (list and detail first; entry and review panels follow)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from salesdesk.orders.selectors import order_get, order_list


@login_required
def order_list_view(request):
    orders = order_list(user=request.user)[:50]
    return render(request, "orders/order_list.html", {"orders": orders})


@login_required
def order_detail_view(request, order_id: int):
    order = order_get(user=request.user, order_id=order_id)
    return render(request, "orders/order_detail.html", {"order": order})
