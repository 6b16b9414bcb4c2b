"""Reads about people: teams for ownership rules."""

from typing import Any

from salesdesk.accounts.models import User


def reports_of(manager_id: int, depth: int = 3) -> set[int]:
    """Users reporting to `manager_id`, directly or up to `depth` levels below."""
    found: set[int] = set()
    frontier = {manager_id}
    for _level in range(depth):
        frontier = set(User.objects.filter(manager_id__in=frontier).values_list("pk", flat=True))
        frontier -= found
        if not frontier:
            break
        found |= frontier
    return found


def team_member_ids(user: Any) -> list[int]:
    """The user's team: a manager's team is themselves and everyone below them; someone
    without reports (a sales admin) serves their own manager's team.

    Cached on the user object, which lives for one request or one job, so a list page that
    checks many rows asks the database once.
    """
    cached = getattr(user, "_team_member_ids", None)
    if cached is not None:
        return cached
    reports = reports_of(user.pk)
    ids = {user.pk} | reports
    if not reports and user.manager_id:
        ids |= {user.manager_id} | reports_of(user.manager_id)
    user._team_member_ids = sorted(ids)
    return user._team_member_ids
