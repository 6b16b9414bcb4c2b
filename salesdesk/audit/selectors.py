"""Reads of the event and access logs; callers check the subject's visibility first."""

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.models import AccessLog, Event
from salesdesk.core.errors import PermissionDenied


def event_list_for(subject: models.Model) -> QuerySet[Event]:
    """The timeline of one object, newest first (O3.2, U9)."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")


def access_log_for(subject: models.Model) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")


def event_list(
    *,
    user: Any,
    verb: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Event]:
    """The whole event log, for those allowed to read it (supervisors, admins)."""
    if not user.has_perm("audit.view_event"):
        raise PermissionDenied(_("You may not read the event log."))
    events = Event.objects.select_related("actor", "content_type")
    if verb:
        events = events.filter(verb__startswith=verb)
    if actor:
        events = events.filter(actor__username=actor)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events


def access_log_list(*, user: Any, actor: str = "") -> QuerySet[AccessLog]:
    if not user.has_perm("audit.view_accesslog"):
        raise PermissionDenied(_("You may not read the access log."))
    logs = AccessLog.objects.select_related("actor", "content_type")
    if actor:
        logs = logs.filter(actor__username=actor)
    return logs
