"""Resolve review holds (O2.1, O2.2): guarantee, credit release within authority, override."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.attachments import check_upload
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.orders.models import Guarantee, GuaranteeKind, Order, OrderStatus
from salesdesk.orders.services.intake import order_for_update, order_locked
from salesdesk.orders.workflow import ORDER

CREDIT_AUTHORITY_ROLES = ("finance", "sales_manager")


def _on_hold(actor: Any, order_id: int, *, entry: bool = False) -> Order:
    """The locked order on hold; `entry` steps (a guarantee) need the right to change it,
    decisions (credit release, override) only their own permission checked by the caller."""
    order = order_for_update(actor, order_id) if entry else order_locked(actor, order_id)
    if order.status != OrderStatus.ON_HOLD:
        raise Conflict(_("The order is not on hold."), code="not_on_hold")
    return order


def _open(order: Order, kind: str, rule: str | None = None) -> list[dict]:
    return [
        f
        for f in order.hold_reasons
        if f["kind"] == kind and not f["resolved"] and (rule is None or f["rule"] == rule)
    ]


def _resolve(order: Order, findings: list[dict], actor: Any, how: str, note: str) -> None:
    """Mark findings resolved; release the order once nothing holds it any more."""
    for item in findings:
        item.update({"resolved": True, "resolved_by": actor.username, "resolution": how})
    Order.objects.filter(pk=order.pk).update(hold_reasons=order.hold_reasons)
    if not [f for f in order.hold_reasons if f["holds"] and not f["resolved"]]:
        apply_transition(
            order, "release", workflow=ORDER, actor=actor, note=note, data={"resolution": how}
        )


def _excess(findings: list[dict]) -> Decimal:
    return max((Decimal(f.get("excess") or 0) for f in findings), default=Decimal(0))


def order_guarantee_record(
    *, actor: Any, order_id: int, kind: str, amount: Any, document=None, note: str = ""
) -> Guarantee:
    """An extra guarantee covering the credit excess releases the credit hold (O2.1)."""
    fields: dict[str, list] = {}
    if kind not in GuaranteeKind.values:
        fields["kind"] = [_("Choose a kind of guarantee.")]
    try:
        value = Decimal(str(amount))
        if value <= 0:
            raise ValueError
    except (ValueError, ArithmeticError):
        fields["amount"] = [_("Enter an amount above zero.")]
        value = Decimal(0)
    if fields:
        raise ValidationFailed.from_fields(_("Please correct the marked fields."), fields)
    if document is not None:
        check_upload(document)
    with transaction.atomic():
        order = _on_hold(actor, order_id, entry=True)
        credit = _open(order, "credit")
        if not credit:
            raise Conflict(_("No credit hold to cover."), code="no_credit_hold")
        if value < _excess(credit):
            raise ValidationFailed(
                _("The guarantee must cover the excess of %(excess)s.")
                % {"excess": _excess(credit)},
                extra={"field": "amount"},
            )
        guarantee = Guarantee.objects.create(
            order=order,
            kind=kind,
            amount=value,
            document=document or "",
            note=note,
            recorded_by=actor,
        )
        event_record(
            actor=actor,
            verb="order.guarantee_recorded",
            subject=order,
            note=note,
            data={"kind": kind, "amount": str(value)},
        )
        _resolve(order, credit, actor, f"guarantee:{guarantee.pk}", note)
    return guarantee


def order_credit_release(*, actor: Any, order_id: int, note: str) -> Order:
    """A credit approver releases the hold, within their authority (O2.1)."""
    if not actor.has_perm("orders.release_credit_hold"):
        raise PermissionDenied(_("You may not release credit holds."))
    if not (note or "").strip():
        raise ValidationFailed(_("Say why the credit hold is released."), extra={"field": "note"})
    with transaction.atomic():
        order = _on_hold(actor, order_id)
        credit = _open(order, "credit")
        if not credit:
            raise Conflict(_("No credit hold to release."), code="no_credit_hold")
        roles = [r for r in CREDIT_AUTHORITY_ROLES if actor.groups.filter(name=r).exists()]
        authority = max(
            (policies.value(f"orders.credit_release_limit.{r}") for r in roles), default=Decimal(0)
        )
        if _excess(credit) > authority:
            raise PermissionDenied(
                _("The excess %(excess)s is above your authority of %(limit)s.")
                % {"excess": _excess(credit), "limit": authority},
                code="above_authority",
                extra={"authority": str(authority)},
            )
        _resolve(order, credit, actor, "credit_release", note)
    order.refresh_from_db()
    return order


def order_compliance_override(*, actor: Any, order_id: int, rule: str, reason: str) -> Order:
    """A sales manager accepts a rule violation with a reason (O2.2)."""
    if not actor.has_perm("orders.override_compliance"):
        raise PermissionDenied(_("You may not override compliance rules."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the rule may be broken here."), extra={"field": "reason"})
    with transaction.atomic():
        order = _on_hold(actor, order_id)
        findings = _open(order, "compliance", rule)
        if not findings:
            raise Conflict(
                _("No open finding for rule %(rule)s.") % {"rule": rule},
                code="no_such_finding",
                extra={"field": "rule"},
            )
        _resolve(order, findings, actor, "override", reason)
    order.refresh_from_db()
    return order
