"""Writes of career development plans (T3.1): the plan, goals, reviews and promotions.
Managers (manage_careerplan) edit the plans of people they may see; each write is audited."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from salesdesk.audit.services import event_record
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.training.models import CareerGoal, CareerPlan, CareerReview, GoalStatus, Promotion
from salesdesk.training.policies import can_manage_plan


def _fail(fields: dict[str, list]) -> ValidationFailed:
    return ValidationFailed.from_fields(_("Please correct the marked fields."), fields)


def _date(data: dict, name: str, fields: dict, required: bool = False) -> date | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            fields[name] = [_("Give a date.")]
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        fields[name] = [_("Give a date as YYYY-MM-DD.")]
        return None


def _plan_for_edit(actor: Any, plan_id: int) -> CareerPlan:
    plan = (
        CareerPlan.objects.select_for_update().select_related("person").filter(pk=plan_id).first()
    )
    if plan is None:
        raise NotFound(_("No such career plan."))
    if not can_manage_plan(actor, plan.person):
        raise PermissionDenied(_("You may not edit this career plan."))
    return plan


def plan_create(*, actor: Any, person_id: int, data: dict) -> CareerPlan:
    """A career plan for a person; the reviewer defaults to the actor (T3.1)."""
    person = get_user_model().objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise _fail({"person": [_("Choose an active user.")]})
    if not can_manage_plan(actor, person):
        raise PermissionDenied(_("You may not edit this career plan."))
    fields: dict[str, list] = {}
    next_review = _date(data, "next_review_on", fields)
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        if CareerPlan.objects.filter(person=person).exists():
            raise Conflict(_("This person already has a career plan."), code="plan_exists")
        plan = CareerPlan.objects.create(
            person=person,
            reviewer=actor,
            next_review_on=next_review,
            current_title=str(data.get("current_title") or "").strip()[:200],
            summary=str(data.get("summary") or "").strip(),
        )
        event_record(actor=actor, verb="training.plan_created", subject=plan)
    return plan


def plan_update(*, actor: Any, plan_id: int, data: dict) -> CareerPlan:
    fields: dict[str, list] = {}
    next_review = _date(data, "next_review_on", fields)
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        plan = _plan_for_edit(actor, plan_id)
        if "next_review_on" in data:
            plan.next_review_on = next_review
        for name in ("current_title", "summary"):
            if name in data:
                setattr(plan, name, str(data.get(name) or "").strip())
        plan.save()
        event_record(actor=actor, verb="training.plan_changed", subject=plan)
    return plan


def goal_add(*, actor: Any, plan_id: int, data: dict) -> CareerGoal:
    fields: dict[str, list] = {}
    text = str(data.get("text") or "").strip()
    if not text:
        fields["text"] = [_("Describe the goal.")]
    target = _date(data, "target_date", fields)
    status = data.get("status") or GoalStatus.OPEN
    if status not in GoalStatus.values:
        fields["status"] = [_("Choose a status.")]
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        plan = _plan_for_edit(actor, plan_id)
        goal = CareerGoal.objects.create(
            plan=plan, text=text[:500], target_date=target, status=status
        )
        event_record(
            actor=actor,
            verb="training.goal_added",
            subject=plan,
            data={"goal": goal.pk, "text": goal.text},
        )
    return goal


def goal_set_status(*, actor: Any, goal_id: int, status: str) -> CareerGoal:
    if status not in GoalStatus.values:
        raise _fail({"status": [_("Choose a status.")]})
    with transaction.atomic():
        goal = CareerGoal.objects.filter(pk=goal_id).first()
        if goal is None:
            raise NotFound(_("No such goal."))
        plan = _plan_for_edit(actor, goal.plan_id)
        before, goal.status = goal.status, status
        goal.save(update_fields=["status", "updated_at"])
        event_record(
            actor=actor,
            verb="training.goal_status",
            subject=plan,
            from_state=before,
            to_state=status,
            data={"goal": goal.pk},
        )
    return goal


def review_record(*, actor: Any, plan_id: int, data: dict) -> CareerReview:
    """A review held; sets the next review date, which then waits in the reviewer's queue."""
    fields: dict[str, list] = {}
    held = _date(data, "held_on", fields, required=True)
    next_review = _date(data, "next_review_on", fields)
    if held and next_review and next_review <= held:
        fields["next_review_on"] = [_("The next review must be after this one.")]
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        plan = _plan_for_edit(actor, plan_id)
        review = CareerReview.objects.create(
            plan=plan, held_on=held, reviewed_by=actor, notes=str(data.get("notes") or "").strip()
        )
        plan.next_review_on = next_review
        plan.save(update_fields=["next_review_on", "updated_at"])
        event_record(
            actor=actor,
            verb="training.review_recorded",
            subject=plan,
            data={"held_on": held.isoformat()},
        )
    return review


def promotion_record(*, actor: Any, plan_id: int, data: dict) -> Promotion:
    fields: dict[str, list] = {}
    promoted = _date(data, "promoted_on", fields, required=True)
    for name in ("from_title", "to_title"):
        if not str(data.get(name) or "").strip():
            fields[name] = [_("Give the role or title.")]
    if fields:
        raise _fail(fields)
    with transaction.atomic():
        plan = _plan_for_edit(actor, plan_id)
        promotion = Promotion.objects.create(
            plan=plan,
            promoted_on=promoted,
            note=str(data.get("note") or "").strip(),
            from_title=str(data["from_title"]).strip()[:200],
            to_title=str(data["to_title"]).strip()[:200],
        )
        plan.current_title = promotion.to_title
        plan.save(update_fields=["current_title", "updated_at"])
        event_record(
            actor=actor,
            verb="training.promoted",
            subject=plan,
            data={"from": promotion.from_title, "to": promotion.to_title},
        )
    return promotion
