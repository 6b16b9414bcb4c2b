"""Automatic responses (R2.1, R2.3): the order review holds a risky customer's order and
names the rule; contracts of high-risk customers get an extra reviewer."""

from decimal import Decimal

import pytest

from salesdesk.audit.models import Event
from salesdesk.contracts.services import contract_submit
from salesdesk.core import policies
from salesdesk.orders.services import (
    order_compliance_override,
    order_guarantee_record,
    order_submit,
)
from salesdesk.risk.services import risk_transition
from salesdesk.risk.tests.conftest import assessed_risk, stored_score


def _rules(order) -> list[str]:
    return [f["rule"] for f in order.hold_reasons]


@pytest.mark.req("R2.1")
def test_a_high_risk_customers_order_is_held_with_the_rule_named(
    make_order, salesperson, sales_manager, customer
):
    risk = assessed_risk(sales_manager, customer, 4, 4)
    assert risk.level == "high"
    order = order_submit(actor=salesperson, order_id=make_order(terms="net_60").pk)
    assert order.status == "on_hold"
    assert _rules(order) == ["risk.guarantee_required", "risk.shorter_terms"]
    guarantee, terms = order.hold_reasons
    assert guarantee["kind"] == "credit" and Decimal(guarantee["excess"]) == (
        order.gross_amount * Decimal("0.30")
    ).quantize(Decimal("0.01"))
    assert guarantee["risk"] == {
        "level": "high",
        "policy": "risk.order_rules.high",
        "source": "risk",
        "risk": risk.number,
    }
    assert terms["kind"] == "compliance" and "risk.order_rules.high" in terms["message"]
    held = Event.objects.get(verb="order.held", object_id=order.pk)
    assert held.data["rules"] == ["risk.guarantee_required", "risk.shorter_terms"]
    review = order.reviews.get()
    assert (review.credit, review.compliance) == ("hold", "hold")


@pytest.mark.req("R2.1")
def test_the_guarantee_and_an_override_release_the_risk_hold(
    make_order, salesperson, sales_manager, customer
):
    assessed_risk(sales_manager, customer, 4, 4)
    order = order_submit(actor=salesperson, order_id=make_order(terms="net_60").pk)
    share = Decimal(order.hold_reasons[0]["excess"])
    order_guarantee_record(actor=salesperson, order_id=order.pk, kind="deposit", amount=share)
    order.refresh_from_db()
    assert order.status == "on_hold"
    order = order_compliance_override(
        actor=sales_manager, order_id=order.pk, rule="risk.shorter_terms", reason="老客戶, 經理同意"
    )
    assert order.status == "under_review"


@pytest.mark.req("R2.1")
def test_a_low_risk_customers_order_is_not_held(make_order, salesperson, customer, finance):
    stored_score(customer, "low", 92, finance)
    order = order_submit(actor=salesperson, order_id=make_order(terms="net_60").pk)
    assert order.status == "under_review" and order.hold_reasons == []


@pytest.mark.req("R2.1")
def test_a_closed_risk_no_longer_counts(make_order, salesperson, sales_manager, customer):
    risk = assessed_risk(sales_manager, customer, 5, 5)
    risk_transition(actor=sales_manager, risk_id=risk.pk, action="close", note="已結清")
    order = order_submit(actor=salesperson, order_id=make_order().pk)
    assert order.status == "under_review"


@pytest.mark.req("R2.1")
def test_critical_score_allows_prepayment_only(make_order, salesperson, customer, finance):
    stored_score(customer, "critical", 20, finance)
    held = order_submit(actor=salesperson, order_id=make_order(terms="net_30").pk)
    assert _rules(held) == ["risk.prepayment_only"]
    assert held.hold_reasons[0]["risk"]["source"] == "credit_score"
    paid_first = order_submit(actor=salesperson, order_id=make_order(terms="prepayment").pk)
    assert paid_first.status == "under_review"


@pytest.mark.req("R2.1")
def test_block_holds_even_prepaid_orders(make_order, salesperson, customer, finance, it_admin):
    policies.policy_set(key="risk.order_rules.critical", raw_value=["block"], actor=it_admin)
    stored_score(customer, "critical", 10, finance)
    order = order_submit(actor=salesperson, order_id=make_order(terms="prepayment").pk)
    assert order.status == "on_hold" and _rules(order) == ["risk.blocked"]


def _reviewers(contract) -> set[str]:
    contract.refresh_from_db()
    return set(contract.reviews.filter(round=contract.review_round).values_list("role", flat=True))


@pytest.mark.req("R2.3")
def test_a_high_risk_customers_contract_gets_an_extra_reviewer(
    draft, sales_admin, sales_manager, customer
):
    assessed_risk(sales_manager, customer, 4, 4, category="contract_legal")
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert _reviewers(draft) == {"legal", "finance", "management"}


@pytest.mark.req("R2.3")
def test_a_low_risk_customers_contract_keeps_the_usual_reviewers(
    draft, sales_admin, customer, finance
):
    stored_score(customer, "medium", 70, finance)
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert _reviewers(draft) == {"legal", "finance"}


@pytest.mark.req("R2.3")
def test_the_extra_reviewers_are_a_policy(draft, sales_admin, customer, finance, it_admin):
    policies.policy_set(
        key="risk.contract_reviewers.medium",
        raw_value=["legal", "management", "nobody"],
        actor=it_admin,
    )
    stored_score(customer, "medium", 70, finance)
    contract_submit(actor=sales_admin, contract_id=draft.pk)
    assert _reviewers(draft) == {"legal", "finance", "management"}
