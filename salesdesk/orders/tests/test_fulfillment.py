"""Allocation to departments, promised dates back to the order, and the whole scenario
(O1.2, O2.1, O2.3, O3.1, O4.1, O4.2)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.audit.selectors import event_list_for
from salesdesk.customers.models import Customer
from salesdesk.notifications.models import Notification
from salesdesk.orders.selectors import order_progress
from salesdesk.orders.services import (
    order_approve,
    order_confirm_written,
    order_guarantee_record,
    order_submit,
)
from salesdesk.workorders.services import work_order_accept, work_order_complete


@pytest.fixture
def purchaser(db):
    return UserFactory(username="buyer1", roles=["purchasing"], department__code="purchasing")


@pytest.mark.req("O2.3")
def test_short_line_asks_purchasing_for_a_date(make_order, salesperson, purchaser):
    order = order_submit(
        actor=salesperson, order_id=make_order(lines=[{"product": "M-750", "quantity": "8"}]).pk
    )
    inquiry = order.work_orders.get()
    assert (inquiry.kind, inquiry.role, inquiry.quantity) == (
        "replenishment_inquiry",
        "purchasing",
        Decimal("3.000"),
    )
    promised = timezone.localdate() + timedelta(days=10)
    work_order_accept(actor=purchaser, work_order_id=inquiry.pk, promised_date=promised)
    assert order.lines.get().promised_date == promised
    note = Notification.objects.get(recipient=salesperson)
    assert order.number in note.title and str(promised) in note.title


@pytest.mark.req("O3.1")
def test_approval_allocates_picking_and_purchase(make_order, salesperson, sales_admin):
    order = order_submit(
        actor=salesperson,
        order_id=make_order(
            lines=[{"product": "B-6204", "quantity": "10"}, {"product": "M-750", "quantity": "8"}]
        ).pk,
    )
    order_approve(actor=sales_admin, order_id=order.pk)
    kinds = sorted(order.work_orders.values_list("kind", "role"))
    assert kinds == [
        ("picking", "warehouse"),
        ("purchase", "purchasing"),
        ("replenishment_inquiry", "purchasing"),
    ]


@pytest.mark.req("O1.2", "O2.1", "O3.1", "O4.1", "O4.2")
def test_scenario_verbal_to_work_done(make_order, customer, salesperson, sales_admin, warehouse):
    """verbal order → confirmation attached → credit hold → guarantee → approved →
    work orders accepted and done."""
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("50"))
    order = make_order(channel="verbal")
    order_confirm_written(
        actor=salesperson,
        order_id=order.pk,
        upload=SimpleUploadedFile(
            "confirm.pdf", b"%PDF-1.4 signed", content_type="application/pdf"
        ),
    )
    order = order_submit(actor=salesperson, order_id=order.pk)
    assert order.status == "on_hold"
    order_guarantee_record(
        actor=sales_admin,
        order_id=order.pk,
        kind="deposit",
        amount=order.hold_reasons[0]["excess"],
        note="預付訂金",
    )
    order = order_approve(actor=sales_admin, order_id=order.pk)
    assert order.status == "approved"
    picking = order.work_orders.get(kind="picking")
    work_order_accept(
        actor=warehouse,
        work_order_id=picking.pk,
        promised_date=timezone.localdate() + timedelta(days=2),
    )
    order.refresh_from_db()
    assert order.status == "in_fulfillment"
    work_order_complete(actor=warehouse, work_order_id=picking.pk, note="已揀貨")
    assert order_progress(order)["percent"] == 100
    verbs = [e.verb for e in reversed(event_list_for(order))]
    assert verbs == [
        "order.created",
        "attachment.added",
        "order.confirmed_in_writing",
        "order.submitted",
        "order.held",
        "order.guarantee_recorded",
        "order.released",
        "order.approved",
        "order.fulfillment_started",
    ]
    assert Event.objects.filter(verb="workorder.done", object_id=picking.pk).count() == 1
    assert Notification.objects.filter(recipient=salesperson).count() >= 3


def test_notices_are_written_in_the_salespersons_language(make_order, salesperson, sales_admin):
    from django.utils import translation

    type(salesperson).objects.filter(pk=salesperson.pk).update(language="zh-hans")
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    with translation.override("en"):  # the approver works in English
        order_approve(actor=sales_admin, order_id=order.pk)
    note = Notification.objects.get(recipient=salesperson)
    assert order.number in note.title and "批准" in note.title
    assert "approved" not in note.title
