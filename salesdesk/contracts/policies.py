"""Who sees and works on which contract: those who see the customer, plus reviewers."""

from typing import Any

from django.db.models import Q

from salesdesk.customers.policies import visible_to as customers_visible_to


def visible_to(user: Any) -> Q:
    if user is None or not user.is_authenticated or not user.has_perm("contracts.view_contract"):
        return Q(pk__in=[])
    if user.has_perm("contracts.view_all_contracts"):
        return Q()
    from salesdesk.customers.models import Customer

    return Q(customer__in=Customer.objects.filter(customers_visible_to(user)).values("pk"))


def can_see(user: Any, contract) -> bool:
    from salesdesk.contracts.models import Contract

    return Contract.objects.filter(visible_to(user), pk=contract.pk).exists()


def can_draft(user: Any, contract) -> bool:
    """The drafter, or a drafting colleague who can see the contract's customer."""
    if not user.has_perm("contracts.draft_contract"):
        return False
    return contract.drafter_id == user.pk or can_see(user, contract)
