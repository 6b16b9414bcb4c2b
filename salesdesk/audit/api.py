"""`GET /<things>/{id}/events` for every app, and the event/access-log collections."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Router, Schema

from salesdesk.audit import verbs
from salesdesk.audit.selectors import event_list_for

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    verb: str
    verb_label: str
    actor: str
    subject: str
    from_state: str
    to_state: str
    note: str
    data: dict
    created_at: datetime


def event_out(event) -> dict[str, Any]:
    return {
        "id": event.id,
        "verb": event.verb,
        "verb_label": str(verbs.label(event.verb)),
        "actor": event.actor.username,
        "subject": event.subject_label,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
        "data": event.data,
        "created_at": event.created_at,
    }


def add_events_route(
    router: Router,
    prefix: str,
    get_subject: Callable[[HttpRequest, Any], models.Model],
    *,
    id_type: str = "int",
) -> None:
    """Add `GET {prefix}/{id}/events` to `router`.

    `get_subject(request, id)` must return the object only if the caller may see it, and
    raise NotFound otherwise (the app's selector does this), so history never leaks.
    """

    def events_api(request, id: Any, limit: int = 100, offset: int = 0):
        subject = get_subject(request, id)
        limit = max(1, min(limit, 500))
        events = event_list_for(subject)[offset : offset + limit]
        return [event_out(event) for event in events]

    events_api.__name__ = f"{prefix.strip('/').replace('/', '_').replace('-', '_')}_events_api"
    router.add_api_operation(
        f"{prefix}/{{{id_type}:id}}/events",
        ["GET"],
        events_api,
        response=list[EventOut],
        summary="History of one record",
    )
