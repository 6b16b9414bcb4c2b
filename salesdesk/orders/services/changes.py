"""Amend, don't redo (U4): changes to an approved order go through a change request with a
before/after diff, a reason and a decision by someone else; reservations follow."""

from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from salesdesk.audit.services import event_record
from salesdesk.catalog.models import Stock
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.money import document_totals
from salesdesk.orders import review
from salesdesk.orders.inputs import clean_header, clean_lines
from salesdesk.orders.models import ChangeRequest, ChangeStatus, Order, OrderLine, OrderStatus
from salesdesk.orders.policies import can_work_on
from salesdesk.orders.services import fulfillment
from salesdesk.orders.services.approval import release_reservations, reserve_lines
from salesdesk.orders.services.intake import order_for_update

CHANGEABLE = (OrderStatus.APPROVED, OrderStatus.IN_FULFILLMENT)
HEADER_FIELDS = ("payment_terms", "requested_delivery_date", "customer_reference", "note")
LINE_FIELDS = ("product", "quantity", "unit_price", "discount_rate", "tax_rate", "requested_date")


def _plain(value: Any) -> str:
    return getattr(value, "sku", None) or ("" if value is None else str(value))


def _diff(order: Order, header: dict, new_lines: list[dict]) -> list[dict]:
    changes = [
        {"field": f, "before": _plain(getattr(order, f)), "after": _plain(header[f])}
        for f in HEADER_FIELDS
        if getattr(order, f) != header[f]
    ]
    old = list(order.lines.filter(is_cancelled=False).order_by("line_number"))
    for index in range(max(len(old), len(new_lines))):
        before = old[index] if index < len(old) else None
        after = new_lines[index] if index < len(new_lines) else None
        number = before.line_number if before else None
        for field in LINE_FIELDS:
            was = _plain(getattr(before, field)) if before else ""
            now = _plain(after[field]) if after else ""
            # Compare values, not their text: 20.0000 stored and 20 entered are no change.
            same = bool(before and after) and getattr(before, field) == after[field]
            if was != now and not same:
                changes.append({"line": number, "field": field, "before": was, "after": now})
    return changes


def change_request_create(
    *, actor: Any, order_id: int, header: dict, lines: list[dict], reason: str
) -> ChangeRequest:
    """Propose new header values and lines for an approved order (U4)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the order changes."), extra={"field": "reason"})
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        if order.status not in CHANGEABLE:
            raise Conflict(
                _("Only approved orders change by request; edit drafts directly."),
                code="not_changeable",
            )
        if order.change_requests.filter(status=ChangeStatus.PENDING).exists():
            raise Conflict(
                _("The order already has a pending change request."), code="change_pending"
            )
        current = {f: getattr(order, f) for f in HEADER_FIELDS}
        cleaned_header = clean_header({**current, "channel": order.channel, **header})
        cleaned = clean_lines(
            lines, prices_include_tax=order.prices_include_tax, customer=order.customer
        )
        diff = _diff(order, cleaned_header, cleaned)
        if not diff:
            raise ValidationFailed(_("The proposal changes nothing."), extra={"field": "lines"})
        proposal = {
            "header": {f: _plain(cleaned_header[f]) for f in HEADER_FIELDS},
            "lines": [{f: _plain(line[f]) for f in LINE_FIELDS} for line in cleaned],
        }
        change = ChangeRequest.objects.create(
            order=order, reason=reason[:200], proposal=proposal, diff=diff, requested_by=actor
        )
        event_record(
            actor=actor,
            verb="order.change_requested",
            subject=order,
            note=reason,
            data={"change_request": change.pk, "diff": diff},
        )
    return change


def _pending(actor: Any, change_id: int) -> tuple[ChangeRequest, Order]:
    change = ChangeRequest.objects.select_for_update().filter(pk=change_id).first()
    if change is None:
        raise NotFound(_("No such change request."))
    order = order_for_update(actor, change.order_id)
    if change.status != ChangeStatus.PENDING:
        raise Conflict(_("The change request was already decided."), code="already_decided")
    if not actor.has_perm("orders.approve_order") or not can_work_on(actor, order):
        raise PermissionDenied(_("You may not decide change requests."))
    if change.requested_by_id == actor.pk:
        raise PermissionDenied(
            _("Someone other than the requester decides a change."), code="four_eyes"
        )
    return change, order


def _apply_lines(order: Order, cleaned: list[dict]) -> None:
    old = list(order.lines.filter(is_cancelled=False).order_by("line_number"))
    next_number = (
        order.lines.order_by("-line_number").values_list("line_number", flat=True).first() or 0
    ) + 1
    for index, values in enumerate(cleaned):
        values = {k: v for k, v in values.items() if k != "line_number"}
        if index < len(old):
            line = old[index]
            for name, value in values.items():
                setattr(line, name, value)
            line.save()
        else:
            OrderLine.objects.create(order=order, line_number=next_number, **values)
            next_number += 1
    for line in old[len(cleaned) :]:
        line.is_cancelled = True
        line.save(update_fields=["is_cancelled"])
    active = order.lines.filter(is_cancelled=False)
    order.net_amount, order.tax_amount, order.gross_amount = document_totals(
        SimpleNamespace(net=line.net_amount, tax=line.tax_amount, gross=line.gross_amount)
        for line in active
    )


def change_request_approve(*, actor: Any, change_id: int, note: str = "") -> Order:
    """Apply the change, re-review it, and move reservations to the new quantities (U4)."""
    with transaction.atomic():
        change, order = _pending(actor, change_id)
        proposal = change.proposal
        header = clean_header({**proposal["header"], "channel": order.channel})
        cleaned = clean_lines(
            proposal["lines"], prices_include_tax=order.prices_include_tax, customer=order.customer
        )
        # Lock every stock row this change touches, in product order, before releasing and
        # re-reserving, so a parallel approval can never wait on us in a cycle.
        products = {line.product_id for line in order.lines.all()} | {
            line["product"].pk for line in cleaned
        }
        list(
            Stock.objects.select_for_update()
            .filter(product_id__in=products)
            .order_by("product_id", "warehouse_id")
            .values_list("pk", flat=True)
        )
        release_reservations(order, actor)
        for name in HEADER_FIELDS:
            setattr(order, name, header[name])
        _apply_lines(order, cleaned)
        order.save()
        lines = list(order.lines.filter(is_cancelled=False))
        findings = [
            f
            for f in review.credit_findings(order, review.exposure_of(order))
            + review.compliance_findings(order, lines)
            if f["holds"]
        ]
        if findings:
            raise Conflict(
                _("The changed order breaks company rules; reject the change or resolve: %(rules)s")
                % {"rules": ", ".join(f["rule"] for f in findings)},
                code="change_breaks_rules",
                extra={"findings": findings},
            )
        shortages = reserve_lines(order, actor)
        change.status, change.decided_by = ChangeStatus.APPROVED, actor
        change.decided_at, change.decision_note = timezone.now(), note[:200]
        change.save()
        event_record(
            actor=actor,
            verb="order.changed",
            subject=order,
            note=note,
            data={"change_request": change.pk, "diff": change.diff, "short_lines": shortages},
        )
        fulfillment.tell_salesperson(
            order, gettext_noop("Change to order %(n)s approved"), {"n": order.number}, actor=actor
        )
    return order


def change_request_reject(*, actor: Any, change_id: int, note: str) -> ChangeRequest:
    if not (note or "").strip():
        raise ValidationFailed(_("Give a reason."), extra={"field": "note"})
    with transaction.atomic():
        change, order = _pending(actor, change_id)
        change.status, change.decided_by = ChangeStatus.REJECTED, actor
        change.decided_at, change.decision_note = timezone.now(), note[:200]
        change.save()
        event_record(
            actor=actor,
            verb="order.change_rejected",
            subject=order,
            note=note,
            data={"change_request": change.pk},
        )
    return change
