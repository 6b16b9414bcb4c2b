"""Payments and their allocation to invoices: oldest due first, never more than either side
has open, refusals change nothing (U1, U6)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from salesdesk.audit.models import Event
from salesdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from salesdesk.customers.tests.factories import enterprise
from salesdesk.finance.models import Invoice, Payment, PaymentAllocation
from salesdesk.finance.services import payment_allocate, payment_record
from salesdesk.finance.tests.conftest import days_ago, imported_invoice

pytestmark = pytest.mark.req("U1", "U6")


@pytest.fixture
def three(customer, finance):
    """Invoices of 100, 200 and 300 due 40, 10 and 70 days ago (created in that order)."""
    return [
        imported_invoice(customer, gross=g, issued=days_ago(d + 30), due=days_ago(d), actor=finance)
        for g, d in (("100.00", 40), ("200.00", 10), ("300.00", 70))
    ]


def _pay(actor, customer, amount, allocations=None, **extra):
    return payment_record(
        actor=actor,
        customer_id=customer.pk,
        amount=amount,
        received_on=days_ago(0),
        method="bank_transfer",
        allocations=allocations,
        **extra,
    )


def _state() -> tuple:
    return (
        Payment.objects.count(),
        PaymentAllocation.objects.count(),
        Event.objects.count(),
        sorted(Invoice.objects.values_list("pk", "paid_amount")),
    )


def test_payment_is_allocated_to_the_oldest_due_invoices_first(three, customer, finance):
    first, second, third = three
    payment = _pay(finance, customer, "350.00", reference="CMB-001")
    assert payment.number.startswith("PAY-")
    assert payment.allocated_amount == Decimal("350.00")
    paid = {i.pk: i.paid_amount for i in Invoice.objects.all()}
    assert paid == {third.pk: Decimal("300.00"), first.pk: Decimal("50.00"), second.pk: 0}
    event = Event.objects.get(verb="payment.recorded")
    assert event.data["allocations"] == [
        {"invoice": third.number, "amount": "300.00"},
        {"invoice": first.number, "amount": "50.00"},
    ]


def test_surplus_stays_unallocated_and_is_allocated_later(three, customer, finance):
    payment = _pay(finance, customer, "700.00")
    assert payment.allocated_amount == Decimal("600.00")
    assert payment.unallocated_amount == Decimal("100.00")
    with pytest.raises(Conflict) as info:
        payment_allocate(actor=finance, payment_id=payment.pk)
    assert info.value.code == "nothing_to_allocate"
    newer = imported_invoice(
        customer, gross="80.00", issued=days_ago(1), due=days_ago(-29), actor=finance
    )
    payment_allocate(actor=finance, payment_id=payment.pk)
    newer.refresh_from_db()
    payment.refresh_from_db()
    assert newer.paid_amount == Decimal("80.00") and payment.allocated_amount == Decimal("680.00")
    assert Event.objects.filter(verb="payment.allocated").count() == 1


def test_explicit_allocations(three, customer, finance):
    first, second, _third = three
    payment = _pay(finance, customer, "150.00", allocations=[(second.pk, "120"), (first.pk, "30")])
    assert sorted(payment.allocations.values_list("invoice_id", "amount")) == [
        (first.pk, Decimal("30.00")),
        (second.pk, Decimal("120.00")),
    ]


@pytest.mark.parametrize(
    ("allocations", "code"),
    [
        ("more_than_payment", "over_allocation"),
        ("more_than_invoice", "over_allocation"),
        ("other_customer", "invalid_allocation"),
        ("voided", "invalid_allocation"),
    ],
)
def test_over_allocation_is_refused_with_nothing_changed(
    three, customer, finance, salesperson, allocations, code
):
    first, second, _third = three
    other = enterprise(salesperson)
    foreign = imported_invoice(
        other, gross="50.00", issued=days_ago(5), due=days_ago(1), actor=finance
    )
    if allocations == "voided":
        Invoice.objects.filter(pk=second.pk).update(status="voided")
    pairs = {
        "more_than_payment": [(first.pk, "60"), (second.pk, "50")],
        "more_than_invoice": [(first.pk, "100.01")],
        "other_customer": [(foreign.pk, "10")],
        "voided": [(second.pk, "10")],
    }[allocations]
    before = _state()
    with pytest.raises(ValidationFailed) as info:
        _pay(finance, customer, "101.00", allocations=pairs)
    assert info.value.code == code
    assert _state() == before


def test_later_allocation_over_the_open_amount_is_refused(three, customer, finance):
    first = three[0]
    payment = _pay(finance, customer, "100.00", allocations=[(first.pk, "40")])
    _pay(finance, customer, "60.00", allocations=[(first.pk, "60")])
    before, row = _state(), model_to_dict(Payment.objects.get(pk=payment.pk))
    with pytest.raises(ValidationFailed) as info:
        payment_allocate(actor=finance, payment_id=payment.pk, allocations=[(first.pk, "0.01")])
    assert info.value.code == "over_allocation"
    assert _state() == before and model_to_dict(Payment.objects.get(pk=payment.pk)) == row


def test_payment_input_is_checked(customer, finance):
    before = _state()
    with pytest.raises(ValidationFailed) as info:
        payment_record(
            actor=finance,
            customer_id=customer.pk,
            amount="-5",
            received_on="2999-01-01",
            method="bitcoin",
        )
    assert set(info.value.extra["fields"]) == {"amount", "received_on", "method"}
    with pytest.raises(ValidationFailed):
        _pay(finance, customer, "10.005")
    assert _state() == before


def test_only_finance_records_and_allocates(three, customer, finance, sales_admin, salesperson):
    payment = _pay(finance, customer, "10.00", allocations=[])
    before = _state()
    for person in (sales_admin, salesperson):
        with pytest.raises(PermissionDenied):
            _pay(person, customer, "10.00")
        with pytest.raises(PermissionDenied):
            payment_allocate(actor=person, payment_id=payment.pk)
    assert _state() == before


def test_unknown_customer_is_not_found(finance):
    with pytest.raises(NotFound):
        payment_record(
            actor=finance,
            customer_id=999999,
            amount="1",
            received_on=days_ago(0),
            method="cash",
        )
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_payments_never_allocate_more_than_the_invoice_has_open(customer, finance):
    """Eight payments of 30 race for one invoice of 100: it ends paid exactly, never more."""
    invoice = imported_invoice(
        customer, gross="100.00", issued=days_ago(10), due=days_ago(1), actor=finance
    )
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    def pay():
        try:
            barrier.wait(timeout=30)
            _pay(finance, customer, "30.00")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    invoice.refresh_from_db()
    allocated = sorted(Payment.objects.values_list("allocated_amount", flat=True))
    assert invoice.paid_amount == Decimal("100.00")
    assert sum(allocated) == Decimal("100.00") and len(allocated) == 8
    assert allocated == [Decimal("0.00")] * 4 + [Decimal("10.00")] + [Decimal("30.00")] * 3
