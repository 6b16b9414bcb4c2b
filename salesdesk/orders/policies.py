"""Who may see and act on which order: own, team or all, by role (C3.3 applied to orders)."""

from typing import Any

from django.db.models import Q

from salesdesk.accounts.selectors import team_member_ids


def visible_to(user: Any) -> Q:
    if user is None or not user.is_authenticated or not user.has_perm("orders.view_order"):
        return Q(pk__in=[])
    if user.has_perm("orders.view_all_orders"):
        return Q()
    condition = Q(salesperson=user) | Q(created_by=user)
    if user.has_perm("orders.view_team_orders"):
        condition |= Q(salesperson_id__in=team_member_ids(user))
    return condition


def can_work_on(user: Any, order) -> bool:
    """The salesperson, their team's admins and managers, or anyone who sees every order."""
    if user.has_perm("orders.view_all_orders") or order.salesperson_id == user.pk:
        return True
    return user.has_perm("orders.view_team_orders") and order.salesperson_id in set(
        team_member_ids(user)
    )


def can_approve(user: Any, order) -> bool:
    """Four eyes: whoever submitted an order does not approve it (O2)."""
    return can_work_on(user, order) and order.submitted_by_id != user.pk


def can_see(user: Any, order) -> bool:
    from salesdesk.orders.models import Order

    return Order.objects.filter(visible_to(user), pk=order.pk).exists()


def can_resolve_hold(user: Any, order) -> bool:
    """Someone who can add a guarantee, release credit or override a rule (O2.1, O2.2)."""
    return can_work_on(user, order) and any(
        user.has_perm(p)
        for p in ("orders.change_order", "orders.release_credit_hold", "orders.override_compliance")
    )
