"""Who may see and change which customer (C3.3): own, team, or all, by role."""

from typing import Any

from django.db.models import Q

from salesdesk.accounts.selectors import team_member_ids


def visible_to(user: Any) -> Q:
    """Salespeople see their own customers; admins and managers their team's; some roles all."""
    if user is None or not user.is_authenticated or not user.has_perm("customers.view_customer"):
        return Q(pk__in=[])
    if user.has_perm("customers.view_all_customers"):
        return Q()
    condition = Q(owner=user)
    if user.has_perm("customers.view_team_customers"):
        condition |= Q(owner_id__in=team_member_ids(user))
    return condition


def can_see(user: Any, customer) -> bool:
    from salesdesk.customers.models import Customer

    return Customer.objects.filter(visible_to(user), pk=customer.pk).exists()


def can_edit(user: Any, customer) -> bool:
    """Editors: the owner, or a team lead/admin of the owner's team; never read-only roles."""
    if not user.has_perm("customers.change_customer"):
        return False
    if customer.owner_id == user.pk:
        return True
    return user.has_perm("customers.view_team_customers") and customer.owner_id in set(
        team_member_ids(user)
    )


def can_reveal(user: Any, customer) -> bool:
    return user.has_perm("customers.reveal_contact") and can_see(user, customer)
