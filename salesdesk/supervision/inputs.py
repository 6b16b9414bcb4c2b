"""Input checks for inspection records (E1.1): every error names its field and rule."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import User
from salesdesk.core.errors import ValidationFailed
from salesdesk.supervision import requirements
from salesdesk.supervision.models import CheckResult, Severity
from salesdesk.supervision.policies import WORK_ACTION

REQUIRED = _("This field is required.")


class Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed.from_fields(_("Please correct the marked fields."), self.fields)


def text(data: dict, field: str, errors: Errors, *, max_length: int, required=True) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        errors.add(field, REQUIRED)
    elif len(value) > max_length:
        errors.add(field, _("At most %(n)s characters.") % {"n": max_length})
    return value


def a_date(data: dict, field: str, errors: Errors) -> date | None:
    raw = data.get(field)
    value = raw if isinstance(raw, date) else parse_date(str(raw or "").strip())
    if value is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
    return value


def a_user(data: dict, field: str, errors: Errors, default: User | None = None) -> User | None:
    raw = data.get(field)
    if raw in (None, "") and default is not None:
        return default
    user = (
        User.objects.filter(pk=int(raw), is_active=True, is_system=False).first()
        if str(raw).isdigit()
        else None
    )
    if user is None:
        errors.add(field, _("Choose an active user."))
    return user


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    return [str(part) for part in value]


def clean_plan(data: dict, actor: User) -> dict:
    errors = Errors()
    cleaned = {
        "title": text(data, "title", errors, max_length=200),
        "scope": text(data, "scope", errors, max_length=5000),
        "period_start": a_date(data, "period_start", errors),
        "period_end": a_date(data, "period_end", errors),
        "lead": a_user(data, "lead", errors, default=actor),
    }
    start, end = cleaned["period_start"], cleaned["period_end"]
    if start and end and end < start:
        errors.add("period_end", _("The end is before the start."))
    selection = as_list(data.get("checklist"))
    unknown = requirements.unknown(selection)
    if unknown:
        errors.add(
            "checklist", _("Unknown requirement IDs: %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    elif not requirements.expand(selection):
        errors.add("checklist", _("Choose at least one requirement ID or area."))
    cleaned["checklist"] = requirements.expand(selection)
    errors.raise_if_any()
    return cleaned


def clean_check(data: dict) -> dict:
    errors = Errors()
    result = str(data.get("result") or "")
    if result not in CheckResult.values:
        errors.add("result", _("Choose one of the listed results."))
    note = text(data, "note", errors, max_length=500, required=False)
    errors.raise_if_any()
    return {"result": result, "note": note}


def _evidence(value: Any, errors: Errors) -> list[dict[str, str]]:
    """Links to records inside salesdesk: a path such as /orders/12/, optionally labelled."""
    links = []
    items = value if isinstance(value, list) else as_list(value)
    for item in items:
        link = item if isinstance(item, dict) else {"url": str(item)}
        url = str(link.get("url") or "").strip()
        if not url.startswith("/") or url.startswith("//"):
            errors.add(
                "evidence", _("Evidence links are paths inside salesdesk, e.g. /orders/12/.")
            )
            continue
        links.append({"url": url[:300], "label": str(link.get("label") or url)[:100]})
    return links


def clean_finding(data: dict) -> dict:
    errors = Errors()
    severity = str(data.get("severity") or "")
    if severity not in Severity.values:
        errors.add("severity", _("Choose one of the listed severities."))
    requirement = str(data.get("requirement") or "").strip().upper()
    if requirement and requirement not in requirements.ALL_IDS:
        errors.add("requirement", _("Unknown requirement ID."))
    cleaned = {
        "severity": severity,
        "requirement": requirement,
        "description": text(data, "description", errors, max_length=5000),
        "evidence": _evidence(data.get("evidence"), errors),
    }
    errors.raise_if_any()
    return cleaned


def clean_action(data: dict) -> dict:
    errors = Errors()
    cleaned = {
        "description": text(data, "description", errors, max_length=5000),
        "owner": a_user(data, "owner", errors),
        "due_date": a_date(data, "due_date", errors),
    }
    owner = cleaned["owner"]
    if owner is not None and not owner.has_perm(WORK_ACTION):
        errors.add("owner", _("This person has no role that may work on corrective actions."))
    if cleaned["due_date"] and cleaned["due_date"] < timezone.localdate():
        errors.add("due_date", _("The due date must not be in the past."))
    errors.raise_if_any()
    return cleaned
