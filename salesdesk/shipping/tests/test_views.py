"""Shipping pages through the Django test client, per persona (S1–S4, U1, U8, U11)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.core.exports import read_xlsx_rows
from salesdesk.core.models import Attachment
from salesdesk.shipping.models import (
    Carrier,
    CarrierAgreement,
    CarrierPreference,
    Complaint,
    Shipment,
    TrackingEvent,
)
from salesdesk.shipping.tests.steps import (
    booked,
    client_for,
    dispatched,
    planned,
    ready,
    state,
)

pytestmark = pytest.mark.req("S1.1", "S2.1", "S2.3", "S3.1", "S3.2", "S4.1", "S4.2", "U1")

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _detail(shipment) -> str:
    return reverse("shipping:detail", args=[shipment.pk])


def _action(shipment, name: str) -> str:
    return reverse(f"shipping:{name}", args=[shipment.pk])


# List, search, export (U8, U11)


@pytest.mark.req("U8", "U11")
def test_list_searches_dn_tracking_and_order_number_and_exports(
    order10, sales_admin, warehouse, logistics, carrier
):
    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier, 4, "SF778899")
    other = planned(order10, sales_admin, 6)
    client = client_for(sales_admin)
    url = reverse("shipping:list")
    for query, expected in (
        (shipment.number, {shipment.number}),
        ("778899", {shipment.number}),
        (order10.number, {shipment.number, other.number}),
        ("nothing", set()),
    ):
        body = client.get(url, {"q": query}).content.decode()
        assert {n for n in (shipment.number, other.number) if n in body} == expected, query
    response = client.get(url, {"status": "dispatched", "export": "xlsx"})
    rows = read_xlsx_rows(b"".join(response.streaming_content))
    assert len(rows) == 2 and rows[1][0] == shipment.number and rows[1][8] == "SF778899"


def test_list_shows_past_eta_and_filters_overdue(
    order10, sales_admin, warehouse, logistics, carrier
):
    late = dispatched(order10, sales_admin, warehouse, logistics, carrier, 4, "SF1")
    Shipment.objects.filter(pk=late.pk).update(
        promised_delivery_date=timezone.localdate() - timedelta(days=1)
    )
    on_time = planned(order10, sales_admin, 6)
    body = client_for(logistics).get(reverse("shipping:list"), {"overdue": "on"}).content.decode()
    assert late.number in body and on_time.number not in body and "past ETA" in body


def test_salesperson_sees_only_own_orders_shipments(
    order10, salesperson, other_salesperson, outsider, sales_admin
):
    shipment = planned(order10, sales_admin)
    own = client_for(salesperson)
    assert shipment.number in own.get(reverse("shipping:list"), {"sort": "-eta"}).content.decode()
    assert own.get(f"/shipping/{shipment.pk}/").url == _detail(shipment)
    other = client_for(other_salesperson)
    assert shipment.number not in other.get(reverse("shipping:list")).content.decode()
    assert other.get(_detail(shipment)).status_code == 404
    assert client_for(outsider).get(reverse("shipping:list")).status_code == 403


# Planning from the order page (S1.1, U1)


def test_order_page_offers_planning_to_sales_admin_only(order10, sales_admin, salesperson):
    url = reverse("orders:detail", args=[order10.pk])
    assert 'id="order-ship"' in client_for(sales_admin).get(url).content.decode()
    assert 'id="order-ship"' not in client_for(salesperson).get(url).content.decode()


def test_sales_admin_plans_a_partial_shipment_from_the_order(order10, sales_admin):
    line = order10.lines.get()
    client = client_for(sales_admin)
    url = reverse("shipping:create", args=[order10.pk])
    page = client.get(url).content.decode()
    assert "深溝球軸承" in page and f'name="quantity-{line.pk}" ' in page
    response = client.post(url, {f"quantity-{line.pk}": "6", "planned_ship_date": ""})
    shipment = Shipment.objects.get()
    assert response.status_code == 302 and response.url == _detail(shipment)
    assert shipment.lines.get().quantity == 6 and shipment.status == "planned"
    page = client.get(url).content.decode()
    assert 'value="4"' in page


def test_planning_more_than_is_left_is_refused_and_changes_nothing(order10, sales_admin):
    line = order10.lines.get()
    before = Event.objects.count()
    response = client_for(sales_admin).post(
        reverse("shipping:create", args=[order10.pk]), {f"quantity-{line.pk}": "11"}
    )
    assert response.status_code == 422
    assert "still to ship" in response.content.decode()
    assert not Shipment.objects.exists() and Event.objects.count() == before


@pytest.mark.parametrize("persona", ["salesperson", "warehouse"])
def test_planning_refused_without_permission(persona, request, order10):
    user = request.getfixturevalue(persona)
    line = order10.lines.get()
    before = Event.objects.count()
    url = reverse("shipping:create", args=[order10.pk])
    client = client_for(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {f"quantity-{line.pk}": "5"}).status_code == 403
    assert not Shipment.objects.exists() and Event.objects.count() == before


# Detail page: each role sees its own forms


def test_salesperson_reads_the_shipment_without_any_form(
    order10, salesperson, sales_admin, warehouse, logistics, carrier
):
    shipment = booked(order10, sales_admin, warehouse, logistics, carrier)
    body = client_for(salesperson).get(_detail(shipment)).content.decode()
    assert shipment.number in body and "深溝球軸承" in body
    for form in ("readiness-form", "booking-form", "dispatch-form", "cancel-form", "file-form"):
        assert f'id="{form}"' not in body
    assert "/documents/delivery-note.pdf" in body


@pytest.mark.parametrize(
    "action,data",
    [
        ("readiness", {"goods_ready": "on", "qc_passed": "on", "packed": "on", "packages": "1"}),
        ("book", {"carrier": "1", "mode": "road"}),
        ("dispatch", {"tracking_number": "X1"}),
        ("cancel", {"reason": "不要了"}),
        ("receipt_link", {}),
        ("complaint", {"description": "壞了", "role": "quality"}),
    ],
)
def test_salesperson_actions_are_refused_and_change_nothing(
    action, data, order10, salesperson, sales_admin, warehouse
):
    shipment = planned(order10, sales_admin)
    before, events = state(shipment), Event.objects.count()
    response = client_for(salesperson).post(_action(shipment, action), data)
    assert response.status_code == 302 and response.url == _detail(shipment)
    assert state(shipment) == before and Event.objects.count() == events


def test_warehouse_completes_readiness_on_the_page(order10, sales_admin, warehouse):
    shipment = planned(order10, sales_admin)
    client = client_for(warehouse)
    assert 'id="readiness-form"' in client.get(_detail(shipment)).content.decode()
    data = {"goods_ready": "on", "qc_passed": "on", "qc_note": "合格", "packed": "on"}
    before, events = state(shipment), Event.objects.count()
    refused = client.post(_action(shipment, "readiness"), data | {"packages": ""})
    assert "Say how many packages." in _messages(refused)
    assert state(shipment) == before and Event.objects.count() == events
    response = client.post(_action(shipment, "readiness"), data | {"packages": "2"})
    shipment.refresh_from_db()
    assert shipment.status == "ready" and shipment.packages == 2
    assert "Readiness recorded." in _messages(response)


def test_logistics_books_the_suggested_carrier_and_dispatches(
    order10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
):
    from django.core import mail

    shipment = ready(order10, sales_admin, warehouse)
    client = client_for(logistics)
    body = client.get(_detail(shipment)).content.decode()
    assert 'id="carrier-suggestion"' in body and "shipping.carrier_rule" in body
    assert f'<option value="{carrier.pk}" selected>' in body
    today = timezone.localdate().isoformat()
    client.post(
        _action(shipment, "book"),
        {"carrier": carrier.pk, "mode": "express", "planned_ship_date": today},
    )
    shipment.refresh_from_db()
    assert (shipment.status, shipment.carrier_id) == ("booked", carrier.pk)
    assert shipment.promised_delivery_date == timezone.localdate() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_action(shipment, "dispatch"), {"tracking_number": "SF20260001"})
    shipment.refresh_from_db()
    assert shipment.status == "dispatched" and shipment.notice_id is not None
    assert any("SF20260001" in m.body for m in mail.outbox)


@pytest.mark.req("S2.2")
def test_booking_with_an_expired_agreement_is_refused_on_the_page(
    order10, sales_admin, warehouse, logistics
):
    expired = Carrier.objects.create(code="old", name="舊物流", modes=["road"])
    CarrierAgreement.objects.create(
        carrier=expired, reference="X", valid_from="2020-01-01", valid_until="2021-01-01"
    )
    shipment = ready(order10, sales_admin, warehouse)
    before, events = state(shipment), Event.objects.count()
    response = client_for(logistics).post(
        _action(shipment, "book"),
        {"carrier": expired.pk, "mode": "road", "planned_ship_date": timezone.localdate()},
    )
    assert any("not valid on" in m for m in _messages(response))
    assert state(shipment) == before and Event.objects.count() == events


def test_tracking_exception_then_receipt_upload_with_damage(
    order10, sales_admin, warehouse, logistics, carrier
):
    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier)
    client = client_for(logistics)
    client.post(
        _action(shipment, "tracking"),
        {
            "occurred_at": "2026-05-04T10:00",
            "location": "廈門",
            "description": "外箱破損",
            "is_exception": "on",
        },
    )
    shipment.refresh_from_db()
    assert shipment.status == "exception" and shipment.exception_reason == "外箱破損"
    assert "Exception: 外箱破損" in client.get(_detail(shipment)).content.decode()
    line = shipment.lines.get()
    client.post(
        _action(shipment, "receipt"),
        {
            "file": SimpleUploadedFile("回單.pdf", PDF, "application/pdf"),
            f"received-{line.pk}": "10",
            f"damaged-{line.pk}": "2",
        },
    )
    shipment.refresh_from_db()
    line.refresh_from_db()
    assert shipment.status == "receipt_confirmed"
    assert (line.received_quantity, line.damaged_quantity) == (10, 2)
    assert Attachment.objects.get().kind == "signed_receipt"
    assert TrackingEvent.objects.count() == 1


def test_receipt_link_is_shown_once_and_works_on_the_customer_page(
    client, order10, sales_admin, warehouse, logistics, carrier
):
    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier)
    response = client_for(logistics).post(_action(shipment, "receipt_link"))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    url = response.context["url"]
    path = url.split("127.0.0.1:8000", 1)[-1]
    assert client.post(path).status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == "receipt_confirmed"
    assert client.post(path).status_code == 404


def test_complaint_goes_to_quality_and_is_resolved_there(
    order10, sales_admin, warehouse, logistics, carrier
):
    from salesdesk.accounts.tests.factories import UserFactory

    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier)
    line = shipment.lines.get()
    client_for(sales_admin).post(
        _action(shipment, "complaint"),
        {"description": "兩個軸承有異音", "role": "quality", "line": str(line.pk)},
    )
    complaint = Complaint.objects.get()
    assert complaint.work_order.role == "quality" and complaint.line == line
    inspector = UserFactory(username="qc1", roles=["quality"], department__code="quality")
    client = client_for(inspector)
    body = client.get(_detail(shipment)).content.decode()
    assert f'id="outcome-{complaint.pk}"' in body
    client.post(
        reverse("shipping:complaint_resolve", args=[shipment.pk, complaint.pk]),
        {"outcome": "replacement", "resolution": "補發兩個"},
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("resolved", "replacement")


def test_documents_download_as_pdf_for_whoever_sees_the_shipment(
    order10, salesperson, other_salesperson, sales_admin
):
    shipment = planned(order10, sales_admin)
    client = client_for(salesperson)
    for kind in ("packing-list", "delivery-note", "commercial-invoice", "qc-report"):
        response = client.get(reverse("shipping:document", args=[shipment.pk, kind]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    url = reverse("shipping:document", args=[shipment.pk, "packing-list"])
    assert client_for(other_salesperson).get(url).status_code == 404
    assert client.get(url.replace("packing-list", "nonsense")).status_code == 404


def test_files_are_attached_by_the_warehouse(order10, sales_admin, warehouse):
    shipment = planned(order10, sales_admin)
    client_for(warehouse).post(
        _action(shipment, "file"),
        {"file": SimpleUploadedFile("qc.pdf", PDF, "application/pdf"), "kind": "qc_report"},
    )
    attachment = Attachment.objects.get()
    assert attachment.kind == "qc_report" and attachment.object_id == shipment.pk


# Dispatch board (S2.3, S3.2)


def test_dispatch_board_columns(order10, sales_admin, warehouse, logistics, carrier, salesperson):
    waiting = ready(order10, sales_admin, warehouse, 3)
    late = dispatched(order10, sales_admin, warehouse, logistics, carrier, 4, "SF-LATE")
    Shipment.objects.filter(pk=late.pk).update(
        promised_delivery_date=timezone.localdate() - timedelta(days=2)
    )
    response = client_for(logistics).get(reverse("shipping:board"))
    columns = {c["key"]: [s.number for s in c["items"]] for c in response.context["columns"]}
    assert columns == {
        "ready": [waiting.number],
        "booked": [],
        "transit": [],
        "exception": [],
        "late": [late.number],
    }
    assert client_for(salesperson).get(reverse("shipping:board")).status_code == 403


# Carrier register (S2.1, S2.2)


def test_logistics_adds_a_carrier_and_sees_its_secret_once(logistics, sales_admin):
    client = client_for(logistics)
    response = client.post(
        reverse("shipping:carrier_create"),
        {
            "code": "zto",
            "name": "中通快遞",
            "modes": ["express", "road"],
            "service_areas": "福建省, 浙江省",
            "base_rate": "12",
            "rate_per_kg": "1.5",
            "transit_days": "3",
            "is_active": "on",
        },
    )
    carrier = Carrier.objects.get(code="zto")
    assert response.status_code == 200 and response.context["secret"] == carrier.webhook_secret
    assert carrier.service_areas == ["浙江省", "福建省"] and carrier.modes == ["road", "express"]
    detail = client.get(reverse("shipping:carrier_detail", args=[carrier.pk])).content.decode()
    assert carrier.webhook_secret not in detail
    before = Event.objects.count()
    refused = client_for(sales_admin).post(
        reverse("shipping:carrier_create"), {"code": "x", "name": "X", "modes": ["road"]}
    )
    assert refused.status_code == 403 and Event.objects.count() == before


def test_carrier_form_shows_every_error(logistics):
    response = client_for(logistics).post(
        reverse("shipping:carrier_create"), {"code": "Bad Code", "transit_days": "0"}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"code", "name", "modes", "transit_days"} <= set(errors)
    assert not Carrier.objects.exists()


def test_carrier_edit_secret_agreement_and_preference(logistics, carrier, customer):
    client = client_for(logistics)
    client.post(
        reverse("shipping:carrier_edit", args=[carrier.pk]),
        {"name": "順豐", "modes": ["air"], "transit_days": "1", "base_rate": "30"},
    )
    carrier.refresh_from_db()
    assert (carrier.name, carrier.modes, carrier.is_active) == ("順豐", ["air"], False)
    old = carrier.webhook_secret
    response = client.post(reverse("shipping:carrier_secret", args=[carrier.pk]))
    carrier.refresh_from_db()
    assert response.context["secret"] == carrier.webhook_secret != old
    client.post(
        reverse("shipping:agreement_add", args=[carrier.pk]),
        {
            "reference": "SF-2027",
            "valid_from": "2027-01-01",
            "valid_until": "2027-12-31",
            "document": SimpleUploadedFile("合同.pdf", PDF, "application/pdf"),
        },
    )
    agreement = carrier.agreements.get(reference="SF-2027")
    download = client.get(reverse("shipping:agreement_document", args=[carrier.pk, agreement.pk]))
    assert download.status_code == 200
    Carrier.objects.filter(pk=carrier.pk).update(is_active=True)
    client.post(reverse("shipping:preference_set", args=[carrier.pk]), {"customer": customer.code})
    assert CarrierPreference.objects.get(customer=customer).carrier == carrier
    client.post(reverse("shipping:preference_clear", args=[carrier.pk, customer.pk]))
    assert not CarrierPreference.objects.exists()


def test_carrier_list_for_readers_and_not_for_salespeople(sales_admin, salesperson, carrier):
    body = client_for(sales_admin).get(reverse("shipping:carriers")).content.decode()
    assert "順豐速運" in body and 'id="carrier-new"' not in body
    assert client_for(salesperson).get(reverse("shipping:carriers")).status_code == 403


@pytest.mark.req("S4.3")
def test_survey_answer_shows_on_the_shipment(
    order10, sales_admin, warehouse, logistics, carrier, system_user
):
    from salesdesk.shipping.services import receipt_confirm_by_link, survey_answer
    from salesdesk.shipping.services.receipt import link_create

    shipment = dispatched(order10, sales_admin, warehouse, logistics, carrier)
    token = link_create(shipment, "receipt").rstrip("/").rsplit("/", 1)[-1]
    receipt_confirm_by_link(token=token, actor=system_user)
    token = link_create(shipment, "survey").rstrip("/").rsplit("/", 1)[-1]
    survey_answer(
        token=token, actor=system_user, quality=5, timeliness=3, service=4, comment="包裝很好"
    )
    body = client_for(sales_admin).get(_detail(shipment)).content.decode()
    assert 'id="shipment-survey"' in body and "3 / 5" in body and "包裝很好" in body
