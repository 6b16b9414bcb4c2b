"""Shipping fixtures: an approved order of 10, a carrier with a valid agreement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.customers.services import address_add, contact_add
from salesdesk.orders.services import order_approve, order_submit
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401
from salesdesk.shipping.models import Carrier, CarrierAgreement

SECRET = "carrier-secret-42"


@pytest.fixture
def logistics(db):
    return UserFactory(username="logi1", roles=["logistics"], department__code="logistics")


@pytest.fixture
def order10(make_order, salesperson, sales_admin, customer):  # noqa: F811
    contact_add(
        actor=salesperson,
        customer_id=customer.pk,
        data={"name": "收貨人陳先生", "email": "receiving@example.com"},
    )
    address_add(
        actor=salesperson,
        customer_id=customer.pk,
        data={"label": "工廠", "province": "福建省", "city": "福州市", "street": "工業路 1 號"},
    )
    order = make_order(lines=[{"product": "B-6204", "quantity": "10", "unit_price": "20"}])
    order_submit(actor=salesperson, order_id=order.pk)
    return order_approve(actor=sales_admin, order_id=order.pk)


@pytest.fixture
def carrier(db):
    carrier = Carrier.objects.create(
        code="sf",
        name="順豐速運",
        modes=["express", "road"],
        base_rate=20,
        rate_per_kg=2,
        transit_days=2,
        webhook_secret=SECRET,
    )
    today = timezone.localdate()
    CarrierAgreement.objects.create(
        carrier=carrier,
        reference="SF-2026",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=300),
    )
    return carrier
