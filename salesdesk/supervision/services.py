"""Every write of the supervision group (E1.1): plans, checklist results, findings and
corrective actions; status changes go through the workflows with one event each."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import numbering
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied
from salesdesk.core.workflow import apply_transition
from salesdesk.notifications.services import notification_send
from salesdesk.supervision import inputs
from salesdesk.supervision.models import (
    ChecklistItem,
    CorrectiveAction,
    Finding,
    InspectionPlan,
    PlanStatus,
)
from salesdesk.supervision.policies import INSPECT, actions_visible_to
from salesdesk.supervision.workflow import ACTION, PLAN

numbering.register_document_type("inspection_plan", "IP", _("Inspection plan"))
numbering.register_document_type("finding", "FD", _("Finding"))
numbering.register_document_type("corrective_action", "CA", _("Corrective action"))
OPEN_PLAN = (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS)


def _require_inspector(actor: Any) -> None:
    if not actor.has_perm(INSPECT):
        raise PermissionDenied(_("Only the supervision group records inspections."))


def _plan_for_update(plan_id: int, *, open_only: bool = True) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No such inspection plan."))
    if open_only and plan.status not in OPEN_PLAN:
        raise Conflict(
            _("The inspection is %(state)s.") % {"state": plan.get_status_display()},
            code="plan_closed",
        )
    return plan


def plan_create(*, actor: Any, data: dict) -> InspectionPlan:
    """Plan an inspection with a checklist of requirement IDs (E1.1)."""
    _require_inspector(actor)
    cleaned = inputs.clean_plan(data, actor)
    checklist = cleaned.pop("checklist")
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            number=numbering.next_number("inspection_plan"), created_by=actor, **cleaned
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(plan=plan, requirement=rid) for rid in checklist
        )
        event_record(
            actor=actor,
            verb="inspection.planned",
            subject=plan,
            to_state=plan.status,
            data={"checklist": checklist},
        )
    return plan


def plan_transition(*, actor: Any, plan_id: int, action: str, note: str = "") -> InspectionPlan:
    """Start, complete or cancel an inspection; completing records the conclusion."""
    with transaction.atomic():
        plan = _plan_for_update(plan_id, open_only=False)
        changes = {"conclusion": note.strip()[:5000]} if action == "complete" and note else None
        return apply_transition(
            plan, action, workflow=PLAN, actor=actor, note=note, changes=changes
        )


def checklist_record(*, actor: Any, item_id: int, data: dict) -> ChecklistItem:
    """Record the result of one checklist item of an open inspection."""
    _require_inspector(actor)
    cleaned = inputs.clean_check(data)
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise NotFound(_("No such checklist item."))
        plan = _plan_for_update(item.plan_id)
        item.result, item.note = cleaned["result"], cleaned["note"]
        item.save(update_fields=["result", "note"])
        event_record(
            actor=actor,
            verb="inspection.checked",
            subject=plan,
            note=cleaned["note"],
            data={"requirement": item.requirement, "result": item.result},
        )
    return item


def finding_create(*, actor: Any, plan_id: int, data: dict) -> Finding:
    """Record a finding with severity and evidence links in an open inspection (E1.1)."""
    _require_inspector(actor)
    cleaned = inputs.clean_finding(data)
    with transaction.atomic():
        plan = _plan_for_update(plan_id)
        finding = Finding.objects.create(
            number=numbering.next_number("finding"), plan=plan, recorded_by=actor, **cleaned
        )
        event_record(
            actor=actor,
            verb="finding.recorded",
            subject=finding,
            data={"plan": plan.number, "severity": finding.severity},
        )
    return finding


def action_create(*, actor: Any, finding_id: int, data: dict) -> CorrectiveAction:
    """Assign a corrective action (整改) to an owner with a due date; it waits in the owner's
    work queue until done (E1.1, U5)."""
    _require_inspector(actor)
    cleaned = inputs.clean_action(data)
    with transaction.atomic():
        finding = Finding.objects.select_related("plan").filter(pk=finding_id).first()
        if finding is None:
            raise NotFound(_("No such finding."))
        _plan_for_update(finding.plan_id)
        action = CorrectiveAction.objects.create(
            number=numbering.next_number("corrective_action"),
            finding=finding,
            created_by=actor,
            **cleaned,
        )
        event_record(
            actor=actor,
            verb="corrective_action.assigned",
            subject=action,
            to_state=action.status,
            data={"owner": action.owner.username, "due_date": action.due_date.isoformat()},
        )
        _tell_owner(action, actor)
    return action


def _tell_owner(action: CorrectiveAction, actor: Any) -> None:
    """In the owner's language, not the inspector's (as order notices do)."""
    owner = action.owner
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        title = gettext("Corrective action %(n)s is assigned to you, due %(d)s") % {
            "n": action.number,
            "d": action.due_date.isoformat(),
        }
    notification_send(
        recipients=[owner],
        title=title,
        body=action.description,
        url=reverse("supervision:action_detail", args=[action.pk]),
        actor=actor,
    )


def action_transition(
    *, actor: Any, action_id: int, transition: str, note: str = ""
) -> CorrectiveAction:
    """Report done (owner), verify, send back, close or cancel (supervision group)."""
    with transaction.atomic():
        action = (
            CorrectiveAction.objects.select_for_update()
            .filter(actions_visible_to(actor), pk=action_id)
            .first()
        )
        if action is None:
            raise NotFound(_("No such corrective action."))
        changes: dict[str, Any] = {}
        if transition == "submit":
            changes = {"result_note": note.strip(), "completed_at": timezone.now()}
        elif transition in ("verify", "reopen"):
            changes = {"verification_note": note.strip()}
            if transition == "verify":
                changes["verified_at"] = timezone.now()
        return apply_transition(
            action, transition, workflow=ACTION, actor=actor, note=note, changes=changes
        )
