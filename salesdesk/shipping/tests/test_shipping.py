"""Shipments from readiness to receipt, tracking, complaints and surveys (S1–S4, U1)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.catalog.models import Stock
from salesdesk.core.errors import Conflict, NotFound, ValidationFailed
from salesdesk.shipping.models import Carrier, CarrierAgreement, Shipment, TrackingEvent
from salesdesk.shipping.services import (
    carrier_suggest,
    complaint_record,
    complaint_resolve,
    receipt_confirm_by_link,
    receipt_confirm_by_upload,
    shipment_book,
    shipment_create,
    shipment_dispatch,
    shipment_readiness,
    survey_answer,
    survey_send,
    tracking_add,
)
from salesdesk.shipping.services.receipt import link_create
from salesdesk.shipping.services.tracking import signature_of
from salesdesk.shipping.tests.conftest import SECRET
from salesdesk.shipping.workflow import SHIPMENT
from salesdesk.testing.workflow import assert_transition_table

READY = {
    "goods_ready": "true",
    "qc_passed": "true",
    "packed": "true",
    "packages": "2",
    "gross_weight": "12.5",
}


def _ship(order, quantity, actor, warehouse, logistics, carrier, captured):
    line = order.lines.get()
    shipment = shipment_create(actor=actor, order_id=order.pk, lines=[(line.pk, quantity)])
    shipment_readiness(actor=warehouse, shipment_id=shipment.pk, data=READY)
    shipment_book(
        actor=logistics,
        shipment_id=shipment.pk,
        carrier_id=carrier.pk,
        mode="express",
        planned_ship_date=timezone.localdate(),
    )
    with captured(execute=True):
        return shipment_dispatch(
            actor=logistics, shipment_id=shipment.pk, tracking_number=f"SF{quantity}000"
        )


def _token(url):
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.req("S1.1", "S3.1", "S4.1", "U1")
def test_partial_shipments_and_two_receipts(
    order10,
    sales_admin,
    warehouse,
    logistics,
    carrier,
    django_capture_on_commit_callbacks,
    system_user,
):
    first = _ship(
        order10, 6, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    order10.refresh_from_db()
    assert order10.status == "in_fulfillment"
    stock = Stock.objects.get(product__sku="B-6204")
    assert (stock.on_hand, stock.reserved) == (Decimal(94), Decimal(4))
    notice = next(m for m in mail.outbox if m.to == ["receiving@example.com"])
    assert "SF6000" in notice.body and str(first.promised_delivery_date) in notice.body
    with pytest.raises(ValidationFailed):
        shipment_create(actor=sales_admin, order_id=order10.pk, lines=[(order10.lines.get().pk, 5)])
    second = _ship(
        order10, 4, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    order10.refresh_from_db()
    assert order10.status == "shipped"
    receipt_confirm_by_link(token=_token(link_create(first, "receipt")), actor=system_user)
    receipt_confirm_by_upload(
        actor=logistics,
        shipment_id=second.pk,
        upload=SimpleUploadedFile("回單.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    order10.refresh_from_db()
    assert order10.status in ("delivered", "closed")
    assert Shipment.objects.filter(status="receipt_confirmed").count() == 2


@pytest.mark.req("S4.1")
def test_one_time_link_cannot_be_used_twice_or_guessed(
    order10,
    sales_admin,
    warehouse,
    logistics,
    carrier,
    system_user,
    django_capture_on_commit_callbacks,
):
    shipment = _ship(
        order10, 10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    token = _token(link_create(shipment, "receipt"))
    with pytest.raises(NotFound):
        receipt_confirm_by_link(token=token[:-2] + "xx", actor=system_user)
    line = shipment.lines.get()
    receipt_confirm_by_link(
        token=token, actor=system_user, lines={str(line.pk): {"received": "8", "damaged": "1"}}
    )
    line.refresh_from_db()
    assert (line.received_quantity, line.damaged_quantity) == (8, 1)
    with pytest.raises(NotFound):
        receipt_confirm_by_link(token=token, actor=system_user)


@pytest.mark.req("S2.1", "S2.2")
def test_carrier_suggestion_and_expired_agreement(
    order10, sales_admin, warehouse, logistics, carrier
):
    shipment = shipment_create(
        actor=sales_admin, order_id=order10.pk, lines=[(order10.lines.get().pk, 10)]
    )
    shipment_readiness(actor=warehouse, shipment_id=shipment.pk, data=READY)
    suggestion = carrier_suggest(Shipment.objects.get(pk=shipment.pk))
    assert suggestion.carrier == carrier and "shipping.carrier_rule" in suggestion.reason
    old = Carrier.objects.create(code="old", name="舊物流", modes=["road"])
    CarrierAgreement.objects.create(
        carrier=old, reference="X", valid_from="2020-01-01", valid_until="2021-01-01"
    )
    before = Event.objects.count()
    with pytest.raises(Conflict) as info:
        shipment_book(
            actor=logistics,
            shipment_id=shipment.pk,
            carrier_id=old.pk,
            mode="road",
            planned_ship_date=timezone.localdate(),
        )
    assert info.value.code == "agreement_expired"
    shipment.refresh_from_db()
    assert shipment.status == "ready" and shipment.carrier is None
    assert Event.objects.count() == before


@pytest.mark.req("S3.2")
def test_tracking_push_signed_and_exception_tells_customer(
    client, order10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
):
    shipment = _ship(
        order10, 10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    body = json.dumps(
        {
            "occurred_at": "2026-11-27T10:00:00+08:00",
            "location": "廈門",
            "description": "包裹破損，待處理",
            "exception": True,
        }
    ).encode()
    url = f"/api/v1/shipments/{shipment.pk}/tracking"
    wrong = client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-Salesdesk-Signature": signature_of("nope", body)},
    )
    assert wrong.status_code == 401 and wrong.json()["code"] == "bad_signature"
    assert not TrackingEvent.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status == "dispatched"
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            url,
            body,
            content_type="application/json",
            headers={"X-Salesdesk-Signature": signature_of(SECRET, body)},
        )
    assert ok.status_code == 200 and ok.json()["shipment_status"] == "exception"
    assert any("包裹破損" in m.body for m in mail.outbox)
    tracking_add(
        actor=logistics,
        shipment_id=shipment.pk,
        occurred_at=timezone.now(),
        description="已重新包裝，繼續運送",
        location="廈門",
    )
    shipment.refresh_from_db()
    assert shipment.status == "in_transit"


@pytest.mark.req("S4.2", "S4.3")
def test_complaint_routed_and_survey_once(
    order10,
    sales_admin,
    warehouse,
    logistics,
    carrier,
    system_user,
    django_capture_on_commit_callbacks,
):
    from salesdesk.accounts.tests.factories import UserFactory

    shipment = _ship(
        order10, 10, sales_admin, warehouse, logistics, carrier, django_capture_on_commit_callbacks
    )
    receipt_confirm_by_link(token=_token(link_create(shipment, "receipt")), actor=system_user)
    complaint = complaint_record(
        actor=sales_admin,
        shipment_id=shipment.pk,
        role="quality",
        description="兩個軸承有異音",
        line_id=shipment.lines.get().pk,
    )
    assert complaint.work_order.kind == "complaint" and complaint.work_order.role == "quality"
    inspector = UserFactory(username="qc1", roles=["quality"], department__code="quality")
    complaint_resolve(
        actor=inspector, complaint_id=complaint.pk, outcome="replacement", resolution="補發兩個"
    )
    later = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_send(actor=system_user, today=later) == 1
    assert survey_send(actor=system_user, today=later) == 0
    link = shipment.links.get(purpose="survey")
    assert link.used_at is None
    survey_mail = next(m for m in mail.outbox if "/shipping/survey/" in m.body)
    token = survey_mail.body.split("/shipping/survey/")[1].split("/")[0]
    with pytest.raises(ValidationFailed):
        survey_answer(token=token, actor=system_user, quality=6, timeliness=5, service=5)
    survey_answer(token=token, actor=system_user, quality=5, timeliness=4, service=5)
    with pytest.raises(NotFound):
        survey_answer(token=token, actor=system_user, quality=5, timeliness=4, service=5)


def test_transition_table(order10, sales_admin, it_admin):
    from django.contrib.auth.models import Permission

    it_admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="shipping"))
    it_admin = type(it_admin).objects.get(pk=it_admin.pk)

    def make(state):
        return Shipment.objects.create(
            number=f"T{Shipment.objects.count()}",
            order=order10,
            status=state,
            created_by=sales_admin,
        )

    counts = assert_transition_table(SHIPMENT, make_subject=make, actor=it_admin)
    assert counts["allowed"] == 16
