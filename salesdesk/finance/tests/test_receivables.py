"""Receivables per customer, ageing buckets per customer and salesperson, and the credit
exposure of the order review fed by them (U6, O2.1)."""

from decimal import Decimal

import pytest

from salesdesk.customers.models import Customer
from salesdesk.customers.tests.factories import enterprise
from salesdesk.finance.ageing import ageing
from salesdesk.finance.selectors import receivables
from salesdesk.finance.services import invoice_from_shipments, payment_record
from salesdesk.finance.tests.conftest import days_ago, imported_invoice, ship
from salesdesk.orders.review import exposure_of
from salesdesk.orders.services import order_submit

pytestmark = pytest.mark.req("U6", "O2.1")


@pytest.fixture
def book(customer, salesperson, other_salesperson, finance):
    """Customer A (sales1): one open amount per bucket, one partly paid; B (sales2): one."""
    other = enterprise(other_salesperson, legal_name="廈門海灣貿易有限公司")
    for gross, due in (
        ("100.00", -10),  # not yet due
        ("200.00", 0),  # due today: not overdue
        ("300.00", 15),
        ("400.00", 45),
        ("500.00", 75),
        ("600.00", 120),
        ("700.00", 200),
    ):
        imported_invoice(
            customer, gross=gross, issued=days_ago(due + 30), due=days_ago(due), actor=finance
        )
    imported_invoice(other, gross="1000.00", issued=days_ago(70), due=days_ago(40), actor=finance)
    payment_record(
        actor=finance,
        customer_id=customer.pk,
        amount="650.00",
        received_on=days_ago(3),
        method="bank_transfer",
    )
    return {"a": customer, "b": other}


def test_receivables_of_a_customer(book, finance):
    owed = receivables(book["a"])
    # 650 paid the 700 due 200 days ago first: 50 of it remains.
    assert owed.unpaid == Decimal("2150.00")
    assert owed.overdue == Decimal("1850.00")
    assert owed.oldest_overdue_days == 200
    assert (owed.unallocated, owed.balance) == (Decimal("0.00"), Decimal("2150.00"))


def test_receivables_as_of_an_earlier_day_ignore_later_payments(book):
    owed = receivables(book["a"], as_of=days_ago(5))
    assert owed.unpaid == Decimal("2800.00")
    assert owed.oldest_overdue_days == 195


def test_ageing_buckets_per_customer(book, finance):
    report = ageing(user=finance, group_by="customer")
    rows = {row.key: row for row in report.rows}
    a, b = rows[book["a"].pk], rows[book["b"].pk]
    assert a.buckets == {
        "not_due": Decimal("300.00"),
        "days_0_30": Decimal("300.00"),
        "days_31_60": Decimal("400.00"),
        "days_61_90": Decimal("500.00"),
        "days_91_180": Decimal("600.00"),
        "over_180": Decimal("50.00"),
    }
    assert (a.total, a.overdue, a.oldest_overdue_days) == (
        Decimal("2150.00"),
        Decimal("1850.00"),
        200,
    )
    assert (b.buckets["days_31_60"], b.total, b.code) == (
        Decimal("1000.00"),
        Decimal("1000.00"),
        book["b"].code,
    )
    assert report.total == Decimal("3150.00") and report.totals["days_31_60"] == Decimal("1400.00")


def test_ageing_per_salesperson_is_scoped_to_own_customers(book, salesperson, finance):
    everyone = ageing(user=finance, group_by="salesperson")
    assert [(row.code, row.total) for row in everyone.rows] == [
        ("sales1", Decimal("2150.00")),
        ("sales2", Decimal("1000.00")),
    ]
    own = ageing(user=salesperson, group_by="salesperson")
    assert [(row.code, row.total) for row in own.rows] == [("sales1", Decimal("2150.00"))]
    assert [row.key for row in ageing(user=salesperson).rows] == [book["a"].pk]


def test_ageing_needs_the_permission(book, outsider, warehouse):
    assert ageing(user=outsider).rows == [] and ageing(user=warehouse).rows == []


def test_exposure_counts_unpaid_invoices(make_order, customer, finance):
    imported_invoice(customer, gross="500.00", issued=days_ago(1), due=days_ago(-29), actor=finance)
    exposure = exposure_of(make_order())
    assert exposure.unpaid_invoices == Decimal("500.00")
    assert exposure.overdue_amount == Decimal("0.00")


def test_exposure_counts_open_orders_less_what_was_invoiced(order10, make_order, sales_admin):
    ship(order10, {1: "6"})
    invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    exposure = exposure_of(make_order())
    assert exposure.open_orders == Decimal("90.40")
    assert exposure.unpaid_invoices == Decimal("135.60")
    assert exposure.total == Decimal("226.00") + exposure.this_order


def test_unallocated_payments_lower_the_exposure(make_order, customer, finance):
    imported_invoice(customer, gross="500.00", issued=days_ago(1), due=days_ago(-29), actor=finance)
    payment_record(
        actor=finance,
        customer_id=customer.pk,
        amount="800.00",
        received_on=days_ago(0),
        method="cash",
    )
    assert exposure_of(make_order()).unpaid_invoices == Decimal("-300.00")


def test_an_overdue_invoice_holds_a_new_order(make_order, customer, salesperson, finance):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("1000000"))
    imported_invoice(customer, gross="80.00", issued=days_ago(45), due=days_ago(15), actor=finance)
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    assert order.status == "on_hold"
    [reason] = order.hold_reasons
    assert (reason["rule"], reason["kind"], reason["excess"]) == (
        "receivables.overdue",
        "credit",
        "80.00",
    )
    exposure = order.reviews.get().exposure
    assert (exposure["unpaid_invoices"], exposure["overdue_days"]) == ("80.00", "15")
