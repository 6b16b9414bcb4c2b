"""Input checks for evaluation runs, measures and improvements (E2.3, E3.1): every error
names its field and the rule."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.core.errors import NotFound
from salesdesk.supervision import requirements
from salesdesk.supervision.evaluation_models import ChangeKind, MeasureKind
from salesdesk.supervision.inputs import Errors, a_date, as_list, text
from salesdesk.supervision.models import Finding

MAX_DAYS = 3 * 366


def clean_period(data: dict, errors: Errors) -> tuple[date | None, date | None]:
    start = a_date(data, "period_start", errors)
    end = a_date(data, "period_end", errors)
    if start and end:
        if end < start:
            errors.add("period_end", _("The period must not end before it starts."))
        elif (end - start).days > MAX_DAYS:
            errors.add("period_end", _("A period is at most three years."))
        elif start > timezone.localdate():
            errors.add("period_start", _("The period must not start in the future."))
    return start, end


def clean_run(data: dict) -> dict:
    errors = Errors()
    start, end = clean_period(data, errors)
    note = text(data, "note", errors, max_length=500, required=False)
    errors.raise_if_any()
    return {"period_start": start, "period_end": end, "note": note}


def clean_measure(data: dict) -> dict:
    errors = Errors()
    kind = str(data.get("kind") or "").strip()
    if kind not in MeasureKind.values:
        errors.add("kind", _("Choose commendation or corrective measure."))
    note = text(data, "note", errors, max_length=5000)
    raw = str(data.get("create_action") or "").strip().lower()
    create_action = raw in ("1", "true", "on", "yes")
    cleaned = {"kind": kind, "note": note, "create_action": create_action}
    if create_action:
        if kind != MeasureKind.CORRECTIVE:
            errors.add("create_action", _("Only a corrective measure creates a corrective action."))
        finding = str(data.get("finding") or "").strip()
        if not finding.isdigit() or not Finding.objects.filter(pk=int(finding)).exists():
            errors.add("finding", _("Choose the finding the corrective action belongs to."))
        else:
            cleaned["finding"] = int(finding)
        cleaned["due_date"] = a_date(data, "due_date", errors)
    errors.raise_if_any()
    return cleaned


def clean_improvement(data: dict) -> dict:
    errors = Errors()
    raw_finding = str(data.get("finding") or "").strip()
    finding = Finding.objects.filter(pk=int(raw_finding)).first() if raw_finding.isdigit() else None
    if finding is None:
        errors.add("finding", _("Choose the finding this change answers."))
    kind = str(data.get("change_kind") or "").strip()
    if kind not in ChangeKind.values:
        errors.add("change_kind", _("Choose a policy change or a procedure change."))
    cleaned = {
        "finding": finding,
        "change_kind": kind,
        "description": text(data, "description", errors, max_length=5000),
        "policy_key": "",
        "old_value": text(data, "old_value", errors, max_length=500, required=False),
        "new_value": text(data, "new_value", errors, max_length=500, required=False),
        "changed_on": a_date(data, "changed_on", errors),
    }
    if kind == ChangeKind.POLICY:
        key = text(data, "policy_key", errors, max_length=100)
        if key:
            try:
                policies.definition(key)
            except NotFound:
                errors.add("policy_key", _("No such policy."))
            else:
                # The value before the change, unless given: the policy's current value.
                cleaned["old_value"] = cleaned["old_value"] or str(policies.value(key))[:500]
        if not cleaned["new_value"]:
            errors.add("new_value", _("Give the policy's new value."))
        cleaned["policy_key"] = key
    selection = as_list(data.get("requirements"))
    unknown = requirements.unknown(selection)
    if unknown:
        errors.add(
            "requirements", _("Unknown requirement IDs: %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    cleaned["requirements"] = requirements.expand(selection) if not unknown else []
    changed_on = cleaned["changed_on"]
    if changed_on and changed_on > timezone.localdate():
        errors.add("changed_on", _("The change date must not be in the future."))
    errors.raise_if_any()
    return cleaned
