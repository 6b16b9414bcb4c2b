"""Change requests (U4), delays with customer notice (O4.3), status links (O4.2)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from salesdesk.audit.models import AccessLog, Event
from salesdesk.catalog.models import Stock
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.services import contact_add
from salesdesk.notifications.models import OutboundEmail
from salesdesk.orders.models import ChangeRequest
from salesdesk.orders.services import (
    change_request_approve,
    change_request_create,
    change_request_reject,
    order_approve,
    order_delay_record,
    order_submit,
    status_link_create,
    status_link_open,
)


@pytest.fixture
def approved(make_order, salesperson, sales_admin):
    order = make_order(lines=[{"product": "B-6204", "quantity": "10", "unit_price": "20"}])
    order_submit(actor=salesperson, order_id=order.pk)
    return order_approve(actor=sales_admin, order_id=order.pk)


def _reserved(sku):
    return Stock.objects.get(product__sku=sku).reserved


@pytest.mark.req("U4")
def test_change_request_diff_and_approval_moves_reservations(approved, salesperson, sales_admin):
    change = change_request_create(
        actor=salesperson,
        order_id=approved.pk,
        header={},
        reason="客戶追加",
        lines=[
            {"product": "B-6204", "quantity": "15", "unit_price": "20"},
            {"product": "M-750", "quantity": "1"},
        ],
    )
    assert {"line": 1, "field": "quantity", "before": "10.000", "after": "15"} in change.diff
    assert any(d["line"] is None and d["field"] == "product" for d in change.diff)
    assert _reserved("B-6204") == 10  # nothing moves before the decision
    order = change_request_approve(actor=sales_admin, change_id=change.pk, note="同意")
    assert _reserved("B-6204") == 15 and _reserved("M-750") == 1
    assert order.lines.filter(is_cancelled=False).count() == 2
    assert order.net_amount == Decimal("1800.00")
    assert Event.objects.filter(verb="order.changed", object_id=order.pk).count() == 1


@pytest.mark.req("U4")
def test_removed_line_is_cancelled_not_deleted(approved, salesperson, sales_admin):
    change = change_request_create(
        actor=salesperson,
        order_id=approved.pk,
        header={},
        reason="改型號",
        lines=[{"product": "M-750", "quantity": "2"}],
    )
    order = change_request_approve(actor=sales_admin, change_id=change.pk)
    assert order.lines.count() == 1  # line 1 kept, now holding the new product
    change2 = change_request_create(
        actor=salesperson,
        order_id=order.pk,
        header={},
        reason="再加",
        lines=[{"product": "M-750", "quantity": "2"}, {"product": "B-6204", "quantity": "1"}],
    )
    change_request_approve(actor=sales_admin, change_id=change2.pk)
    change3 = change_request_create(
        actor=salesperson,
        order_id=order.pk,
        header={},
        reason="刪第二行",
        lines=[{"product": "M-750", "quantity": "2"}],
    )
    order = change_request_approve(actor=sales_admin, change_id=change3.pk)
    assert order.lines.count() == 2 and order.lines.filter(is_cancelled=True).count() == 1
    assert _reserved("B-6204") == 0


@pytest.mark.req("U4")
def test_change_refusals_change_nothing(approved, make_order, salesperson, sales_admin):
    draft = make_order()
    with pytest.raises(Conflict):
        change_request_create(
            actor=salesperson,
            order_id=draft.pk,
            header={},
            reason="x",
            lines=[{"product": "B-6204", "quantity": "1"}],
        )
    with pytest.raises(ValidationFailed):
        change_request_create(
            actor=salesperson,
            order_id=approved.pk,
            header={},
            reason="",
            lines=[{"product": "B-6204", "quantity": "1"}],
        )
    change = change_request_create(
        actor=salesperson,
        order_id=approved.pk,
        header={},
        reason="少量",
        lines=[{"product": "B-6204", "quantity": "5"}],
    )
    with pytest.raises(Conflict):
        change_request_create(
            actor=salesperson,
            order_id=approved.pk,
            header={},
            reason="y",
            lines=[{"product": "B-6204", "quantity": "6"}],
        )
    with pytest.raises(PermissionDenied):
        change_request_approve(actor=salesperson, change_id=change.pk)
    assert _reserved("B-6204") == 10
    change_request_reject(actor=sales_admin, change_id=change.pk, note="數量不變")
    change.refresh_from_db()
    assert change.status == "rejected" and _reserved("B-6204") == 10
    assert ChangeRequest.objects.count() == 1


@pytest.mark.req("U4")
def test_change_that_breaks_credit_is_refused_and_rolled_back(
    approved, salesperson, sales_admin, customer
):
    change = change_request_create(
        actor=salesperson,
        order_id=approved.pk,
        header={},
        reason="大單",
        lines=[{"product": "B-6204", "quantity": "10000"}],
    )
    with pytest.raises(Conflict) as info:
        change_request_approve(actor=sales_admin, change_id=change.pk)
    assert info.value.code == "change_breaks_rules"
    approved.refresh_from_db()
    assert approved.lines.get().quantity == 10 and _reserved("B-6204") == 10
    change.refresh_from_db()
    assert change.status == "pending"


@pytest.mark.req("O4.3")
def test_delay_notifies_customer_and_logs(
    approved, salesperson, sales_admin, customer, django_capture_on_commit_callbacks
):
    contact_add(
        actor=salesperson,
        customer_id=customer.pk,
        data={"name": "採購陳小姐", "email": "buyer@example.com"},
    )
    new_date = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        delay = order_delay_record(
            actor=sales_admin,
            order_id=approved.pk,
            cause="force_majeure",
            new_date=new_date,
            description="颱風停工三天",
        )
    approved.refresh_from_db()
    assert approved.expected_delivery_date == new_date
    assert delay.notice.state == "queued" or OutboundEmail.objects.get().state == "sent"
    [message] = [m for m in mail.outbox if m.to == ["buyer@example.com"]]
    assert message.to == ["buyer@example.com"] and approved.number in message.subject
    assert "颱風停工三天" in message.body and "/orders/status/" in message.body
    assert AccessLog.objects.filter(purpose="delay notice").count() == 1


@pytest.mark.req("O4.3")
def test_delay_without_customer_email_is_refused(approved, sales_admin):
    with pytest.raises(ValidationFailed) as info:
        order_delay_record(
            actor=sales_admin,
            order_id=approved.pk,
            cause="supplier",
            new_date=timezone.localdate() + timedelta(days=3),
            description="原料晚到",
        )
    assert info.value.code == "no_customer_email"
    approved.refresh_from_db()
    assert approved.expected_delivery_date is None and not approved.delays.exists()


@pytest.mark.req("O4.2")
def test_status_link_expires_and_is_unguessable(approved, salesperson, client):
    link, url = status_link_create(actor=salesperson, order_id=approved.pk)
    path = url.split("8000", 1)[-1] if "8000" in url else url
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 40 and token not in link.digest
    response = client.get(f"/orders/status/{token}/")
    assert response.status_code == 200 and approved.number in response.content.decode()
    assert "20.00" not in response.content.decode()  # no prices on the customer page
    assert client.get(f"/orders/status/{token[:-1]}x/").status_code == 404
    type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(NotFound):
        status_link_open(token)
    assert client.get(f"/orders/status/{token}/").status_code == 404
