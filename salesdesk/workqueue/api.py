"""Work queue API: `GET /api/v1/work` lists the caller's items, overdue first (U5)."""

from datetime import datetime

from django.utils import timezone
from ninja import Router, Schema

from salesdesk.workqueue.selectors import work_item_list

router = Router(tags=["work queue"])


class WorkItemOut(Schema):
    key: str
    title: str
    kind: str
    url: str
    due_at: datetime | None
    overdue: bool
    assignee: str
    detail: str


@router.get("/work", response=list[WorkItemOut], summary="My work queue (待辦)")
def work_list_api(request, overdue: bool = False):
    now = timezone.now()
    return [
        {
            "key": item.key,
            "title": str(item.title),
            "kind": str(item.kind),
            "url": item.url,
            "due_at": item.due_at,
            "overdue": item.is_overdue(now),
            "assignee": str(item.assignee),
            "detail": str(item.detail),
        }
        for item in work_item_list(user=request.user, overdue_only=overdue)
    ]
