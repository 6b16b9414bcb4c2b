"""Invoices from shipped lines, voids, and closing an order that is done (U1, U6).

An order line is invoiced pro rata of its own amounts: after each invoice the cumulative
invoiced quantity's share of the line's net and tax is rounded, and the invoice takes the
difference to what earlier invoices took. The invoice that reaches the line's quantity thus
takes the exact remainder, so the invoices of a line always add up to the line.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import numbering
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.money import quantize_money
from salesdesk.core.workflow import apply_transition, check_transition
from salesdesk.finance.inputs import Errors, clean_past_date, clean_text
from salesdesk.finance.models import Invoice, InvoiceLine, InvoiceStatus
from salesdesk.finance.policies import visible_to
from salesdesk.finance.rules import due_date_for
from salesdesk.finance.workflow import INVOICE
from salesdesk.orders.models import Order, OrderLine, OrderStatus
from salesdesk.orders.policies import visible_to as orders_visible_to
from salesdesk.orders.workflow import ORDER
from salesdesk.shipping.models import ShipmentLine, ShipmentStatus

INVOICE_DOCUMENT = numbering.register_document_type("invoice", "INV", _("Invoice"))
SHIPPED = (
    ShipmentStatus.DISPATCHED,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.EXCEPTION,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.RECEIPT_CONFIRMED,
)
DELIVERED = (ShipmentStatus.DELIVERED, ShipmentStatus.RECEIPT_CONFIRMED)
INVOICEABLE = (
    OrderStatus.APPROVED,
    OrderStatus.IN_FULFILLMENT,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CLOSED,
)
ZERO = Decimal("0.00")


@dataclass
class _Invoiced:
    """What the issued invoices of one order line have taken so far."""

    quantity: Decimal = Decimal(0)
    net: Decimal = ZERO
    tax: Decimal = ZERO


def invoiced_by_order_line(line_ids) -> dict[int, _Invoiced]:
    rows = (
        InvoiceLine.objects.filter(order_line_id__in=line_ids, invoice__status=InvoiceStatus.ISSUED)
        .values("order_line_id")
        .annotate(quantity=Sum("quantity"), net=Sum("net_amount"), tax=Sum("tax_amount"))
    )
    return {
        row["order_line_id"]: _Invoiced(row["quantity"], row["net"], row["tax"]) for row in rows
    }


def invoiced_by_shipment_line(line_ids) -> dict[int, Decimal]:
    rows = (
        InvoiceLine.objects.filter(
            shipment_line_id__in=line_ids, invoice__status=InvoiceStatus.ISSUED
        )
        .values("shipment_line_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["shipment_line_id"]: row["quantity"] for row in rows}


def uninvoiced_shipment_lines(order: Order) -> list[tuple[ShipmentLine, Decimal]]:
    """Shipped lines of the order with the quantity not yet invoiced, oldest shipment first."""
    lines = list(
        ShipmentLine.objects.filter(
            shipment__order=order, shipment__status__in=SHIPPED, order_line__is_cancelled=False
        )
        .select_related("shipment", "order_line__product")
        .order_by("shipment__created_at", "shipment_id", "order_line__line_number")
    )
    taken = invoiced_by_shipment_line([line.pk for line in lines])
    found = []
    for line in lines:
        left = line.quantity - taken.get(line.pk, Decimal(0))
        if left > 0:
            found.append((line, left))
    return found


def _share(line: OrderLine, done: _Invoiced, quantity: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of `quantity` more of `line`, given what was invoiced before."""
    reached = done.quantity + quantity
    if reached >= line.quantity:
        return line.net_amount - done.net, line.tax_amount - done.tax
    net = quantize_money(line.net_amount * reached / line.quantity) - done.net
    tax = quantize_money(line.tax_amount * reached / line.quantity) - done.tax
    return net, tax


def _invoice_lines(
    order: Order, candidates: list[tuple[ShipmentLine, Decimal]]
) -> list[InvoiceLine]:
    done = invoiced_by_order_line({line.order_line_id for line, _left in candidates})
    built = []
    for shipment_line, left in candidates:
        order_line = shipment_line.order_line
        so_far = done.setdefault(order_line.pk, _Invoiced())
        quantity = min(left, order_line.quantity - so_far.quantity)
        if quantity <= 0:
            continue
        net, tax = _share(order_line, so_far, quantity)
        so_far.quantity += quantity
        so_far.net += net
        so_far.tax += tax
        product = order_line.product
        built.append(
            InvoiceLine(
                shipment_line=shipment_line,
                order_line=order_line,
                description=(
                    f"{shipment_line.shipment.number} {product.sku} {product.name}"
                    f" {order_line.description}"
                ).strip()[:200],
                quantity=quantity,
                net_amount=net,
                tax_amount=tax,
                gross_amount=net + tax,
            )
        )
    return built


def _chosen(order: Order, shipment_line_ids: list[int] | None):
    candidates = uninvoiced_shipment_lines(order)
    if shipment_line_ids is None:
        return candidates
    wanted = {int(pk) for pk in shipment_line_ids}
    unknown = wanted - {line.pk for line, _left in candidates}
    if unknown:
        raise ValidationFailed(
            _(
                "These shipment lines are not shipped, not of this order or already "
                "invoiced: %(ids)s."
            )
            % {"ids": ", ".join(str(pk) for pk in sorted(unknown))},
            code="invalid_shipment_lines",
            extra={"field": "shipment_lines", "ids": sorted(unknown)},
        )
    return [(line, left) for line, left in candidates if line.pk in wanted]


def _locked_order(actor: Any, order_id: int) -> Order:
    if not Order.objects.filter(orders_visible_to(actor), pk=order_id).exists():
        raise NotFound(_("No such order."), extra={"field": "order"})
    return Order.objects.select_for_update().select_related("customer").get(pk=order_id)


def invoice_from_shipments(
    *,
    actor: Any,
    order_id: int,
    shipment_line_ids: list[int] | None = None,
    issue_date: date | str | None = None,
    note: str = "",
) -> Invoice:
    """Invoice the shipped, not yet invoiced quantities of an order, pro rata (U1)."""
    if not actor.has_perm("finance.add_invoice"):
        raise PermissionDenied(_("You may not issue invoices."))
    errors = Errors()
    issued_on = clean_past_date(issue_date, "issue_date", errors, required=False)
    note = clean_text(note, "note", errors, max_length=200)
    errors.raise_if_any()
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        order = _locked_order(actor, order_id)
        if order.status not in INVOICEABLE:
            raise Conflict(
                _("An order that is %(state)s cannot be invoiced.")
                % {"state": order.get_status_display()},
                code="order_not_invoiceable",
                extra={"state": order.status},
            )
        lines = _invoice_lines(order, _chosen(order, shipment_line_ids))
        if not lines:
            raise Conflict(
                _("Order %(n)s has nothing shipped that is not invoiced yet.")
                % {"n": order.number},
                code="nothing_to_invoice",
            )
        invoice = _issue(actor, order, lines, issued_on, note)
        order_close_if_done(order=order, actor=actor)
    return invoice


def _issue(
    actor: Any, order: Order, lines: list[InvoiceLine], issued_on: date, note: str
) -> Invoice:
    invoice = Invoice.objects.create(
        number=numbering.next_number("invoice", on=issued_on),
        customer=order.customer,
        order=order,
        issue_date=issued_on,
        due_date=due_date_for(order.payment_terms, issued_on),
        currency=order.currency,
        net_amount=sum((line.net_amount for line in lines), ZERO),
        tax_amount=sum((line.tax_amount for line in lines), ZERO),
        gross_amount=sum((line.gross_amount for line in lines), ZERO),
        note=note,
        created_by=actor,
    )
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    event_record(
        actor=actor,
        verb="invoice.issued",
        subject=invoice,
        to_state=invoice.status,
        note=note,
        data={
            "order": order.number,
            "shipments": sorted({line.shipment_line.shipment.number for line in lines}),
            "lines": len(lines),
            "gross": str(invoice.gross_amount),
            "due_date": invoice.due_date.isoformat(),
        },
    )
    return invoice


def invoice_void(*, actor: Any, invoice_id: int, reason: str) -> Invoice:
    """Void an invoice with a reason; it stays visible and its number is never reused (U7)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), extra={"field": "reason"})
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().filter(visible_to(actor), pk=invoice_id)
        invoice = invoice.first()
        if invoice is None:
            raise NotFound(_("No such invoice."))
        check_transition(INVOICE, invoice, "void", actor)
        if invoice.paid_amount > 0:
            raise Conflict(
                _("Payments of %(amount)s are allocated to this invoice; it cannot be voided.")
                % {"amount": invoice.paid_amount},
                code="invoice_has_payments",
            )
        invoice = apply_transition(
            invoice,
            "void",
            workflow=INVOICE,
            actor=actor,
            note=reason[:200],
            changes={"void_reason": reason[:200], "voided_at": timezone.now()},
        )
    return invoice


def _delivered_by_line(order: Order) -> dict[int, Decimal]:
    rows = (
        ShipmentLine.objects.filter(shipment__order=order, shipment__status__in=DELIVERED)
        .values("order_line_id")
        .annotate(received=Sum(Coalesce("received_quantity", "quantity")))
    )
    return {row["order_line_id"]: row["received"] for row in rows}


def order_is_fully_invoiced(order: Order, lines: list[OrderLine]) -> bool:
    """Every active line's quantity invoiced, or invoices (imported ones too) for its total."""
    done = invoiced_by_order_line([line.pk for line in lines])
    if all(done.get(line.pk, _Invoiced()).quantity >= line.quantity for line in lines):
        return True
    billed = order.invoices.filter(status=InvoiceStatus.ISSUED).aggregate(
        total=Sum("gross_amount")
    )["total"]
    return billed is not None and billed >= order.gross_amount


def order_close_if_done(*, order: Order, actor: Any) -> bool:
    """Close a delivered order once every active line is delivered and invoiced (U1)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.DELIVERED:
            return False
        lines = list(order.lines.filter(is_cancelled=False))
        delivered = _delivered_by_line(order)
        if any(delivered.get(line.pk, Decimal(0)) < line.quantity for line in lines):
            return False
        if not order_is_fully_invoiced(order, lines):
            return False
        numbers = list(
            order.invoices.filter(status=InvoiceStatus.ISSUED).values_list("number", flat=True)
        )
        apply_transition(order, "close", workflow=ORDER, actor=actor, data={"invoices": numbers})
    return True
