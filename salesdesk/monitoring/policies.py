"""Who sees and works which early warning (R3.1, least privilege).

Owners see theirs: the warning's owner, members of its owner role, and the owner's team
leads (sales managers and sales admins, who see their team's orders). Roles holding
`monitoring.view_all_warnings` (risk, IT administrators, management, supervision) see all.
"""

from typing import Any

from django.db.models import Q

from salesdesk.accounts.selectors import team_member_ids

VIEW = "monitoring.view_earlywarning"
VIEW_ALL = "monitoring.view_all_warnings"
ACKNOWLEDGE = "monitoring.acknowledge_warning"
CLOSE = "monitoring.close_warning"
RUN = "monitoring.run_monitoring"


def may_view(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(VIEW))


def role_names(user: Any) -> list[str]:
    cached = getattr(user, "_monitoring_roles", None)
    if cached is None:
        cached = list(user.groups.values_list("name", flat=True))
        user._monitoring_roles = cached
    return cached


def visible_to(user: Any) -> Q:
    if not may_view(user):
        return Q(pk__in=[])
    if user.has_perm(VIEW_ALL):
        return Q()
    condition = Q(owner=user) | Q(owner_role__in=role_names(user), owner_role__gt="")
    if user.has_perm("orders.view_team_orders"):
        condition |= Q(owner_id__in=team_member_ids(user))
    return condition


def owns(user: Any, warning) -> bool:
    """The owner, a member of the owner role, or someone who sees every warning."""
    if user.has_perm(VIEW_ALL) or (warning.owner_id is not None and warning.owner_id == user.pk):
        return True
    if warning.owner_role and warning.owner_role in role_names(user):
        return True
    return user.has_perm("orders.view_team_orders") and warning.owner_id in set(
        team_member_ids(user)
    )
