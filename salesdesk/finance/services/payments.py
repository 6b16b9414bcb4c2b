"""Payments received and their allocation to invoices (U1, U6).

An allocation never exceeds what the payment has left nor what the invoice has open. Both
rows are locked first (the payment, then the invoices in id order, so parallel allocations
never wait on each other in a cycle), the amounts are checked, and only then is anything
written; a refused allocation changes nothing and writes no event.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import numbering
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.money import default_currency
from salesdesk.finance.inputs import clean_allocations, clean_payment
from salesdesk.finance.models import Invoice, InvoiceStatus, Payment, PaymentAllocation
from salesdesk.finance.policies import VIEW_PAYMENTS, visible_customers, visible_to

PAYMENT_DOCUMENT = numbering.register_document_type("payment", "PAY", _("Payment"))


def open_invoices_oldest_first(customer_id: int) -> list[Invoice]:
    """The customer's invoices with an open amount, locked, oldest due date first."""
    locked = list(
        Invoice.objects.select_for_update()
        .filter(customer_id=customer_id, status=InvoiceStatus.ISSUED)
        .filter(paid_amount__lt=F("gross_amount"))
        .order_by("pk")
    )
    return sorted(locked, key=lambda invoice: (invoice.due_date, invoice.issue_date, invoice.pk))


def _auto_plan(payment: Payment) -> list[tuple[Invoice, Decimal]]:
    left, plan = payment.unallocated_amount, []
    for invoice in open_invoices_oldest_first(payment.customer_id):
        if left <= 0:
            break
        take = min(left, invoice.open_amount)
        plan.append((invoice, take))
        left -= take
    return plan


def _explicit_plan(payment: Payment, wanted: dict[int, Decimal]) -> list[tuple[Invoice, Decimal]]:
    total = sum(wanted.values(), Decimal(0))
    if total > payment.unallocated_amount:
        raise ValidationFailed(
            _("The allocations add up to %(total)s but the payment has only %(left)s left.")
            % {"total": total, "left": payment.unallocated_amount},
            code="over_allocation",
            extra={"field": "allocations", "total": str(total)},
        )
    invoices = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update()
        .filter(pk__in=wanted, customer_id=payment.customer_id)
        .order_by("pk")
    }
    unknown: dict[str, list[Any]] = {}
    too_much: dict[str, list[Any]] = {}
    for invoice_id, amount in wanted.items():
        invoice = invoices.get(invoice_id)
        field = f"allocations.{invoice_id}"
        if invoice is None:
            unknown[field] = [_("No such invoice of this customer.")]
        elif invoice.status != InvoiceStatus.ISSUED:
            unknown[field] = [_("Invoice %(n)s is voided.") % {"n": invoice.number}]
        elif amount > invoice.open_amount:
            too_much[field] = [
                _("Invoice %(n)s has only %(open)s open.")
                % {"n": invoice.number, "open": invoice.open_amount}
            ]
    if unknown or too_much:
        error = ValidationFailed.from_fields(_("Check the allocations."), unknown | too_much)
        error.code = "invalid_allocation" if unknown else "over_allocation"
        raise error
    return [(invoices[invoice_id], amount) for invoice_id, amount in sorted(wanted.items())]


def _apply(payment: Payment, plan: list[tuple[Invoice, Decimal]], actor: Any) -> list[dict]:
    PaymentAllocation.objects.bulk_create(
        PaymentAllocation(payment=payment, invoice=invoice, amount=amount, created_by=actor)
        for invoice, amount in plan
    )
    # Both rows are locked, so the new totals are computed here in Decimal: SQLite would add
    # F() expressions in binary floating point and miss the cents.
    for invoice, amount in plan:
        invoice.paid_amount += amount
        Invoice.objects.filter(pk=invoice.pk).update(paid_amount=invoice.paid_amount)
    payment.allocated_amount += sum((amount for _invoice, amount in plan), Decimal(0))
    Payment.objects.filter(pk=payment.pk).update(allocated_amount=payment.allocated_amount)
    _settle_paid_orders(
        {invoice.order_id for invoice, _amount in plan if invoice.order_id}, payment, actor
    )
    return [{"invoice": invoice.number, "amount": str(amount)} for invoice, amount in plan]


def _settle_paid_orders(order_ids: set[int], payment: Payment, actor: Any) -> None:
    """An order whose invoices cover it and are all paid fulfils its contracts' payment
    obligations (K4.1)."""
    from salesdesk.contracts.services.execution import obligations_settle
    from salesdesk.orders.models import Order

    for order in Order.objects.filter(pk__in=order_ids):
        invoices = Invoice.objects.filter(order=order, status=InvoiceStatus.ISSUED)
        billed = sum((i.gross_amount for i in invoices), Decimal(0))
        if billed >= order.gross_amount and all(i.paid_amount >= i.gross_amount for i in invoices):
            obligations_settle(order=order, kind="payment", actor=actor, evidence=payment.number)


def allocate_locked(payment: Payment, allocations: Any, actor: Any) -> list[dict]:
    """Allocate a locked payment: to the given invoices, or oldest due first when None."""
    if allocations is None:
        return _apply(payment, _auto_plan(payment), actor)
    return _apply(payment, _explicit_plan(payment, clean_allocations(allocations)), actor)


def payment_record(
    *,
    actor: Any,
    customer_id: int,
    amount: Any,
    received_on: Any,
    method: str,
    reference: str = "",
    notes: str = "",
    allocations: list[tuple[int, Any]] | None = None,
) -> Payment:
    """Record money received; allocate it as given, or to the oldest due invoices first (U6)."""
    if not actor.has_perm("finance.add_payment"):
        raise PermissionDenied(_("You may not record payments."))
    cleaned = clean_payment(
        {
            "amount": amount,
            "received_on": received_on,
            "method": method,
            "reference": reference,
            "notes": notes,
        }
    )
    if allocations is not None:
        clean_allocations(allocations)
    with transaction.atomic():
        customer = visible_customers(actor, VIEW_PAYMENTS).filter(pk=customer_id).first()
        if customer is None:
            raise NotFound(_("No such customer."), extra={"field": "customer"})
        payment = Payment.objects.create(
            number=numbering.next_number("payment", on=cleaned["received_on"]),
            customer=customer,
            currency=default_currency(),
            created_by=actor,
            **cleaned,
        )
        done = allocate_locked(payment, allocations, actor)
        event_record(
            actor=actor,
            verb="payment.recorded",
            subject=payment,
            data={"amount": str(payment.amount), "method": payment.method, "allocations": done},
        )
    return payment


def payment_allocate(*, actor: Any, payment_id: int, allocations: Any = None) -> Payment:
    """Allocate what a payment has left: to the given invoices, or oldest due first (U6)."""
    if not actor.has_perm("finance.allocate_payment"):
        raise PermissionDenied(_("You may not allocate payments."))
    if allocations is not None:
        clean_allocations(allocations)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(visible_to(actor, VIEW_PAYMENTS), pk=payment_id)
            .first()
        )
        if payment is None:
            raise NotFound(_("No such payment."))
        done = allocate_locked(payment, allocations, actor)
        if not done:
            raise Conflict(
                _("Nothing to allocate: the payment is fully allocated or no invoice is open."),
                code="nothing_to_allocate",
            )
        event_record(
            actor=actor, verb="payment.allocated", subject=payment, data={"allocations": done}
        )
    return payment
