"""The customer statement (對賬單): balances carry from period to period (U6)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesdesk.core.errors import ValidationFailed
from salesdesk.customers.models import Customer
from salesdesk.finance.services import invoice_from_shipments, payment_record
from salesdesk.finance.statement import statement
from salesdesk.finance.tests.conftest import days_ago, imported_invoice, ship

pytestmark = pytest.mark.req("U6")

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
DOCUMENTS = st.lists(
    st.tuples(st.sampled_from(["invoice", "payment"]), st.integers(0, 120), AMOUNTS),
    max_size=12,
)


def _record(customer, finance, kind: str, days: int, amount: Decimal) -> None:
    if kind == "invoice":
        issued = days_ago(days)
        imported_invoice(
            customer, gross=str(amount), issued=issued, due=issued + timedelta(30), actor=finance
        )
    else:
        payment_record(
            actor=finance,
            customer_id=customer.pk,
            amount=amount,
            received_on=days_ago(days),
            method="bank_transfer",
        )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents=DOCUMENTS, split=st.integers(1, 121), opening=AMOUNTS)
def test_closing_balance_is_opening_plus_invoices_less_payments(
    customer, finance, documents, split, opening
):
    with transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(opening_balance=opening)
        customer.refresh_from_db()
        for kind, days, amount in documents:
            _record(customer, finance, kind, days, amount)
        first = statement(customer, days_ago(130), days_ago(split))
        second = statement(customer, days_ago(split) + timedelta(1), days_ago(0))
        whole = statement(customer, days_ago(130), days_ago(0))
        transaction.set_rollback(True)
    for part in (first, second, whole):
        assert part.closing == part.opening + part.invoiced - part.received
        if part.lines:
            assert part.lines[-1].balance == part.closing
    assert first.closing == second.opening
    assert whole.opening == opening
    invoiced = sum((a for k, _d, a in documents if k == "invoice"), Decimal(0))
    received = sum((a for k, _d, a in documents if k == "payment"), Decimal(0))
    assert whole.closing == second.closing == opening + invoiced - received
    assert len(first.lines) + len(second.lines) == len(documents)


def test_lines_in_date_order_with_shipments_for_information(order10, sales_admin, finance):
    customer = order10.customer
    shipment = ship(order10, {1: "6"})
    invoice = invoice_from_shipments(actor=sales_admin, order_id=order10.pk)
    payment = payment_record(
        actor=finance,
        customer_id=customer.pk,
        amount="100",
        received_on=days_ago(0),
        method="cheque",
        reference="CHQ-9",
    )
    result = statement(customer, days_ago(3), days_ago(0))
    assert [(line.kind, line.number) for line in result.lines] == [
        ("shipment", shipment.number),
        ("invoice", invoice.number),
        ("payment", payment.number),
    ]
    shipped, billed, paid = result.lines
    assert (shipped.quantity, shipped.value, shipped.balance) == (
        Decimal("6.000"),
        Decimal("135.60"),
        Decimal("0.00"),
    )
    assert "深溝球軸承" in shipped.description and shipped.reference == order10.number
    assert (billed.debit, billed.balance) == (Decimal("135.60"), Decimal("135.60"))
    assert (paid.credit, paid.balance, paid.reference) == (
        Decimal("100.00"),
        Decimal("35.60"),
        "CHQ-9",
    )
    assert (result.invoiced, result.received, result.closing) == (
        Decimal("135.60"),
        Decimal("100.00"),
        Decimal("35.60"),
    )


def test_voided_invoices_are_left_out(customer, finance):
    invoice = imported_invoice(
        customer, gross="50.00", issued=days_ago(2), due=days_ago(0), actor=finance
    )
    invoice.status = "voided"
    invoice.save()
    assert statement(customer, days_ago(5), days_ago(0)).lines == []


def test_period_must_not_end_before_it_starts(customer):
    with pytest.raises(ValidationFailed) as info:
        statement(customer, days_ago(0), days_ago(1))
    assert "to" in info.value.extra["fields"]
