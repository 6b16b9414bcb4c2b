"""Shipping, contract, survey, receivables and data-accuracy KPIs on a scripted history with
hand-computed values (E2.1, E2.2)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesdesk.analytics.metrics import METRICS
from salesdesk.analytics.slicing import Period
from salesdesk.customers.models import Customer
from salesdesk.customers.services import address_add
from salesdesk.customers.tests.factories import enterprise
from salesdesk.orders.models import OrderLine
from salesdesk.supervision.kpis import kpi_get, kpi_records, kpi_values
from salesdesk.supervision.tests.history import (
    at,
    contract,
    event,
    invoice,
    obligation,
    order,
    pay,
    shipment,
    survey,
)

pytestmark = [pytest.mark.django_db, pytest.mark.req("E2.2")]
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
D = Decimal


def value(name: str, period=MARCH, group_by: str = ""):
    return kpi_values(kpi_get(name), period, group_by)


def test_on_time_shipments_use_the_delivered_event(customer, salesperson, sales_admin):
    o = order(customer, salesperson)
    s1 = shipment(o, sales_admin, date(2026, 3, 10))
    s2 = shipment(o, sales_admin, date(2026, 3, 12))
    shipment(o, sales_admin, date(2026, 3, 15))  # never delivered: a miss
    shipment(o, sales_admin, date(2026, 3, 16), status="cancelled")  # out
    s5 = shipment(o, sales_admin, date(2026, 3, 20))
    event(s1, "shipment.delivered", at(3, 9), sales_admin)
    event(s2, "shipment.delivered", at(3, 13), sales_admin)
    event(s5, "shipment.delivered", at(3, 20, 23, 30), sales_admin)  # same local day
    [total] = value("on_time_shipment_rate")
    assert (total["numerator"], total["denominator"], total["value"]) == (D(2), D(4), D("50.00"))
    [mine] = value("on_time_shipment_rate", group_by="person")
    assert (mine["person"], mine["label"]) == (sales_admin.pk, str(sales_admin))
    facts = kpi_records(kpi_get("on_time_shipment_rate"), MARCH)
    assert [(f.label, f.in_numerator) for f in facts] == [
        (s1.number, True),
        (s2.number, False),
        (facts[2].label, False),
        (s5.number, True),
    ]
    assert facts[0].url == reverse("shipping:detail", args=[s1.pk])


def test_contract_execution_rate(customer, sales_admin, sales_manager):
    k1 = contract(customer, sales_admin)
    k2 = contract(customer, sales_manager)
    obligation(k1, date(2026, 3, 5), date(2026, 3, 5))  # on time
    obligation(k1, date(2026, 3, 10), date(2026, 3, 11))  # late
    obligation(k2, date(2026, 3, 20))  # open past due: a miss
    obligation(k2, date(2026, 3, 25), date(2026, 3, 1))  # early
    obligation(contract(customer, sales_admin, status="voided"), date(2026, 3, 6))  # out
    [total] = value("contract_execution_rate")
    assert (total["numerator"], total["denominator"], total["value"]) == (D(2), D(4), D("50.00"))
    person = {r["person"]: r["value"] for r in value("contract_execution_rate", group_by="person")}
    assert person == {sales_admin.pk: D("50.00"), sales_manager.pk: D("50.00")}


def test_contract_archiving_on_time(customer, sales_admin, sales_manager):
    k1 = contract(customer, sales_admin, original_due_on=date(2026, 3, 10))
    k2 = contract(customer, sales_admin, original_due_on=date(2026, 3, 15))
    contract(customer, sales_manager, original_due_on=date(2026, 3, 18))  # not back: a miss
    contract(customer, sales_admin, original_due_on=date(2026, 3, 19), status="voided")
    event(k1, "contract.original_received", at(3, 9), sales_admin)
    event(k2, "contract.original_received", at(3, 20), sales_admin)
    [total] = value("contract_archiving_on_time")
    assert (total["value"], total["count"]) == (D("33.33"), 3)
    person = {
        r["person"]: r["value"] for r in value("contract_archiving_on_time", group_by="person")
    }
    assert person == {sales_admin.pk: D("50.00"), sales_manager.pk: D("0.00")}


def test_customer_satisfaction_matches_the_analytics_metric(customer, salesperson, sales_admin):
    o = order(customer, salesperson)
    survey(shipment(o, sales_admin, date(2026, 3, 1)), (5, 5, 4), at(3, 5))
    survey(shipment(o, sales_admin, date(2026, 3, 2)), (3, 3, 3), at(3, 6))
    survey(shipment(o, sales_admin, date(2026, 3, 3)), (4, 5, 5), at(3, 7))
    survey(shipment(o, sales_admin, date(2026, 4, 3)), (1, 1, 1), at(4, 7))
    # (14/3 + 3 + 14/3) / 3 = 37/9 = 4.11
    [total] = value("customer_satisfaction")
    assert (total["value"], total["count"], total["met"]) == (D("4.11"), 3, True)
    # The same formula as the analytics metric (its label and formula text are reused).
    assert (kpi_get("customer_satisfaction").formula, kpi_get("customer_satisfaction").unit) == (
        METRICS["satisfaction"].formula,
        METRICS["satisfaction"].unit,
    )
    [person] = value("customer_satisfaction", group_by="person")
    assert (person["person"], person["value"]) == (salesperson.pk, D("4.11"))
    months = value("customer_satisfaction", Period(date(2026, 3, 1), date(2026, 4, 30)), "month")
    assert [(m["month"], m["value"]) for m in months] == [
        (date(2026, 3, 1), D("4.11")),
        (date(2026, 4, 1), D("1.00")),
    ]


def test_collection_rate_counts_money_collected_by_the_period_end(customer, salesperson, finance):
    o = order(customer, salesperson)
    i1 = invoice(customer, o, date(2026, 3, 10), "1000", finance)
    i2 = invoice(customer, o, date(2026, 3, 20), "500", finance)
    i3 = invoice(customer, None, date(2026, 3, 25), "300", finance)
    invoice(customer, o, date(2026, 3, 15), "900", finance, status="voided")
    pay(i1, "1000", date(2026, 3, 8), finance)
    pay(i2, "200", date(2026, 3, 25), finance)
    pay(i2, "300", date(2026, 4, 5), finance)  # after the period: not counted
    # (1000 + 200) / 1800 = 66.67 %
    [total] = value("collection_rate")
    assert (total["numerator"], total["denominator"], total["value"]) == (
        D("1200.00"),
        D("1800.00"),
        D("66.67"),
    )
    facts = {f.label: f for f in kpi_records(kpi_get("collection_rate"), MARCH)}
    assert set(facts) == {i1.number, i2.number, i3.number}
    assert facts[i3.number].in_numerator is False
    # The invoice without an order belongs to the customer's owner, here the salesperson too.
    assert {f.person_id for f in facts.values()} == {salesperson.pk}


def _in_february(model, pk):
    model.objects.filter(pk=pk).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 2, 10))
    )


def _complete_individual(owner):
    customer = enterprise(
        owner,
        kind="individual",
        legal_name="王小明",
        short_name="王小明",
        province="福建省",
        potential="high",
        annual_capacity="50000",
        intention_level="strong",
        contacts=[{"name": "王小明", "mobile": "13800138000"}],
    )
    address_add(actor=owner, customer_id=customer.pk, data={"label": "家", "street": "工業路1號"})
    return customer


def test_data_accuracy_checks_customers_and_orders(
    customer, salesperson, other_salesperson, sales_admin
):
    good = _complete_individual(salesperson)
    bad = enterprise(other_salesperson, legal_name="不完整有限公司")  # incomplete
    ok_order = order(customer, salesperson, status="approved")
    OrderLine.objects.create(
        order=ok_order,
        line_number=1,
        product=_product(sales_admin),
        quantity=D(1),
        unit_price=D(100),
        tax_rate=D("0.13"),
        net_amount=D(100),
        tax_amount=D(13),
        gross_amount=D(113),
    )
    type(ok_order).objects.filter(pk=ok_order.pk).update(
        net_amount=D(100), tax_amount=D(13), gross_amount=D(113)
    )
    bad_terms = order(customer, other_salesperson, payment_terms="net_120")  # no lines either
    draft = order(customer, salesperson, status="draft")
    for model, pk in (
        (Customer, good.pk),
        (Customer, bad.pk),
        (type(ok_order), ok_order.pk),
        (type(ok_order), bad_terms.pk),
        (type(ok_order), draft.pk),
    ):
        _in_february(model, pk)
    february = Period(date(2026, 2, 1), date(2026, 2, 28))
    [total] = value("data_accuracy", february)
    assert (total["numerator"], total["denominator"], total["value"]) == (D(2), D(4), D("50.00"))
    person = {r["person"]: r["value"] for r in value("data_accuracy", february, "person")}
    assert person == {salesperson.pk: D("100.00"), other_salesperson.pk: D("0.00")}
    facts = {f.label: f for f in kpi_records(kpi_get("data_accuracy"), february)}
    assert facts[bad.code].detail["failed"] == ["completeness"]
    assert facts[bad_terms.number].detail["failed"] == ["payment_terms", "lines"]
    assert draft.number not in facts


def _product(actor):
    from salesdesk.catalog.services import product_create

    return product_create(
        actor=actor, data={"sku": "B-6204", "name": "深溝球軸承", "unit": "個", "list_price": "20"}
    )
