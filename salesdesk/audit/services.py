"""Writing the event log and the access log; every business service calls these."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from salesdesk.audit.models import AccessLog, Event


def _subject_fields(subject: models.Model) -> dict[str, Any]:
    if subject.pk is None:
        raise ValueError("an event's subject must be saved first")
    return {
        "content_type": ContentType.objects.get_for_model(subject),
        "object_id": subject.pk,
        "subject_label": str(subject)[:200],
    }


def event_record(
    *,
    actor: Any,
    verb: str,
    subject: models.Model,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
) -> Event:
    """Record one business change (STYLE rule 4: no event without an actor)."""
    if actor is None or getattr(actor, "pk", None) is None:
        raise ValueError("an event needs a saved actor")
    return Event.objects.create(
        actor=actor,
        verb=verb,
        from_state=from_state or "",
        to_state=to_state or "",
        note=note or "",
        data=data or {},
        created_at=timezone.now(),
        **_subject_fields(subject),
    )


def access_record(
    *, actor: Any, subject: models.Model, fields: list[str], purpose: str
) -> AccessLog:
    """Record that `actor` saw personal-data `fields` of `subject` for `purpose` (C3.3)."""
    if actor is None or getattr(actor, "pk", None) is None:
        raise ValueError("an access log entry needs a saved actor")
    return AccessLog.objects.create(
        actor=actor,
        fields=sorted(fields),
        purpose=purpose,
        created_at=timezone.now(),
        **_subject_fields(subject),
    )
