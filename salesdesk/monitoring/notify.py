"""Telling a warning's owners (R3.1): an in-app notification, and e-mail when critical."""

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from salesdesk.accounts.models import User
from salesdesk.core import policies
from salesdesk.monitoring.indicators import indicator
from salesdesk.monitoring.models import EarlyWarning, Level
from salesdesk.notifications.services import notification_send

SUMMARY_AFTER = 5


def plain(value: Decimal) -> str:
    """90.40 → "90.4", 100.00 → "100"."""
    return format(Decimal(value).normalize(), "f")


def recipients(warning: EarlyWarning, roles: dict[str, list] | None = None) -> list[Any]:
    """The owner; the owner role's members too when critical or when there is no owner."""
    people = []
    if warning.owner is not None and warning.owner.is_active:
        people.append(warning.owner)
    if warning.owner_role and (not people or warning.level == Level.CRITICAL):
        roles = {} if roles is None else roles
        if warning.owner_role not in roles:
            members = User.objects.filter(groups__name=warning.owner_role, is_active=True)
            roles[warning.owner_role] = list(members.distinct())
        people += [p for p in roles[warning.owner_role] if p.pk != warning.owner_id]
    return people


def warning_notify(warning: EarlyWarning, *, actor: Any, people: list | None = None) -> None:
    """Send the raised or escalated warning to its owners."""
    people = recipients(warning) if people is None else people
    if not people:
        return
    definition = indicator(warning.indicator)
    label = definition.label if definition else warning.indicator
    unit = definition.unit if definition else ""
    title = _("%(level)s: %(indicator)s — %(subject)s") % {
        "level": warning.get_level_display(),
        "indicator": label,
        "subject": warning.subject_label,
    }
    body = _("Value %(value)s %(unit)s, threshold %(threshold)s.") % {
        "value": plain(warning.value),
        "unit": unit,
        "threshold": plain(warning.threshold),
    }
    notification_send(
        recipients=people,
        title=title[:200],
        body=body,
        url=reverse("monitoring:warning_detail", args=[warning.pk]),
        email=warning.level == Level.CRITICAL and policies.value("monitoring.email_critical"),
        actor=actor,
    )


def warnings_notify(warnings: list[EarlyWarning], *, actor: Any) -> None:
    """Tell each owner of a run's new or escalated warnings: one notification per warning,
    or one summary per person when a run brings them more than SUMMARY_AFTER (a first run
    over old data must not bury anyone in hundreds of messages)."""
    per_person: dict[int, tuple[Any, list[EarlyWarning]]] = {}
    roles: dict[str, list] = {}
    for warning in warnings:
        for person in recipients(warning, roles):
            per_person.setdefault(person.pk, (person, []))[1].append(warning)
    single: dict[int, list[Any]] = {}
    for person, theirs in per_person.values():
        if len(theirs) > SUMMARY_AFTER:
            _summary(person, theirs, actor)
        else:
            for warning in theirs:
                single.setdefault(warning.pk, []).append(person)
    for warning in warnings:
        if warning.pk in single:
            warning_notify(warning, actor=actor, people=single[warning.pk])


def _summary(person: Any, warnings: list[EarlyWarning], actor: Any) -> None:
    code = warnings[0].indicator
    definition = indicator(code)
    critical = sum(1 for w in warnings if w.level == Level.CRITICAL)
    title = _("%(count)s new early warnings: %(indicator)s") % {
        "count": len(warnings),
        "indicator": definition.label if definition else code,
    }
    body = _("%(critical)s of them critical.") % {"critical": critical}
    notification_send(
        recipients=[person],
        title=title[:200],
        body=body,
        url=f"{reverse('monitoring:board')}?{urlencode({'indicator': code})}",
        email=bool(critical) and policies.value("monitoring.email_critical"),
        actor=actor,
    )
