"""Reads of the work queue for one user (U5)."""

from typing import Any

from salesdesk.core import policies
from salesdesk.workqueue.registry import WorkItem, items_for


def work_item_list(*, user: Any, overdue_only: bool = False) -> list[WorkItem]:
    items = items_for(user)
    if overdue_only:
        items = [item for item in items if item.is_overdue()]
    return items


def work_summary(*, user: Any, items: list[WorkItem] | None = None) -> dict[str, int]:
    items = items_for(user) if items is None else items
    hours = policies.value("workqueue.due_soon_hours")
    return {
        "total": len(items),
        "overdue": sum(1 for item in items if item.is_overdue()),
        "due_soon": sum(1 for item in items if item.is_due_soon(hours)),
    }
