"""Who sees and edits which risk (R1.1): managers all, owners theirs, salespeople their
customers' risks; credit scores follow the customer's visibility."""

from typing import Any

from django.db.models import Q

from salesdesk.customers.policies import visible_to as customers_visible_to


def visible_to(user: Any) -> Q:
    """Risks `user` may see: all with view_all_risks, else own, created, or their customers'."""
    if user is None or not user.is_authenticated or not user.has_perm("risk.view_risk"):
        return Q(pk__in=[])
    if user.has_perm("risk.view_all_risks"):
        return Q()
    from salesdesk.customers.models import Customer

    customers = Customer.objects.filter(customers_visible_to(user)).values("pk")
    return Q(owner=user) | Q(created_by=user) | Q(customer__in=customers)


def can_edit(user: Any, risk) -> bool:
    """Risk managers edit every risk; others with change_risk only those they own or raised."""
    if user is None or not user.is_active or not user.has_perm("risk.change_risk"):
        return False
    if user.has_perm("risk.manage_risk"):
        return True
    return user.pk in (risk.owner_id, risk.created_by_id)


def can_see_scores(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_perm("risk.view_creditscore")
    )
