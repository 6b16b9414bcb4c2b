"""The finance API: invoices, payments, ageing, statements, history; permissions as 403/404
with nothing changed; the order-to-cash scenario over HTTP (U1, U6)."""

import pytest
from django.test import Client

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.finance.models import Invoice, Payment
from salesdesk.finance.tests.conftest import days_ago, set_status, ship

pytestmark = pytest.mark.req("U1", "U6")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def test_order_to_cash_over_http(order10, sales_admin, finance):
    first = ship(order10, {1: "6"}, status="receipt_confirmed")
    admin = _client(sales_admin)
    response = _post(admin, "/api/v1/invoices", {"order": order10.pk}, **{"Idempotency-Key": "k1"})
    assert response.status_code == 201
    invoice = response.json()
    assert (invoice["gross_amount"], invoice["open_amount"], invoice["status"]) == (
        "135.60",
        "135.60",
        "issued",
    )
    assert invoice["lines"][0]["shipment"] == first.number
    assert invoice["available_actions"] == []
    replay = _post(admin, "/api/v1/invoices", {"order": order10.pk}, **{"Idempotency-Key": "k1"})
    assert (replay.status_code, replay.json()["id"]) == (200, invoice["id"])
    ship(order10, {1: "4"}, status="receipt_confirmed")
    set_status(order10, "delivered")
    second = _post(admin, "/api/v1/invoices", {"order": order10.pk}).json()
    order10.refresh_from_db()
    assert order10.status == "closed"
    money = _client(finance)
    body = {
        "customer": order10.customer_id,
        "amount": "200.00",
        "received_on": days_ago(0).isoformat(),
        "method": "acceptance_bill",
        "reference": "承兌-778",
    }
    payment = _post(money, "/api/v1/payments", body)
    assert payment.status_code == 201
    assert [(a["invoice_number"], a["amount"]) for a in payment.json()["allocations"]] == [
        (invoice["number"], "135.60"),
        (second["number"], "64.40"),
    ]
    allocate = _post(money, f"/api/v1/payments/{payment.json()['id']}/allocate")
    assert (allocate.status_code, allocate.json()["code"]) == (409, "nothing_to_allocate")
    rest = _post(
        money,
        "/api/v1/payments",
        {**body, "amount": "26.00", "allocations": [{"invoice": second["id"], "amount": "26"}]},
    ).json()
    assert rest["unallocated_amount"] == "0.00"
    statement = money.get(
        f"/api/v1/customers/{order10.customer_id}/statement",
        {"from": days_ago(1).isoformat(), "to": days_ago(0).isoformat()},
    ).json()
    assert [line["kind"] for line in statement["lines"]] == [
        "shipment",
        "shipment",
        "invoice",
        "invoice",
        "payment",
        "payment",
    ]
    assert statement["closing_balance"] == "0.00" and statement["invoiced"] == "226.00"
    events = money.get(f"/api/v1/invoices/{invoice['id']}/events").json()
    assert [e["verb"] for e in events] == ["invoice.issued"]


def test_invoice_list_and_void(order10, sales_admin, finance):
    ship(order10, {1: "6"})
    admin, money = _client(sales_admin), _client(finance)
    created = _post(admin, "/api/v1/invoices", {"order": order10.pk}).json()
    listed = admin.get("/api/v1/invoices", {"open_only": "true"}).json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == created["number"]
    refused = _post(admin, f"/api/v1/invoices/{created['id']}/void", {"reason": "x"})
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert money.get(f"/api/v1/invoices/{created['id']}").json()["available_actions"] == ["void"]
    voided = _post(money, f"/api/v1/invoices/{created['id']}/void", {"reason": "重開"})
    assert (voided.status_code, voided.json()["status"]) == (200, "voided")
    again = _post(money, f"/api/v1/invoices/{created['id']}/void", {"reason": "重開"})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


def test_refusals_over_http_change_nothing(order10, salesperson, finance, sales_admin):
    ship(order10, {1: "6"})
    before = (Invoice.objects.count(), Payment.objects.count(), Event.objects.count())
    seller = _client(salesperson)
    assert _post(seller, "/api/v1/invoices", {"order": order10.pk}).status_code == 403
    body = {
        "customer": order10.customer_id,
        "amount": "5",
        "received_on": "2026-01-01",
        "method": "cash",
    }
    assert _post(_client(sales_admin), "/api/v1/payments", body).status_code == 403
    bad = _post(_client(finance), "/api/v1/payments", {**body, "method": "gold"})
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_failed")
    over = _post(
        _client(finance),
        "/api/v1/payments",
        {**body, "allocations": [{"invoice": 999, "amount": "5"}]},
    )
    assert (over.status_code, over.json()["code"]) == (422, "invalid_allocation")
    assert _post(_client(sales_admin), "/api/v1/invoices", {"order": 999999}).status_code == 404
    assert (Invoice.objects.count(), Payment.objects.count(), Event.objects.count()) == before


def test_ageing_and_statement_downloads(
    order10, sales_admin, finance, salesperson, other_salesperson
):
    ship(order10, {1: "10"})
    _post(
        _client(sales_admin),
        "/api/v1/invoices",
        {"order": order10.pk, "issue_date": days_ago(40).isoformat()},
    )
    money = _client(finance)
    report = money.get("/api/v1/receivables/ageing").json()
    assert [b["key"] for b in report["buckets"]] == [
        "not_due",
        "days_0_30",
        "days_31_60",
        "days_61_90",
        "days_91_180",
        "over_180",
    ]
    [row] = report["rows"]
    assert (row["buckets"]["days_0_30"], row["oldest_overdue_days"]) == ("226.00", 10)
    by_person = money.get("/api/v1/receivables/ageing", {"group_by": "salesperson"}).json()
    assert by_person["rows"][0]["code"] == "sales1"
    assert _client(other_salesperson).get("/api/v1/receivables/ageing").json()["rows"] == []
    assert _client(salesperson).get("/api/v1/receivables/ageing").json()["total"] == "226.00"
    url = f"/api/v1/customers/{order10.customer_id}/statement"
    period = {"from": days_ago(45).isoformat(), "to": days_ago(0).isoformat()}
    xlsx = money.get(url, {**period, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    rows = read_xlsx_rows(b"".join(xlsx.streaming_content))
    assert rows[-1][-1] == 226 and rows[1][1].endswith(order10.customer.legal_name)
    pdf = money.get(url, {**period, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _client(other_salesperson).get(url).status_code == 404
    wrong = money.get(url, {"from": days_ago(0).isoformat(), "to": days_ago(3).isoformat()})
    assert wrong.status_code == 422


def test_receivables_api_needs_the_permission(warehouse):
    response = _client(warehouse).get("/api/v1/receivables/ageing")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert _client(warehouse).get("/api/v1/invoices").json()["count"] == 0


def test_openapi_lists_the_finance_paths(client, finance):
    client.force_login(finance)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/invoices",
        "/api/v1/invoices/{invoice_id}/void",
        "/api/v1/payments/{payment_id}/allocate",
        "/api/v1/receivables/ageing",
        "/api/v1/customers/{customer_id}/statement",
    ):
        assert path in paths
