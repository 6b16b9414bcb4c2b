"""Live orders reach the facts and the cells through the scheduled refresh (A1.1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from salesdesk.analytics import cube
from salesdesk.analytics.metrics import metric_get
from salesdesk.analytics.models import RefreshState, SalesCell, SalesFact
from salesdesk.analytics.services import facts_refresh_changed, facts_refresh_orders
from salesdesk.analytics.slicing import Period, Slice
from salesdesk.catalog.models import Product
from salesdesk.core import schedule
from salesdesk.orders.services import order_approve, order_cancel, order_submit
from salesdesk.shipping.models import Shipment, ShipmentLine, SurveyResponse

pytestmark = pytest.mark.req("A1.1", "A2.2")

LINES = [
    {"product": "B-6204", "quantity": "10", "unit_price": "20", "discount_rate": "0.1"},
    {"product": "M-750", "quantity": "2", "unit_price": "1500"},
]


@pytest.fixture
def approved(make_order, salesperson, sales_admin):
    Product.objects.filter(sku="B-6204").update(standard_cost=Decimal("12"))
    Product.objects.filter(sku="M-750").update(standard_cost=Decimal("900"), category="motors")
    order = make_order(lines=LINES)
    order_submit(actor=salesperson, order_id=order.pk)
    return order_approve(actor=sales_admin, order_id=order.pk)


def _today() -> Period:
    today = timezone.localdate()
    return Period(today, today)


def test_scheduled_job_puts_an_approved_order_into_facts_and_rollup(
    approved,
    make_order,
    customer,
    salesperson,
):
    draft = make_order()
    assert "analytics.facts_refresh" in schedule.run_due()
    facts = list(SalesFact.objects.order_by("line_number"))
    assert [(f.order_number, f.line_number, f.sku) for f in facts] == [
        (approved.number, 1, "B-6204"),
        (approved.number, 2, "M-750"),
    ]
    assert [(f.revenue, f.cost, f.is_first_line) for f in facts] == [
        (Decimal("180.00"), Decimal("120.00"), True),
        (Decimal("3000.00"), Decimal("1800.00"), False),
    ]
    assert {f.customer_code for f in facts} == {customer.code}
    assert {f.salesperson for f in facts} == {salesperson.username}
    assert not SalesFact.objects.filter(order_number=draft.number).exists()
    # The product cuboid (400) by month: one order in each SKU's cell, one first line.
    cells = SalesCell.objects.filter(cuboid=400, grain="m").order_by("sku")
    assert [(c.sku, c.orders, c.first_lines, c.lines, c.revenue) for c in cells] == [
        ("B-6204", 1, 1, 1, Decimal("180.00")),
        ("M-750", 1, 0, 1, Decimal("3000.00")),
    ]
    assert metric_get("order_count").compute(Slice(), _today(), []) == [{"value": Decimal(1)}]
    assert RefreshState.objects.get(name="analytics.facts_refresh").watermark is not None
    # The first run found no cells for this layout and built them (none: no facts yet).
    assert cube.cells_built()


def test_cancelled_order_leaves_facts_and_rollup(approved, sales_admin):
    facts_refresh_orders([approved.pk])
    assert SalesFact.objects.count() == 2
    order_cancel(actor=sales_admin, order_id=approved.pk, reason="客戶取消")
    facts_refresh_changed()
    assert SalesFact.objects.count() == 0
    assert SalesCell.objects.count() == 0


def test_watermark_skips_unchanged_orders(approved):
    assert facts_refresh_changed() == 1
    assert facts_refresh_changed(now=timezone.now() + timedelta(hours=1)) == 1
    assert facts_refresh_changed(now=timezone.now() + timedelta(hours=2)) == 0


def test_delivery_and_survey_feed_on_time_rate_and_satisfaction(approved, sales_admin):
    now = timezone.now()
    shipment = Shipment.objects.create(
        number="DN-1",
        order=approved,
        status="delivered",
        mode="express",
        delivered_at=now,
        created_by=sales_admin,
    )
    for line in approved.lines.all():
        ShipmentLine.objects.create(shipment=shipment, order_line=line, quantity=line.quantity)
    SurveyResponse.objects.create(
        shipment=shipment, customer=approved.customer, quality=5, timeliness=4, service=3
    )
    facts_refresh_changed()
    assert set(SalesFact.objects.values_list("delivery_date", "ship_mode")) == {
        (timezone.localdate(now), "express")
    }
    rate = metric_get("on_time_delivery_rate").compute(Slice(), _today(), [])
    assert rate == [{"value": Decimal("1.0000")}]
    score = metric_get("satisfaction").compute(Slice(), _today(), ["ship_mode"])
    assert score == [{"ship_mode": "express", "value": Decimal("4.0000")}]
    by_week = metric_get("satisfaction").compute(Slice(), _today(), ["week"])
    monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    assert by_week == [{"week": monday, "value": Decimal("4.0000")}]
    # Thirds are kept: (5 + 5 + 4) / 3 and 4 average to 4.3333, not (4 + 4) / 2.
    second = Shipment.objects.create(
        number="DN-2", order=approved, status="delivered", mode="express", created_by=sales_admin
    )
    SurveyResponse.objects.create(
        shipment=second, customer=approved.customer, quality=5, timeliness=5, service=4
    )
    score = metric_get("satisfaction").compute(Slice(), _today(), [])
    assert score == [{"value": Decimal("4.3333")}]
