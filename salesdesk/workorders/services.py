"""Every write to work orders (O3.1, O4.1): create, accept with a promised date, progress,
finish or decline; each step is a workflow transition with one event."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import numbering
from salesdesk.core.errors import NotFound, ValidationFailed
from salesdesk.core.workflow import apply_transition, check_transition
from salesdesk.workorders import followups
from salesdesk.workorders.models import ROLE_FOR_KIND, WorkKind, WorkOrder
from salesdesk.workorders.workflow import WORK

WORK_DOCUMENT = numbering.register_document_type("work_order", "WO", _("Work order"))


def work_order_create(
    *,
    actor: Any,
    kind: str,
    role: str | None = None,
    order=None,
    order_line=None,
    product=None,
    quantity=None,
    needed_by=None,
    instructions: str = "",
) -> WorkOrder:
    """Allocate work to a department (called by the services that decide allocation)."""
    role = role or ROLE_FOR_KIND.get(kind)
    if kind not in WorkKind.values or not role:
        raise ValueError(f"work order kind {kind!r} needs a department role")
    work = WorkOrder.objects.create(
        number=numbering.next_number("work_order"),
        kind=kind,
        role=role,
        order=order,
        order_line=order_line,
        product=product,
        quantity=quantity,
        needed_by=needed_by,
        instructions=instructions,
        created_by=actor,
    )
    event_record(
        actor=actor,
        verb="workorder.created",
        subject=work,
        to_state=work.status,
        data={"kind": kind, "role": role, "order": order.number if order else None},
    )
    return work


def _locked(actor: Any, work_order_id: int) -> WorkOrder:
    work = WorkOrder.objects.select_for_update().filter(pk=work_order_id).first()
    if work is None or not (
        actor.groups.filter(name=work.role).exists() or actor.has_perm("workorders.view_workorder")
    ):
        raise NotFound(_("No such work order."))
    return work


def _promised(value: Any) -> date:
    parsed = value if isinstance(value, date) else parse_date(str(value or "").strip())
    if parsed is None:
        raise ValidationFailed(
            _("Give the date you can promise (YYYY-MM-DD)."), extra={"field": "promised_date"}
        )
    if parsed < timezone.localdate():
        raise ValidationFailed(
            _("The promised date must not be in the past."), extra={"field": "promised_date"}
        )
    return parsed


def work_order_accept(
    *, actor: Any, work_order_id: int, promised_date: Any, note: str = ""
) -> WorkOrder:
    """The department takes the work and promises a date; the order hears back (O2.3)."""
    with transaction.atomic():
        work = _locked(actor, work_order_id)
        check_transition(WORK, work, "accept", actor)
        promised = _promised(promised_date)
        work = apply_transition(
            work,
            "accept",
            workflow=WORK,
            actor=actor,
            note=note,
            data={"promised_date": promised.isoformat()},
            changes={"promised_date": promised, "assignee": actor},
        )
        followups.run("accepted", work, actor)
    return work


def work_order_progress(
    *, actor: Any, work_order_id: int, progress: Any, note: str = ""
) -> WorkOrder:
    """Report how far the work is (O4.1); starts it if it was only accepted."""
    try:
        percent = int(progress)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise ValidationFailed(
            _("Progress is a whole number from 0 to 100."), extra={"field": "progress"}
        )
    with transaction.atomic():
        work = _locked(actor, work_order_id)
        if work.status == "accepted":
            work = apply_transition(work, "start", workflow=WORK, actor=actor)
        check_transition(WORK, work, "complete", actor)
        work.progress = percent
        work.save(update_fields=["progress", "updated_at"])
        event_record(
            actor=actor,
            verb="workorder.progress",
            subject=work,
            note=note,
            data={"progress": percent},
        )
    return work


def work_order_complete(*, actor: Any, work_order_id: int, note: str = "") -> WorkOrder:
    with transaction.atomic():
        work = _locked(actor, work_order_id)
        work = apply_transition(
            work,
            "complete",
            workflow=WORK,
            actor=actor,
            note=note,
            changes={"progress": 100, "result_note": note},
        )
        followups.run("done", work, actor)
    return work


def work_order_decline(*, actor: Any, work_order_id: int, reason: str) -> WorkOrder:
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the work is declined."), extra={"field": "reason"})
    with transaction.atomic():
        work = _locked(actor, work_order_id)
        work = apply_transition(
            work,
            "decline",
            workflow=WORK,
            actor=actor,
            note=reason,
            changes={"result_note": reason},
        )
        followups.run("declined", work, actor)
    return work
