"""Order intake (O1): create and edit drafts, and the written record of verbal orders."""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.audit.services import event_record
from salesdesk.core import numbering, policies
from salesdesk.core.attachments import attachment_add
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied
from salesdesk.core.money import document_totals
from salesdesk.customers.models import CustomerStage
from salesdesk.customers.policies import visible_to as customers_visible_to
from salesdesk.orders.inputs import clean_header, clean_lines
from salesdesk.orders.models import Channel, Order, OrderLine, OrderStatus
from salesdesk.orders.policies import can_work_on, visible_to

ORDER_DOCUMENT = numbering.register_document_type("sales_order", "SO", _("Sales order"))


def _write_lines(order: Order, cleaned_lines: list[dict]) -> None:
    OrderLine.objects.bulk_create([OrderLine(order=order, **line) for line in cleaned_lines])
    net, tax, gross = document_totals(
        SimpleNamespace(net=line["net_amount"], tax=line["tax_amount"], gross=line["gross_amount"])
        for line in cleaned_lines
    )
    order.net_amount, order.tax_amount, order.gross_amount = net, tax, gross


def order_create(*, actor: Any, customer_id: int, data: dict, lines: list[dict]) -> Order:
    """Record an order received by any channel (O1.1, O1.2), checked line by line (O1.3)."""
    if not actor.has_perm("orders.add_order"):
        raise PermissionDenied(_("You may not enter orders."))
    header = clean_header(data)
    cleaned_lines = clean_lines(
        lines,
        prices_include_tax=header["prices_include_tax"],
        customer=_visible_customer(actor, customer_id),
    )
    with transaction.atomic():
        customer = _customer_for_order(actor, customer_id)
        order = Order(
            number=numbering.next_number("sales_order"),
            customer=customer,
            salesperson=customer.owner,
            created_by=actor,
            **header,
        )
        if order.channel == Channel.VERBAL:
            days = policies.value("orders.verbal_confirmation_days")
            order.confirmation_due_at = timezone.now() + timedelta(days=days)
        order.save()
        _write_lines(order, cleaned_lines)
        order.save(update_fields=["net_amount", "tax_amount", "gross_amount"])
        event_record(
            actor=actor,
            verb="order.created",
            subject=order,
            to_state=order.status,
            data={
                "channel": order.channel,
                "lines": len(cleaned_lines),
                "gross": str(order.gross_amount),
            },
        )
    return order


def _visible_customer(actor: Any, customer_id: int):
    """The customer for line prices, or None; `_customer_for_order` refuses unknown ones."""
    from salesdesk.customers.models import Customer

    return Customer.objects.filter(customers_visible_to(actor), pk=customer_id).first()


def _customer_for_order(actor: Any, customer_id: int):
    from salesdesk.customers.models import Customer

    customer = Customer.objects.filter(customers_visible_to(actor), pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."), extra={"field": "customer"})
    if customer.stage == CustomerStage.LOST:
        raise Conflict(
            _("The customer is marked lost; reactivate it first."),
            code="customer_lost",
            extra={"field": "customer"},
        )
    return customer


def order_locked(actor: Any, order_id: int) -> Order:
    """Lock an order the actor may see; the caller checks the step's own permission."""
    order = Order.objects.select_for_update().filter(visible_to(actor), pk=order_id).first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def order_for_update(actor: Any, order_id: int) -> Order:
    """Lock an order the actor may change (entry staff of its team)."""
    order = order_locked(actor, order_id)
    if not can_work_on(actor, order) or not actor.has_perm("orders.change_order"):
        raise PermissionDenied(_("You may not change this order."))
    return order


def order_update(
    *, actor: Any, order_id: int, data: dict, lines: list[dict] | None = None
) -> Order:
    """Edit a draft; approved orders change only through a change request (U4)."""
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        if order.status != OrderStatus.DRAFT:
            raise Conflict(_("Only a draft can be edited; use a change request."), code="not_draft")
        current = {
            f: getattr(order, f)
            for f in (
                "channel",
                "payment_terms",
                "requested_delivery_date",
                "customer_reference",
                "note",
                "prices_include_tax",
            )
        }
        header = clean_header({**current, **data})
        for name, value in header.items():
            setattr(order, name, value)
        if lines is not None:
            cleaned_lines = clean_lines(
                lines, prices_include_tax=order.prices_include_tax, customer=order.customer
            )
            order.lines.all().delete()  # a draft's lines are working notes, not records
            _write_lines(order, cleaned_lines)
        order.save()
        event_record(
            actor=actor,
            verb="order.updated",
            subject=order,
            data={"fields": sorted(data), "lines": lines is not None},
        )
    return order


def order_confirm_written(*, actor: Any, order_id: int, upload, note: str = "") -> Order:
    """Attach the written record of a verbal order (O1.2); the work item disappears."""
    with transaction.atomic():
        order = order_for_update(actor, order_id)
        if order.channel != Channel.VERBAL:
            raise Conflict(_("Only verbal orders need a written confirmation."), code="not_verbal")
        if order.confirmed_at is not None:
            raise Conflict(
                _("The written confirmation is already attached."), code="already_confirmed"
            )
        attachment_add(
            actor=actor, subject=order, upload=upload, kind="written_confirmation", note=note
        )
        order.confirmed_at = timezone.now()
        order.save(update_fields=["confirmed_at", "updated_at"])
        event_record(actor=actor, verb="order.confirmed_in_writing", subject=order, note=note)
    return order
