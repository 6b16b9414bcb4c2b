"""The shipping JSON API: shipments from order lines through readiness, booking, dispatch,
tracking and receipt over HTTP; refusals per role; documents; complaints; carriers."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.shipping.models import Carrier, CarrierAgreement, Shipment
from salesdesk.shipping.tests.steps import booked, dispatched, planned, ready, state

pytestmark = pytest.mark.req("S1.1", "S2.1", "S2.2", "S2.3", "S3.1", "S3.2", "S4.1", "U1")

URL = "/api/v1/shipments"
PDF = b"%PDF-1.4 signed receipt"


def _post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def _as(client, user):
    client.force_login(user)
    return client


def test_scenario_over_http(
    client, order10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
):
    line = order10.lines.get()
    _as(client, sales_admin)
    created = _post(
        client,
        URL,
        {"order": order10.pk, "lines": [{"order_line": line.pk, "quantity": "6"}]},
        **{"Idempotency-Key": "ship-1"},
    )
    assert created.status_code == 201
    shipment = created.json()
    assert shipment["status"] == "planned" and shipment["lines"][0]["quantity"] == "6.000"
    assert shipment["lines"][0]["name"] == "深溝球軸承"
    assert shipment["available_actions"] == ["readiness", "cancel"]
    replay = _post(
        client,
        URL,
        {"order": order10.pk, "lines": [{"order_line": line.pk, "quantity": "6"}]},
        **{"Idempotency-Key": "ship-1"},
    )
    assert replay.status_code == 200 and Shipment.objects.count() == 1
    item = f"{URL}/{shipment['id']}"

    _as(client, warehouse)
    body = {"goods_ready": True, "qc_passed": True, "packed": True, "packages": 1}
    assert _post(client, f"{item}/readiness", body).json()["status"] == "ready"

    _as(client, logistics)
    suggestion = client.get(f"{item}/suggest-carrier").json()
    assert suggestion["carrier"] == carrier.pk and "shipping.carrier_rule" in suggestion["reason"]
    today = timezone.localdate().isoformat()
    booking = {"carrier": carrier.pk, "mode": "express", "planned_ship_date": today}
    response = _post(client, f"{item}/book", booking).json()
    assert response["status"] == "booked" and response["available_actions"] == ["dispatch"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, f"{item}/dispatch", {"tracking_number": "SF9001"}).json()
    assert response["status"] == "dispatched" and response["notice_state"] == "queued"
    assert client.get(item).json()["notice_state"] == "sent"
    event = _post(
        client,
        f"{item}/tracking-events",
        {"occurred_at": "2026-05-04T10:00:00+08:00", "location": "廈門", "description": "轉運"},
    )
    assert event.status_code == 201 and event.json()["source"] == "manual"
    lines = json.dumps({str(shipment["lines"][0]["id"]): {"received": "6", "damaged": "1"}})
    upload = client.post(
        f"{item}/receipt",
        {"file": SimpleUploadedFile("回單.pdf", PDF, "application/pdf"), "lines": lines},
    )
    assert upload.status_code == 200
    done = upload.json()
    assert done["status"] == "receipt_confirmed" and done["lines"][0]["damaged_quantity"] == "1.000"
    verbs = [e["verb"] for e in client.get(f"{item}/events").json()]
    assert "shipment.receipt_confirmed" in verbs and "shipment.dispatched" in verbs


def test_list_filters_and_search(
    client, order10, sales_admin, salesperson, other_salesperson, warehouse, logistics, carrier
):
    on_the_way = dispatched(order10, sales_admin, warehouse, logistics, carrier, 4, "SF42")
    waiting = planned(order10, sales_admin, 6)
    Shipment.objects.filter(pk=on_the_way.pk).update(
        promised_delivery_date=timezone.localdate() - timedelta(days=1)
    )
    _as(client, salesperson)

    def numbers(**query):
        return {item["number"] for item in client.get(URL, query).json()["items"]}

    assert numbers() == {on_the_way.number, waiting.number}
    assert numbers(q="SF42") == {on_the_way.number}
    assert numbers(q=order10.number) == {on_the_way.number, waiting.number}
    assert numbers(status="planned") == {waiting.number}
    assert numbers(overdue=True) == {on_the_way.number}
    assert numbers(carrier=carrier.pk) == {on_the_way.number}
    item = client.get(f"{URL}/{on_the_way.pk}").json()
    assert item["late"] is True and item["available_actions"] == []
    _as(client, other_salesperson)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{on_the_way.pk}").status_code == 404


@pytest.mark.parametrize(
    "action,body",
    [
        ("readiness", {"goods_ready": True}),
        ("book", {"carrier": 1, "mode": "road", "planned_ship_date": "2030-01-01"}),
        ("dispatch", {"tracking_number": "X"}),
        ("cancel", {"reason": "x"}),
        ("receipt-link", {}),
        ("complaints", {"description": "壞了", "role": "quality"}),
    ],
)
def test_salesperson_is_read_only(client, action, body, order10, sales_admin, salesperson):
    shipment = planned(order10, sales_admin)
    before, events = state(shipment), Event.objects.count()
    response = _post(_as(client, salesperson), f"{URL}/{shipment.pk}/{action}", body)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert state(shipment) == before and Event.objects.count() == events


def test_salesperson_cannot_plan_shipments(client, order10, salesperson):
    line = order10.lines.get()
    events = Event.objects.count()
    response = _post(
        _as(client, salesperson),
        URL,
        {"order": order10.pk, "lines": [{"order_line": line.pk, "quantity": 1}]},
    )
    assert response.status_code == 403
    assert not Shipment.objects.exists() and Event.objects.count() == events


def test_warehouse_prepares_but_does_not_book(client, order10, sales_admin, warehouse, carrier):
    shipment = ready(order10, sales_admin, warehouse)
    before, events = state(shipment), Event.objects.count()
    today = timezone.localdate().isoformat()
    body = {"carrier": carrier.pk, "mode": "road", "planned_ship_date": today}
    response = _post(_as(client, warehouse), f"{URL}/{shipment.pk}/book", body)
    assert response.status_code == 403
    assert state(shipment) == before and Event.objects.count() == events


def test_booking_with_an_expired_agreement_is_409(
    client, order10, sales_admin, warehouse, logistics
):
    expired = Carrier.objects.create(code="old", name="舊物流", modes=["road"])
    CarrierAgreement.objects.create(
        carrier=expired, reference="X", valid_from="2020-01-01", valid_until="2021-01-01"
    )
    shipment = ready(order10, sales_admin, warehouse)
    before, events = state(shipment), Event.objects.count()
    today = timezone.localdate().isoformat()
    body = {"carrier": expired.pk, "mode": "road", "planned_ship_date": today}
    response = _post(_as(client, logistics), f"{URL}/{shipment.pk}/book", body)
    assert response.status_code == 409 and response.json()["code"] == "agreement_expired"
    assert state(shipment) == before and Event.objects.count() == events


def test_wrong_state_is_409_and_unknown_fields_422(
    client, order10, sales_admin, warehouse, logistics, carrier
):
    shipment = booked(order10, sales_admin, warehouse, logistics, carrier)
    _as(client, logistics)
    response = _post(client, f"{URL}/{shipment.pk}/deliver")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    response = _post(client, f"{URL}/{shipment.pk}/dispatch", {"tracking": "x"})
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"


@pytest.mark.req("S1.2")
def test_documents_endpoint(client, order10, sales_admin, salesperson, other_salesperson):
    shipment = planned(order10, sales_admin, 6)
    _as(client, salesperson)
    response = client.get(f"{URL}/{shipment.pk}/documents/commercial-invoice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"{URL}/{shipment.pk}/documents/other.pdf").status_code == 404
    _as(client, other_salesperson)
    assert client.get(f"{URL}/{shipment.pk}/documents/qc-report.pdf").status_code == 404


@pytest.mark.req("S4.2")
def test_complaint_and_resolution(client, order10, sales_admin, warehouse, logistics, carrier):
    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier)
    line = shipment.lines.get()
    _as(client, sales_admin)
    body = {"description": "異音", "role": "quality", "line": line.pk}
    created = _post(client, f"{URL}/{shipment.pk}/complaints", body)
    assert created.status_code == 201 and created.json()["work_order"] is not None
    complaint = created.json()["id"]
    _as(client, logistics)
    resolved = _post(
        client,
        f"/api/v1/complaints/{complaint}/resolve",
        {"outcome": "credit", "resolution": "開折讓單"},
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    again = _post(
        client, f"/api/v1/complaints/{complaint}/resolve", {"outcome": "credit", "resolution": "x"}
    )
    assert again.status_code == 409 and again.json()["code"] == "already_resolved"


def test_receipt_link_over_http(client, order10, sales_admin, warehouse, logistics, carrier):
    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier)
    response = _post(_as(client, logistics), f"{URL}/{shipment.pk}/receipt-link")
    assert response.status_code == 201 and "/shipping/receipt/" in response.json()["url"]
    assert shipment.links.get().purpose == "receipt"


# Carriers (S2.1, S2.2)


def test_carrier_register_over_http(client, logistics, sales_admin, salesperson):
    _as(client, logistics)
    body = {"code": "zto", "name": "中通", "modes": ["road"], "service_areas": ["福建省"]}
    created = _post(client, "/api/v1/carriers", body)
    assert created.status_code == 201
    carrier = Carrier.objects.get(code="zto")
    assert created.json()["push_secret"] == carrier.webhook_secret
    assert created.json()["agreement"] == "none"
    item = f"/api/v1/carriers/{carrier.pk}"
    patched = client.patch(item, {"transit_days": 1}, content_type="application/json").json()
    assert patched["transit_days"] == 1 and "push_secret" not in patched
    filed = client.post(
        f"{item}/agreements",
        {
            "reference": "ZTO-1",
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "document": SimpleUploadedFile("合同.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    assert filed.status_code == 201 and filed.json()["agreement"] == "valid"
    assert filed.json()["agreements"][0]["has_document"] is True
    secret = _post(client, f"{item}/secret").json()["push_secret"]
    carrier.refresh_from_db()
    assert secret == carrier.webhook_secret
    verbs = [e["verb"] for e in client.get(f"{item}/events").json()]
    assert verbs.count("carrier.secret_issued") == 1 and "carrier.agreement_added" in verbs

    _as(client, sales_admin)
    assert [c["code"] for c in client.get("/api/v1/carriers").json()] == ["zto"]
    events = Event.objects.count()
    refused = _post(client, "/api/v1/carriers", body | {"code": "other"})
    assert refused.status_code == 403 and Event.objects.count() == events
    _as(client, salesperson)
    assert client.get("/api/v1/carriers").status_code == 403
    assert client.get(item).status_code == 403
