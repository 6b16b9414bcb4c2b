"""The credit score (R1.2): monotonic in days past due, a hand-computed example, levels,
the worker's daily run and its history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from salesdesk.core import policies
from salesdesk.core.errors import PermissionDenied
from salesdesk.finance.services import payment_record
from salesdesk.finance.tests.conftest import imported_invoice
from salesdesk.risk.models import CreditScore
from salesdesk.risk.scoring import ScoreInputs, inputs_for, level_of_score, score_of
from salesdesk.risk.services import credit_score_compute, credit_scores_recompute
from salesdesk.risk.tasks import credit_scores_recompute_task

pytestmark = pytest.mark.req("R1.2")

days = st.integers(min_value=0, max_value=2000)
others = st.fixed_dictionaries(
    {
        "overdue_share": st.floats(min_value=0, max_value=1),
        "history_months": st.integers(min_value=0, max_value=120),
        "utilisation": st.one_of(st.none(), st.floats(min_value=0, max_value=5)),
        "complaints": st.integers(min_value=0, max_value=20),
    }
)


@given(first=days, second=days, average_share=st.floats(min_value=0, max_value=1), rest=others)
@settings(max_examples=300, deadline=None)
def test_score_never_rises_with_days_past_due(first, second, average_share, rest):
    low, high = sorted((first, second))
    # The average can never exceed the maximum; both grow together here.
    before = ScoreInputs(max_days_past_due=low, average_days_past_due=low * average_share, **rest)
    after = ScoreInputs(max_days_past_due=high, average_days_past_due=high * average_share, **rest)
    assert 0 <= score_of(after) <= score_of(before) <= 100


@given(base=days, extra=days, rest=others)
@settings(max_examples=200, deadline=None)
def test_score_never_rises_with_the_average_alone(base, extra, rest):
    worst = base + extra
    assert score_of(
        ScoreInputs(max_days_past_due=worst, average_days_past_due=base + extra, **rest)
    ) <= score_of(ScoreInputs(max_days_past_due=worst, average_days_past_due=base, **rest))


def _ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def test_hand_computed_example(customer, finance, sales_admin):
    """A: 1000 due 70 days ago, unpaid (70 days). B: 3000 due 30 days ago, paid 20 days ago
    (10 days late). First invoice 100 days ago (3 months). Limit 100000, exposure 1000.
    Points off: max 30×70/90 = 23.33; average (1000×70+3000×10)/4000 = 25 → 20×25/60 = 8.33;
    overdue share 1000/1000 → 20; history 10×(1−3/24) = 8.75; utilisation 1 % → 0;
    complaints → 0. Score 100 − 60.42 = 39.58 → 40: high risk (below 60, not below 40)."""
    imported_invoice(customer, gross="1000", issued=_ago(100), due=_ago(70), actor=finance)
    paid = imported_invoice(customer, gross="3000", issued=_ago(60), due=_ago(30), actor=finance)
    payment_record(
        actor=finance,
        customer_id=customer.pk,
        amount="3000",
        received_on=_ago(20),
        method="bank_transfer",
        allocations=[(paid.pk, "3000")],
    )
    inputs = inputs_for(customer)
    assert (inputs.max_days_past_due, inputs.average_days_past_due) == (70, 25.0)
    assert (inputs.overdue_amount, inputs.open_receivables, inputs.overdue_share) == (
        "1000.00",
        "1000.00",
        1.0,
    )
    assert (inputs.history_months, inputs.utilisation, inputs.complaints) == (3, 0.01, 0)
    assert inputs.exposure == "1000.00" and inputs.credit_limit == "100000.00"
    assert score_of(inputs) == 40
    score = credit_score_compute(actor=finance, customer_id=customer.pk)
    assert (score.score, score.level) == (40, "high")
    assert score.inputs["penalties"]["max_days_past_due"] == 23.33
    assert score.inputs["max_days_past_due"] == 70


def test_a_new_customer_without_history_is_low_risk(customer):
    inputs = inputs_for(customer)
    assert inputs == ScoreInputs(
        exposure="0.00", credit_limit="100000.00", utilisation=0.0, lookback_days=365
    )
    assert score_of(inputs) == 90 and level_of_score(90) == "low"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "critical"),
        (39, "critical"),
        (40, "high"),
        (59, "high"),
        (60, "medium"),
        (79, "medium"),
        (80, "low"),
        (100, "low"),
    ],
)
def test_score_levels_follow_the_policy_thresholds(db, score, level):
    assert level_of_score(score) == level


def test_thresholds_are_a_policy(it_admin):
    policies.policy_set(key="risk.score_below.medium", raw_value=95, actor=it_admin)
    assert level_of_score(90) == "medium"


def test_the_worker_scores_customers_with_orders_or_invoices_and_keeps_history(
    customer, make_order, finance, salesperson, system_user
):
    from salesdesk.customers.tests.factories import enterprise

    enterprise(salesperson, legal_name="沒有交易的公司")
    make_order()
    assert credit_scores_recompute_task.call() == 1
    assert credit_scores_recompute(actor=system_user) == 1
    assert list(CreditScore.objects.values_list("customer_id", flat=True)) == [customer.pk] * 2
    # The timeline shows the level once, not every night.
    from salesdesk.audit.models import Event

    assert (
        Event.objects.filter(verb="credit_score.level_changed", object_id=customer.pk).count() == 1
    )


def test_recompute_needs_the_permission(customer, salesperson):
    with pytest.raises(PermissionDenied):
        credit_score_compute(actor=salesperson, customer_id=customer.pk)
    assert CreditScore.objects.count() == 0


def test_utilisation_counts_open_orders_and_no_limit_counts_as_full(
    customer, make_order, sales_admin
):
    from salesdesk.customers.models import Customer
    from salesdesk.orders.services import order_approve, order_submit

    order = make_order(lines=[{"product": "B-6204", "quantity": "100", "unit_price": "700"}])
    order_submit(actor=order.salesperson, order_id=order.pk)
    order_approve(actor=sales_admin, order_id=order.pk)
    inputs = inputs_for(customer)
    assert Decimal(inputs.exposure) == order.gross_amount
    assert inputs.utilisation == round(float(order.gross_amount / Decimal(100000)), 4)
    Customer.objects.filter(pk=customer.pk).update(credit_limit=None)
    customer.refresh_from_db()
    assert inputs_for(customer).utilisation is None
