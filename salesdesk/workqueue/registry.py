"""The work queue (待辦, U5): every app contributes the items that wait for someone.

A provider is a function `(user) -> iterable of WorkItem`, registered with `@provider`
from the app's AppConfig.ready(). It returns only the items for that user (their own or
their role's) from one scoped, indexed query. `items_for(user)` merges all providers,
overdue first, then by due time.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

Provider = Callable[[Any], Iterable["WorkItem"]]


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for a person or a role."""

    key: str  # stable id, e.g. "email.failed:42"
    title: Any
    url: str
    kind: Any  # a short label of the source, e.g. _("E-mail")
    due_at: datetime | None = None
    assignee: Any = ""  # a user's name or a role's label
    detail: Any = ""
    extra: dict = field(default_factory=dict)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.due_at is not None and self.due_at < (now or timezone.now())

    def is_due_soon(self, hours: int, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.due_at is not None
            and not self.is_overdue(now)
            and self.due_at <= now + timedelta(hours=hours)
        )


_PROVIDERS: dict[str, Provider] = {}


def provider(func: Provider) -> Provider:
    """Register a work-item provider (idempotent by qualified name)."""
    _PROVIDERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def sort_key(item: WorkItem, now: datetime) -> tuple:
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return (0 if item.is_overdue(now) else 1, item.due_at or far, str(item.title))


def items_for(user: Any) -> list[WorkItem]:
    """All items waiting for `user`, overdue first, then soonest due, undated last."""
    if user is None or not user.is_authenticated:
        return []
    now = timezone.now()
    items: list[WorkItem] = []
    for func in providers():
        items.extend(func(user))
    return sorted(items, key=lambda item: sort_key(item, now))
