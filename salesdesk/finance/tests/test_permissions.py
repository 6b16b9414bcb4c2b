"""The finance permission matrix over the API (U6, C3.3 applied to receivables).

On an invoice and a payment of sales1's customer: finance does everything; the sales admin
(sales1's team) reads and invoices shipped goods; sales1 and the sales manager read; sales2
sees nothing of another salesperson's customer; management and the supervisor read; other
departments and outsiders see no receivables. Every refusal leaves invoices, payments and
allocations as they were and writes no event.
"""

import pytest

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.finance.models import Invoice, Payment, PaymentAllocation
from salesdesk.finance.services import invoice_from_shipments, payment_record
from salesdesk.finance.tests.conftest import days_ago, ship

pytestmark = pytest.mark.req("U6", "C3.3")

# persona: (list count, GET invoice, GET statement, POST invoice, void, POST payment, allocate)
# The invoice is partly paid, so even finance cannot void it (409), and the payment is fully
# allocated, so there is nothing left to allocate (409).
EXPECTED = {
    "finance": (1, 200, 200, 201, 409, 201, 409),
    "sales_admin": (1, 200, 200, 201, 403, 403, 403),
    "salesperson": (1, 200, 200, 403, 403, 403, 403),
    "sales_manager": (1, 200, 200, 403, 403, 403, 403),
    "other_salesperson": (0, 404, 404, 403, 404, 403, 403),
    "management": (1, 200, 200, 403, 403, 403, 403),
    "supervisor": (1, 200, 200, 403, 403, 403, 403),
    "warehouse": (0, 404, 404, 403, 404, 403, 403),
    "legal": (0, 404, 404, 403, 404, 403, 403),
    "it_admin": (0, 404, 404, 403, 404, 403, 403),
    "outsider": (0, 404, 404, 403, 404, 403, 403),
}


@pytest.fixture
def management(db):
    return UserFactory(username="management1", roles=["management"])


@pytest.fixture
def world(order10, sales_admin, finance):
    ship(order10, {1: "6"})
    ship(order10, {1: "4"})
    first = order10.shipments.order_by("pk").first().lines.get()
    invoice = invoice_from_shipments(
        actor=sales_admin, order_id=order10.pk, shipment_line_ids=[first.pk]
    )
    payment = payment_record(
        actor=finance,
        customer_id=order10.customer_id,
        amount="10",
        received_on=days_ago(0),
        method="cash",
    )
    return {"order": order10, "invoice": invoice, "payment": payment}


def _state() -> tuple:
    return (
        sorted(Invoice.objects.values_list("pk", "status", "paid_amount")),
        sorted(Payment.objects.values_list("pk", "allocated_amount")),
        PaymentAllocation.objects.count(),
        Event.objects.count(),
    )


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_finance_permission_matrix(world, client, request, persona):
    listed, get, statement, create, void, record, allocate = EXPECTED[persona]
    client.force_login(request.getfixturevalue(persona))
    invoice, order, payment = world["invoice"], world["order"], world["payment"]
    assert client.get("/api/v1/invoices").json()["count"] == listed
    assert client.get("/api/v1/payments").json()["count"] == listed
    assert client.get(f"/api/v1/invoices/{invoice.pk}").status_code == get
    assert client.get(f"/api/v1/payments/{payment.pk}").status_code == get
    url = f"/api/v1/customers/{order.customer_id}/statement"
    assert client.get(url).status_code == statement
    before = _state()
    response = _post(client, "/api/v1/invoices", {"order": order.pk})
    assert response.status_code == create
    if create != 201:
        assert _state() == before
    before = _state()
    response = _post(client, f"/api/v1/invoices/{invoice.pk}/void", {"reason": "測試"})
    assert response.status_code == void
    assert _state() == before
    before = _state()
    body = {
        "customer": order.customer_id,
        "amount": "1",
        "received_on": "2026-01-02",
        "method": "cash",
    }
    assert _post(client, "/api/v1/payments", body).status_code == record
    if record != 201:
        assert _state() == before
    before = _state()
    assert _post(client, f"/api/v1/payments/{payment.pk}/allocate").status_code == allocate
    assert _state() == before
