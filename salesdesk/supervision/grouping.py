"""Who a fact belongs to: person, team (the person's manager's team) or department (E2.2)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import User

DIMENSIONS = ("person", "team", "department", "month")
UNASSIGNED = _("(not assigned)")


@dataclass(frozen=True)
class People:
    """The users behind a set of facts, loaded once."""

    users: dict[int, User]

    @classmethod
    def load(cls, ids) -> "People":
        wanted = {pk for pk in ids if pk is not None}
        users = User.objects.filter(pk__in=wanted).select_related("department", "manager")
        return cls({user.pk: user for user in users})

    def key(self, dimension: str, person_id: int | None, day: date) -> Any:
        if dimension == "month":
            return day.replace(day=1)
        user = self.users.get(person_id)
        if user is None:
            return None
        if dimension == "person":
            return user.pk
        if dimension == "team":
            # A team is a manager and the people who report to them (accounts.selectors).
            return user.manager_id or user.pk
        return user.department_id

    def label(self, dimension: str, key: Any) -> str:
        if key is None:
            return str(UNASSIGNED)
        if dimension == "month":
            return key.strftime("%Y-%m")
        if dimension == "department":
            user = next((u for u in self.users.values() if u.department_id == key), None)
            return str(user.department) if user and user.department else str(key)
        lead = self.users.get(key)
        if lead is None:
            lead = User.objects.filter(pk=key).first()
        name = str(lead) if lead else str(key)
        if dimension == "team":
            return str(_("Team of %(name)s") % {"name": name})
        return name
