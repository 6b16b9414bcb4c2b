"""The supervision group reads everything and changes no business record (E1.1)."""

import pytest
from django.test import Client

from salesdesk.audit.models import Event
from salesdesk.customers.models import Customer
from salesdesk.customers.services import customer_update
from salesdesk.orders.models import Order
from salesdesk.orders.services import order_cancel, order_submit

pytestmark = [pytest.mark.django_db, pytest.mark.req("E1.1")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _snapshot(order, customer):
    order.refresh_from_db()
    customer.refresh_from_db()
    return (
        order.status,
        order.note,
        customer.legal_name,
        customer.short_name,
        Event.objects.count(),
    )


def test_supervisor_reads_every_business_record(make_order, supervisor, customer):
    order = make_order()
    client = _client(supervisor)
    for url in (
        f"/api/v1/orders/{order.pk}",
        f"/api/v1/orders/{order.pk}/events",
        f"/api/v1/customers/{customer.pk}",
        "/api/v1/orders",
        "/api/v1/contracts",
        "/api/v1/shipments",
        "/api/v1/invoices",
        "/api/v1/payments",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/orders/{order.pk}/").status_code == 200
    assert client.get(f"/customers/{customer.pk}/").status_code == 200


def test_supervisor_write_attempts_are_refused_and_change_nothing(make_order, supervisor, customer):
    order = make_order()
    before = _snapshot(order, customer)
    for attempt in (
        lambda: order_submit(actor=supervisor, order_id=order.pk),
        lambda: order_cancel(actor=supervisor, order_id=order.pk, reason="inspection"),
        lambda: customer_update(
            actor=supervisor, customer_id=customer.pk, data={"legal_name": "改名"}
        ),
    ):
        with pytest.raises(Exception) as caught:
            attempt()
        assert type(caught.value).__name__ in {"PermissionDenied", "NotFound", "InvalidTransition"}
    client = _client(supervisor)
    responses = [
        client.post(f"/api/v1/orders/{order.pk}/submit", {}, content_type="application/json"),
        client.post(
            f"/api/v1/orders/{order.pk}/cancel",
            {"reason": "x"},
            content_type="application/json",
        ),
        client.patch(f"/api/v1/orders/{order.pk}", {"note": "x"}, content_type="application/json"),
        client.patch(
            f"/api/v1/customers/{customer.pk}",
            {"legal_name": "改名"},
            content_type="application/json",
        ),
        client.post(
            "/api/v1/invoices",
            {"order": order.pk, "shipment_lines": []},
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403], [
        r.content for r in responses
    ]
    assert _snapshot(order, customer) == before
    assert Order.objects.get(pk=order.pk).status == "draft"
    assert Customer.objects.get(pk=customer.pk).legal_name == customer.legal_name
