"""The orders JSON API (issue #4): intake with Idempotency-Key, field errors by line, list
filters, detail, draft edits, review actions and releases, written confirmation, change
requests, delays, status links, history, last price, OpenAPI, and the scenario over HTTP."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone

from salesdesk.accounts.services import token_create
from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.audit.models import Event
from salesdesk.catalog.models import Stock
from salesdesk.core.models import IdempotencyKey
from salesdesk.customers.models import Customer
from salesdesk.customers.services import contact_add
from salesdesk.orders.models import ChangeRequest, Order
from salesdesk.orders.services import order_approve, order_submit
from salesdesk.orders.tests.conftest import delivery

pytestmark = pytest.mark.req("O1.1", "O1.2", "O1.3", "O2.1", "O2.2", "O3.1", "U2", "U3", "U4")

URL = "/api/v1/orders"
PDF = b"%PDF-1.4 signed confirmation"


def _body(customer, **overrides) -> dict:
    return {
        "customer": customer.pk,
        "payment_terms": "net_30",
        "requested_delivery_date": delivery(),
        "lines": [
            {"product": "B-6204", "quantity": "10", "unit_price": "20"},
            {"product": "M-750", "quantity": 2},
        ],
        **overrides,
    }


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def _row(order) -> dict:
    return model_to_dict(Order.objects.get(pk=order.pk))


@pytest.fixture
def api(client, salesperson):
    client.force_login(salesperson)
    return client


def test_create_returns_201_with_lines_totals_and_words(api, customer, products):
    events = Event.objects.count()
    response = _post(api, URL, _body(customer))
    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get()
    assert (body["id"], body["number"], body["status"]) == (order.pk, order.number, "draft")
    assert (body["channel"], body["salesperson"], body["created_by"]) == (
        "electronic",
        "sales1",
        "sales1",
    )
    assert (body["net_amount"], body["tax_amount"], body["gross_amount"]) == (
        "3200.00",
        "416.00",
        "3616.00",
    )
    assert body["amount_in_words"] == "叁仟陸佰壹拾陸元整"
    assert [line["sku"] for line in body["lines"]] == ["B-6204", "M-750"]
    assert body["lines"][1]["unit_price"] == "1500.0000"  # the list price
    assert body["lines"][0]["short_quantity"] is None
    assert body["review"] is None and body["progress"]["work_orders"] == []
    assert body["available_actions"] == ["submit", "cancel"]
    assert Event.objects.count() == events + 1
    assert Event.objects.filter(verb="order.created", object_id=order.pk).count() == 1


def test_create_with_bearer_token(client, salesperson, customer, products):
    raw = token_create(user=salesperson, name="EDI", actor=salesperson)[1]
    response = _post(client, URL, _body(customer), authorization=f"Bearer {raw}")
    assert response.status_code == 201
    assert Order.objects.get().created_by == salesperson


def test_idempotency_key_returns_the_first_order(api, customer, products):
    first = _post(api, URL, _body(customer), **{"Idempotency-Key": "PO-7781"})
    again = _post(api, URL, _body(customer), **{"Idempotency-Key": "PO-7781"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert Order.objects.count() == 1
    assert Event.objects.filter(verb="order.created").count() == 1


def test_idempotency_key_with_another_body_is_409(api, customer, products):
    _post(api, URL, _body(customer), **{"Idempotency-Key": "PO-7781"})
    events = Event.objects.count()
    other = _body(customer, lines=[{"product": "B-6204", "quantity": "11"}])
    response = _post(api, URL, other, **{"Idempotency-Key": "PO-7781"})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1 and Event.objects.count() == events


def test_idempotency_keys_are_per_user(client, salesperson, sales_admin, customer, products):
    client.force_login(salesperson)
    mine = _post(client, URL, _body(customer), **{"Idempotency-Key": "shared"})
    client.force_login(sales_admin)
    theirs = _post(client, URL, _body(customer), **{"Idempotency-Key": "shared"})
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert Order.objects.count() == 2 and IdempotencyKey.objects.count() == 2


def test_refused_create_stores_no_key_so_it_can_be_corrected(api, customer, products):
    bad = _body(customer, lines=[{"product": "B-6204", "quantity": "0"}])
    assert _post(api, URL, bad, **{"Idempotency-Key": "k"}).status_code == 422
    assert IdempotencyKey.objects.count() == 0
    assert _post(api, URL, _body(customer), **{"Idempotency-Key": "k"}).status_code == 201


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"product": "M-750", "quantity": "two"}, "lines.2.quantity"),
        ({"product": "M-750", "quantity": "-1"}, "lines.2.quantity"),
        ({"product": "M-750", "quantity": "1", "unit_price": "-5"}, "lines.2.unit_price"),
        ({"product": "M-750", "quantity": "1", "discount_rate": "1.5"}, "lines.2.discount_rate"),
        ({"product": "NO-SUCH", "quantity": "1"}, "lines.2.product"),
        ({"product": "M-750", "quantity": "1", "colour": "red"}, "lines.2.colour"),
        (
            {"product": "M-750", "quantity": "1", "requested_date": "2020-01-01"},
            "lines.2.requested_date",
        ),
    ],
)
def test_line_errors_name_the_line_and_field(api, customer, products, line, field):
    body = _body(customer, lines=[{"product": "B-6204", "quantity": "1"}, line])
    events = Event.objects.count()
    response = _post(api, URL, body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert list(response.json()["extra"]["fields"]) == [field]
    assert Order.objects.count() == 0 and Event.objects.count() == events


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"payment_terms": "net_365"}, "payment_terms"),
        ({"requested_delivery_date": "2020-01-01"}, "requested_delivery_date"),
        ({"channel": "fax"}, "channel"),
        ({"lines": []}, "lines"),
    ],
)
def test_header_errors_name_the_field(api, customer, products, overrides, field):
    response = _post(api, URL, _body(customer, **overrides))
    assert response.status_code == 422
    assert field in response.json()["extra"]["fields"]
    assert Order.objects.count() == 0


def test_create_for_an_invisible_customer_is_404(client, other_salesperson, customer, products):
    client.force_login(other_salesperson)
    events = Event.objects.count()
    response = _post(client, URL, _body(customer))
    assert response.status_code == 404 and response.json()["extra"]["field"] == "customer"
    assert Order.objects.count() == 0 and Event.objects.count() == events


def test_list_filters_and_envelope(api, make_order, salesperson, customer):
    draft = make_order(customer_reference="PO-1")
    held = make_order(lines=[{"product": "B-6204", "quantity": "1", "discount_rate": "0.5"}])
    order_submit(actor=salesperson, order_id=held.pk)
    third = make_order()
    assert [i["id"] for i in api.get(URL).json()["items"]] == [third.pk, held.pk, draft.pk]
    assert api.get(URL, {"status": "on_hold"}).json()["count"] == 1
    assert [i["id"] for i in api.get(URL, {"on_hold": "true"}).json()["items"]] == [held.pk]
    assert api.get(URL, {"on_hold": "false"}).json()["count"] == 2
    assert api.get(URL, {"customer": customer.pk, "salesperson": "sales1"}).json()["count"] == 3
    assert api.get(URL, {"salesperson": "sales2"}).json() == {"count": 0, "items": []}
    assert [i["id"] for i in api.get(URL, {"q": draft.number[-4:]}).json()["items"]] == [draft.pk]
    today = timezone.localdate()
    assert api.get(URL, {"date_from": today.isoformat()}).json()["count"] == 3
    assert api.get(URL, {"date_to": (today - timedelta(days=1)).isoformat()}).json()["count"] == 0
    page = api.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and [i["id"] for i in page["items"]] == [held.pk]
    item = page["items"][0]
    assert (item["on_hold"], item["status"], item["salesperson"]) == (True, "on_hold", "sales1")
    assert api.get(URL, {"status": "lost"}).status_code == 422


def test_detail_shows_review_holds_and_progress(api, make_order, salesperson, sales_admin):
    order = make_order(lines=[{"product": "M-750", "quantity": "8"}])
    order_submit(actor=salesperson, order_id=order.pk)
    order_approve(actor=sales_admin, order_id=order.pk)
    body = api.get(f"{URL}/{order.pk}").json()
    assert body["status"] == "approved" and body["approved_by"] == "admin1"
    assert body["review"]["stock"] == "hold"
    assert body["review"]["findings"][0]["rule"] == "stock.available"
    line = body["lines"][0]
    assert (line["reserved_quantity"], line["short_quantity"]) == ("5.000", "3.000")
    kinds = sorted(w["kind"] for w in body["progress"]["work_orders"])
    assert kinds == ["picking", "purchase", "replenishment_inquiry"]
    assert body["progress"]["percent"] == 0


def test_patch_draft_then_409_once_submitted(api, make_order, salesperson):
    order = make_order()
    response = api.patch(
        f"{URL}/{order.pk}",
        {"customer_reference": "PO-99", "lines": [{"product": "B-6204", "quantity": "3"}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["customer_reference"] == "PO-99"
    assert response.json()["gross_amount"] == "67.80"
    order_submit(actor=salesperson, order_id=order.pk)
    before, events = _row(order), Event.objects.count()
    response = api.patch(f"{URL}/{order.pk}", {"note": "x"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "not_draft"
    assert _row(order) == before and Event.objects.count() == events


def test_available_actions_depend_on_the_caller(client, make_order, sales_admin, sales_manager):
    other_admin = UserFactory(username="admin2", roles=["sales_admin"], manager=sales_manager)
    order = make_order(actor=sales_admin)
    client.force_login(sales_admin)
    assert _post(client, f"{URL}/{order.pk}/submit").json()["available_actions"] == [
        "reject",
        "cancel",
    ]
    before, events = _row(order), Event.objects.count()
    response = _post(client, f"{URL}/{order.pk}/approve")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert _row(order) == before and Event.objects.count() == events
    client.force_login(other_admin)
    url = f"{URL}/{order.pk}"
    assert client.get(url).json()["available_actions"] == ["approve", "reject", "cancel"]
    assert _post(client, f"{url}/approve").json()["status"] == "approved"


def test_salesperson_sees_only_cancel_while_under_review(api, make_order, salesperson):
    order = make_order()
    assert _post(api, f"{URL}/{order.pk}/submit").json()["available_actions"] == ["cancel"]


@pytest.mark.parametrize("action", ["reject", "cancel"])
def test_reject_and_cancel_need_a_reason(client, make_order, salesperson, sales_admin, action):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    client.force_login(sales_admin)
    before, events = _row(order), Event.objects.count()
    assert _post(client, f"{URL}/{order.pk}/{action}", {"reason": " "}).status_code == 422
    assert _row(order) == before and Event.objects.count() == events
    response = _post(client, f"{URL}/{order.pk}/{action}", {"reason": "客戶取消"})
    assert response.status_code == 200
    assert response.json()["status"] == {"reject": "rejected", "cancel": "cancelled"}[action]
    assert response.json()["cancel_reason"] == "客戶取消"


def test_rejected_order_reopens_as_draft(client, make_order, salesperson, sales_admin):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    client.force_login(sales_admin)
    rejected = _post(client, f"{URL}/{order.pk}/reject", {"reason": "價格有誤"}).json()
    assert rejected["available_actions"] == ["reopen"]
    client.force_login(salesperson)
    response = _post(client, f"{URL}/{order.pk}/reopen", {"note": "已更正價格"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["available_actions"]) == (
        "draft",
        ["submit", "cancel"],
    )
    again = _post(client, f"{URL}/{order.pk}/reopen")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_cancel_of_approved_order_releases_stock(client, make_order, salesperson, sales_admin):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    order_approve(actor=sales_admin, order_id=order.pk)
    assert Stock.objects.get(product__sku="B-6204").reserved == 10
    client.force_login(salesperson)
    response = _post(client, f"{URL}/{order.pk}/cancel", {"reason": "客戶撤單"})
    assert response.json()["status"] == "cancelled"
    assert Stock.objects.get(product__sku="B-6204").reserved == 0


def test_release_by_credit_approver(client, make_order, salesperson, finance, customer):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    client.force_login(salesperson)
    before = _row(order)
    response = _post(client, f"{URL}/{order.pk}/release", {"mode": "credit", "note": "熟客"})
    assert response.status_code == 403 and _row(order) == before
    client.force_login(finance)
    response = _post(client, f"{URL}/{order.pk}/release", {"mode": "credit", "note": "熟客"})
    assert response.status_code == 200 and response.json()["status"] == "under_review"
    assert response.json()["hold_reasons"][0]["resolution"] == "credit_release"


def test_release_by_compliance_override(client, make_order, salesperson, sales_manager):
    order = make_order(lines=[{"product": "B-6204", "quantity": "1", "discount_rate": "0.2"}])
    order = order_submit(actor=salesperson, order_id=order.pk)
    rule = order.hold_reasons[0]["rule"]
    client.force_login(sales_manager)
    url = f"{URL}/{order.pk}/release"
    wrong = _post(client, url, {"mode": "override", "rule": "no.such.rule", "reason": "x"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "no_such_finding"
    response = _post(client, url, {"mode": "override", "rule": rule, "reason": "年度促銷"})
    assert response.status_code == 200 and response.json()["status"] == "under_review"


def test_release_body_is_checked_per_mode(client, make_order, salesperson):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    client.force_login(salesperson)
    url = f"{URL}/{order.pk}/release"
    response = _post(client, url, {"mode": "guarantee", "kind": "deposit"})
    assert response.status_code == 422 and "amount" in response.json()["extra"]["fields"]
    response = _post(client, url, {"mode": "guarantee", "kind": "deposit", "amount": "10"})
    assert response.status_code == 409 and response.json()["code"] == "not_on_hold"


def test_confirm_only_for_verbal_orders(api, make_order):
    upload = SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf")
    written = make_order()
    response = api.post(f"{URL}/{written.pk}/confirm", {"file": upload})
    assert response.status_code == 409 and response.json()["code"] == "not_verbal"
    verbal = make_order(channel="verbal")
    bad = SimpleUploadedFile("po.pdf", b"not a pdf", content_type="application/pdf")
    assert api.post(f"{URL}/{verbal.pk}/confirm", {"file": bad}).status_code == 422
    upload.seek(0)
    response = api.post(f"{URL}/{verbal.pk}/confirm", {"file": upload, "note": "客戶回傳"})
    assert response.status_code == 200 and response.json()["confirmed_at"] is not None


def test_change_request_through_the_api(client, make_order, salesperson, sales_admin):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    order_approve(actor=sales_admin, order_id=order.pk)
    client.force_login(salesperson)
    bad = {"reason": "x", "lines": [{"product": "B-6204", "quantity": "0"}]}
    refused = _post(client, f"{URL}/{order.pk}/change-requests", bad)
    assert refused.status_code == 422
    assert list(refused.json()["extra"]["fields"]) == ["lines.1.quantity"]
    body = {"reason": "客戶追加", "lines": [{"product": "B-6204", "quantity": "15"}]}
    response = _post(client, f"{URL}/{order.pk}/change-requests", body)
    assert response.status_code == 201
    change = response.json()
    assert change["status"] == "pending" and change["requested_by"] == "sales1"
    assert {"line": 1, "field": "quantity", "before": "10.000", "after": "15"} in change["diff"]
    mine = _post(client, f"/api/v1/change-requests/{change['id']}/approve")
    assert mine.status_code == 403
    client.force_login(sales_admin)
    response = _post(client, f"/api/v1/change-requests/{change['id']}/approve", {"note": "同意"})
    assert response.status_code == 200 and response.json()["decided_by"] == "admin1"
    assert Stock.objects.get(product__sku="B-6204").reserved == 15
    assert client.get(f"{URL}/{order.pk}").json()["change_requests"][0]["status"] == "approved"


def test_change_request_reject_needs_a_note(client, make_order, salesperson, sales_admin):
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    order_approve(actor=sales_admin, order_id=order.pk)
    client.force_login(salesperson)
    body = {
        "reason": "改期",
        "header": {"requested_delivery_date": delivery(30)},
        "lines": [{"product": "B-6204", "quantity": "10", "unit_price": "20"}],
    }
    change_id = _post(client, f"{URL}/{order.pk}/change-requests", body).json()["id"]
    client.force_login(sales_admin)
    url = f"/api/v1/change-requests/{change_id}/reject"
    assert _post(client, url, {}).status_code == 422
    response = _post(client, url, {"note": "產能不足"})
    assert response.json()["status"] == "rejected"
    assert ChangeRequest.objects.get().decision_note == "產能不足"


def test_delay_with_customer_notice_and_status_link(client, make_order, customer, sales_admin):
    contact_add(
        actor=sales_admin,
        customer_id=customer.pk,
        data={"name": "陳經理", "email": "c@example.com"},
    )
    order = make_order()
    client.force_login(sales_admin)
    body = {"cause": "force_majeure", "new_date": delivery(40), "description": "颱風停工"}
    response = _post(client, f"{URL}/{order.pk}/delays", body)
    assert response.status_code == 201
    assert response.json()["customer_notified"] is True
    assert response.json()["new_date"] == delivery(40)
    assert _post(client, f"{URL}/{order.pk}/delays", {**body, "cause": "rain"}).status_code == 422
    link = _post(client, f"{URL}/{order.pk}/status-link")
    assert link.status_code == 201 and "/status/" in link.json()["url"]
    token_url = link.json()["url"].split("://", 1)[-1].split("/", 1)[1]
    assert client.get(f"/{token_url}").status_code == 200


def test_events_and_last_price(api, make_order, salesperson, sales_admin, customer, products):
    order = order_submit(
        actor=salesperson,
        order_id=make_order(lines=[{"product": "M-750", "quantity": "1", "unit_price": "1450"}]).pk,
    )
    order_approve(actor=sales_admin, order_id=order.pk)
    verbs = [e["verb"] for e in api.get(f"{URL}/{order.pk}/events").json()]
    assert verbs[-1] == "order.created" and "order.approved" in verbs
    response = api.get(f"{URL}/last-price", {"customer": customer.pk, "product": "m-750"})
    assert response.json() == {
        "customer": customer.pk,
        "product": products["motor"].pk,
        "sku": "M-750",
        "unit_price": "1450.0000",
    }
    none = api.get(f"{URL}/last-price", {"customer": customer.pk, "product": "B-6204"})
    assert none.json()["unit_price"] is None
    assert (
        api.get(f"{URL}/last-price", {"customer": customer.pk, "product": "X"}).status_code == 404
    )


def test_openapi_lists_the_order_catalogue_and_work_order_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/orders/{order_id}/release",
        "/api/v1/orders/{order_id}/confirm",
        "/api/v1/orders/{id}/events",
        "/api/v1/orders/last-price",
        "/api/v1/change-requests/{change_id}/approve",
        "/api/v1/products",
        "/api/v1/products/{id}/events",
        "/api/v1/stock",
        "/api/v1/stock/adjust",
        "/api/v1/work-orders",
        "/api/v1/work-orders/{work_order_id}/accept",
    ):
        assert path in paths, path


@pytest.mark.req("O1.2", "O2.1", "O3.1", "O4.1")
def test_scenario_over_http(client, customer, products, salesperson, sales_admin, warehouse):
    """verbal order → confirmation upload → submit → credit hold → guarantee → approve →
    the warehouse accepts and completes the picking → order in fulfilment."""
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("50"))
    client.force_login(salesperson)
    order = _post(client, URL, _body(customer, channel="verbal")).json()
    assert order["confirmation_due_at"] is not None
    url = f"{URL}/{order['id']}"
    upload = SimpleUploadedFile("confirm.pdf", PDF, content_type="application/pdf")
    assert client.post(f"{url}/confirm", {"file": upload}).json()["confirmed_at"]
    order = _post(client, f"{url}/submit").json()
    assert (order["status"], order["on_hold"]) == ("on_hold", True)
    assert order["hold_reasons"][0]["rule"] == "customers.credit_limit"
    assert order["available_actions"] == ["release", "cancel"]
    excess = order["hold_reasons"][0]["excess"]
    client.force_login(sales_admin)
    body = {"mode": "guarantee", "kind": "deposit", "amount": excess, "note": "預付訂金"}
    assert _post(client, f"{url}/release", body).json()["status"] == "under_review"
    order = _post(client, f"{url}/approve").json()
    assert order["status"] == "approved"
    client.force_login(warehouse)
    queue = client.get("/api/v1/work-orders", {"status": "active"}).json()
    [picking] = [w for w in queue["items"] if w["order"] == order["id"]]
    assert picking["kind"] == "picking" and picking["available_actions"] == ["accept", "decline"]
    promised = (timezone.localdate() + timedelta(days=2)).isoformat()
    work_url = f"/api/v1/work-orders/{picking['id']}"
    accepted = _post(client, f"{work_url}/accept", {"promised_date": promised})
    assert accepted.json()["status"] == "accepted"
    assert _post(client, f"{work_url}/complete", {"note": "已揀貨"}).json()["status"] == "done"
    client.force_login(salesperson)
    order = client.get(url).json()
    assert order["status"] == "in_fulfillment" and order["progress"]["percent"] == 100
    verbs = [e["verb"] for e in reversed(client.get(f"{url}/events").json())]
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
