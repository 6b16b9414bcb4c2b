"""Shared pieces of the finance importers: events in bulk, whom an importer acts for."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.customers.models import Customer
from salesdesk.finance.inputs import Errors
from salesdesk.finance.policies import visible_customers


def events(actor: Any, verb: str, subjects: list, data: list[dict]) -> None:
    if not subjects:
        return
    content_type = ContentType.objects.get_for_model(subjects[0])
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            actor=actor,
            verb=verb,
            content_type=content_type,
            object_id=subject.pk,
            subject_label=str(subject)[:200],
            data=item,
            created_at=now,
        )
        for subject, item in zip(subjects, data, strict=True)
    )


def customers_for(actor: Any):
    """The CLI's system user imports for every customer; people for those they may see."""
    if getattr(actor, "is_system", False):
        return Customer.objects.all()
    return visible_customers(actor)


def problems_of(error: Errors) -> list[tuple[str, str]]:
    return [(column, str(m)) for column, messages in error.fields.items() for m in messages]
