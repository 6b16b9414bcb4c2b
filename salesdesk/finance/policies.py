"""Who sees which receivables: the customers they may see (C3.3 applied to finance, U6)."""

from typing import Any

from django.db.models import Q, QuerySet

from salesdesk.customers.models import Customer
from salesdesk.customers.policies import visible_to as customers_visible_to

VIEW_INVOICES = "finance.view_invoice"
VIEW_PAYMENTS = "finance.view_payment"


def may_view(user: Any, permission: str = VIEW_INVOICES) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


def visible_customers(user: Any, permission: str = VIEW_INVOICES) -> QuerySet[Customer]:
    """The customers whose receivables `user` may see: as on the customer list."""
    if not may_view(user, permission):
        return Customer.objects.none()
    return Customer.objects.filter(customers_visible_to(user))


def visible_to(user: Any, permission: str = VIEW_INVOICES) -> Q:
    """Invoices (or payments, with VIEW_PAYMENTS) of the customers `user` may see."""
    if not may_view(user, permission):
        return Q(pk__in=[])
    if user.has_perm("customers.view_all_customers"):
        return Q()
    return Q(customer__in=visible_customers(user, permission).values("pk"))


def can_see_customer(user: Any, customer: Customer, permission: str = VIEW_INVOICES) -> bool:
    return visible_customers(user, permission).filter(pk=customer.pk).exists()
