"""Customer pages (being built: list and detail first)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from salesdesk.customers.selectors import CustomerFilters, customer_get, customer_list


@login_required
def customer_list_view(request):
    customers = customer_list(user=request.user, filters=CustomerFilters.from_query(request.GET))
    return render(request, "customers/customer_list.html", {"customers": customers[:50]})


@login_required
def customer_detail_view(request, customer_id: int):
    customer = customer_get(user=request.user, customer_id=customer_id)
    return render(request, "customers/customer_detail.html", {"customer": customer})
