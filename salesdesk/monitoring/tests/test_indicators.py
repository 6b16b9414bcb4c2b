"""Each indicator's measurement on small data (R3.1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesdesk.audit.models import Event
from salesdesk.audit.services import access_record
from salesdesk.contracts.models import ContractStatus
from salesdesk.customers.models import Customer, CustomerStage
from salesdesk.finance.tests.conftest import ship
from salesdesk.monitoring.indicators import CheckContext, indicator
from salesdesk.monitoring.tests.conftest import (
    contract_ending,
    failed_login,
    overdue_invoice,
)
from salesdesk.orders.models import Order, OrderStatus

pytestmark = [pytest.mark.req("R3.1"), pytest.mark.django_db]


def measure(code: str, now=None) -> dict[str, Decimal]:
    definition = indicator(code)
    warning, critical = definition.thresholds()
    context = CheckContext(now or timezone.now(), warning, critical)
    return {obs.subject_key: obs.value for obs in definition.check(context)}


def test_credit_utilisation_counts_open_orders_against_the_limit(utilised):
    assert measure("credit_utilisation") == {f"customer:{utilised.pk}": Decimal("90.4")}


def test_credit_utilisation_adds_open_invoices_and_opening_balance(customer, salesperson):
    Customer.objects.filter(pk=customer.pk).update(
        credit_limit=Decimal("1000"), opening_balance=Decimal("100")
    )
    overdue_invoice(customer, salesperson, gross="400", days=1)
    assert measure("credit_utilisation") == {f"customer:{customer.pk}": Decimal("50.0")}


def test_credit_utilisation_skips_customers_without_limit_or_exposure(customer, salesperson):
    assert measure("credit_utilisation") == {}
    Customer.objects.filter(pk=customer.pk).update(credit_limit=None)
    overdue_invoice(customer, salesperson, gross="400", days=1)
    assert measure("credit_utilisation") == {}


def test_overdue_amount_and_days_per_customer(customer, salesperson):
    overdue_invoice(customer, salesperson, gross="300", days=40)
    overdue_invoice(customer, salesperson, gross="200.50", days=5)
    overdue_invoice(customer, salesperson, gross="999", days=-3)  # not yet due
    key = f"customer:{customer.pk}"
    assert measure("overdue_amount") == {key: Decimal("500.50")}
    assert measure("overdue_days") == {key: Decimal(40)}


def test_orders_past_promised_date_in_days(make_order, approve):
    order = approve(make_order())
    assert measure("orders_past_promised") == {}
    yesterday_week = timezone.localdate() - timedelta(days=8)
    order.lines.update(promised_date=yesterday_week)
    assert measure("orders_past_promised") == {f"order:{order.pk}": Decimal(8)}
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)
    assert measure("orders_past_promised") == {}


def test_orders_past_promised_falls_back_to_expected_delivery(make_order, approve):
    order = approve(make_order())
    Order.objects.filter(pk=order.pk).update(
        expected_delivery_date=timezone.localdate() - timedelta(days=2)
    )
    assert measure("orders_past_promised") == {f"order:{order.pk}": Decimal(2)}


def test_shipments_in_exception_days_since_the_exception_event(make_order, approve, salesperson):
    order = approve(make_order())
    shipment = ship(order, {1: "2"}, status="exception")
    assert measure("shipments_in_exception") == {f"shipment:{shipment.pk}": Decimal("0.0")}
    Event.objects.create(
        actor=salesperson,
        verb="shipment.exception",
        content_type=ContentType.objects.get_for_model(shipment),
        object_id=shipment.pk,
        to_state="exception",
        created_at=timezone.now() - timedelta(days=2, hours=12),
    )
    assert measure("shipments_in_exception") == {f"shipment:{shipment.pk}": Decimal("2.5")}


def test_contracts_expiring_days_left_within_the_window(customer, sales_admin):
    soon = contract_ending(customer, sales_admin, days=10)
    contract_ending(customer, sales_admin, days=200)
    contract_ending(customer, sales_admin, days=5, status=ContractStatus.TERMINATED)
    assert measure("contracts_expiring") == {f"contract:{soon.pk}": Decimal(10)}


def test_stale_customer_data_days_since_verified(customer, salesperson):
    assert measure("customer_data_stale") == {}
    Customer.objects.filter(pk=customer.pk).update(
        last_verified_at=timezone.now() - timedelta(days=400)
    )
    assert measure("customer_data_stale") == {f"customer:{customer.pk}": Decimal(400)}
    Customer.objects.filter(pk=customer.pk).update(stage=CustomerStage.LOST)
    assert measure("customer_data_stale") == {}


def test_failed_logins_per_username_and_address_in_the_last_hour(db):
    failed_login("alice", "10.0.0.1", 4)
    failed_login("alice", "10.0.0.2", 3)
    old = failed_login("bob", "10.0.0.1", 9)
    type(old).objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(hours=2))
    assert measure("failed_logins") == {
        "username:alice": Decimal(7),
        "ip:10.0.0.1": Decimal(4),
        "ip:10.0.0.2": Decimal(3),
    }


def test_personal_data_reads_per_user_in_the_last_day(customer, salesperson, system_user):
    for _ in range(3):
        access_record(actor=salesperson, subject=customer, fields=["phone"], purpose="call")
    access_record(actor=system_user, subject=customer, fields=["email"], purpose="notice")
    assert measure("personal_data_reads") == {f"user:{salesperson.pk}": Decimal(3)}
    later = timezone.now() + timedelta(days=2)
    assert measure("personal_data_reads", now=later) == {}


def test_failed_logins_count_the_failure_log_when_axes_keeps_one(settings):
    from axes.models import AccessFailureLog

    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    for _ in range(3):
        AccessFailureLog.objects.create(
            username="carol", ip_address="10.0.0.7", user_agent="x", http_accept="*/*"
        )
    failed_login("carol", "10.0.0.7", 99)  # ignored: the failure log is exact
    assert measure("failed_logins") == {"username:carol": Decimal(3), "ip:10.0.0.7": Decimal(3)}
