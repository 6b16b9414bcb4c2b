"""The order review and its holds (O2.1 credit, O2.2 compliance, O2.3 stock)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from salesdesk.audit.models import Event
from salesdesk.catalog.models import Stock
from salesdesk.core import policies
from salesdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from salesdesk.customers.models import Customer
from salesdesk.orders.models import Order
from salesdesk.orders.services import (
    order_approve,
    order_cancel,
    order_compliance_override,
    order_credit_release,
    order_guarantee_record,
    order_reject,
    order_submit,
)


def _submit(order, actor):
    return order_submit(actor=actor, order_id=order.pk)


@pytest.mark.req("O2.1", "O2.2", "O2.3")
def test_clean_order_is_under_review_with_three_passes(make_order, salesperson):
    order = _submit(make_order(), salesperson)
    assert order.status == "under_review" and order.hold_reasons == []
    review = order.reviews.get()
    assert (review.credit, review.compliance, review.stock) == ("pass", "pass", "pass")
    assert review.exposure["this_order"] == str(order.gross_amount)


@pytest.mark.req("O2.1")
def test_over_credit_limit_holds_with_reason(make_order, salesperson, customer):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    order = _submit(make_order(), salesperson)
    assert order.status == "on_hold"
    [reason] = order.hold_reasons
    assert reason["rule"] == "customers.credit_limit" and reason["kind"] == "credit"
    assert Decimal(reason["excess"]) == order.gross_amount - 100
    assert Event.objects.filter(verb="order.held", object_id=order.pk).count() == 1


@pytest.mark.req("O2.1")
def test_exposure_counts_other_approved_orders(make_order, salesperson, sales_admin, customer):
    first = _submit(
        make_order(lines=[{"product": "M-750", "quantity": "1", "unit_price": "50000"}]),
        salesperson,
    )
    order_approve(actor=sales_admin, order_id=first.pk)
    second = _submit(
        make_order(lines=[{"product": "M-750", "quantity": "1", "unit_price": "50000"}]),
        salesperson,
    )
    assert second.status == "on_hold"
    assert Decimal(second.reviews.get().exposure["open_orders"]) == first.gross_amount


@pytest.mark.req("O2.1")
def test_no_credit_limit_holds_unless_prepaid(make_order, salesperson, customer):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=None)
    assert _submit(make_order(), salesperson).status == "on_hold"
    assert _submit(make_order(terms="prepayment"), salesperson).status == "under_review"


@pytest.mark.req("O2.1")
def test_guarantee_must_cover_excess_then_releases(make_order, salesperson, customer):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    order = _submit(make_order(), salesperson)
    excess = Decimal(order.hold_reasons[0]["excess"])
    with pytest.raises(ValidationFailed):
        order_guarantee_record(
            actor=salesperson, order_id=order.pk, kind="deposit", amount=excess - 1
        )
    order.refresh_from_db()
    assert order.status == "on_hold" and not order.guarantees.exists()
    order_guarantee_record(actor=salesperson, order_id=order.pk, kind="deposit", amount=excess)
    order.refresh_from_db()
    assert order.status == "under_review"
    assert order.hold_reasons[0]["resolved"] is True


@pytest.mark.req("O2.1")
def test_credit_release_within_authority_only(
    make_order, salesperson, sales_manager, customer, it_admin
):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    order = _submit(make_order(), salesperson)
    policies.policy_set(
        key="orders.credit_release_limit.sales_manager", raw_value="1", actor=it_admin
    )
    with pytest.raises(PermissionDenied) as info:
        order_credit_release(actor=sales_manager, order_id=order.pk, note="老客戶")
    assert info.value.code == "above_authority"
    order.refresh_from_db()
    assert order.status == "on_hold"
    with pytest.raises(PermissionDenied):
        order_credit_release(actor=salesperson, order_id=order.pk, note="x")
    policies.policy_set(
        key="orders.credit_release_limit.sales_manager", raw_value="100000", actor=it_admin
    )
    order_credit_release(actor=sales_manager, order_id=order.pk, note="老客戶，付款正常")
    order.refresh_from_db()
    assert order.status == "under_review"


@pytest.mark.req("O2.2")
@pytest.mark.parametrize(
    ("setup", "rule"),
    [
        ("blocked", "customers.is_blocked"),
        ("grade_d", "orders.terms_for_grade.D"),
        ("discount", "orders.max_discount.salesperson"),
        ("verbal_cap", "orders.verbal_order_cap"),
    ],
)
def test_compliance_rules_name_themselves(make_order, salesperson, customer, it_admin, setup, rule):
    options = {}
    if setup == "blocked":
        Customer.objects.filter(pk=customer.pk).update(is_blocked=True, blocked_reason="欠款")
    elif setup == "grade_d":
        Customer.objects.filter(pk=customer.pk).update(grade="D")
    elif setup == "discount":
        options["lines"] = [{"product": "B-6204", "quantity": "1", "discount_rate": "0.3"}]
    else:
        policies.policy_set(key="orders.verbal_order_cap", raw_value="10", actor=it_admin)
        options["channel"] = "verbal"
    order = _submit(make_order(**options), salesperson)
    assert order.status == "on_hold"
    assert rule in [f["rule"] for f in order.hold_reasons]


@pytest.mark.req("O2.2")
def test_manager_overrides_compliance_with_reason(make_order, salesperson, sales_manager):
    order = _submit(
        make_order(lines=[{"product": "B-6204", "quantity": "1", "discount_rate": "0.2"}]),
        salesperson,
    )
    rule = "orders.max_discount.salesperson"
    with pytest.raises(PermissionDenied):
        order_compliance_override(actor=salesperson, order_id=order.pk, rule=rule, reason="x")
    with pytest.raises(ValidationFailed):
        order_compliance_override(actor=sales_manager, order_id=order.pk, rule=rule, reason="")
    order.refresh_from_db()
    assert order.status == "on_hold"
    order_compliance_override(
        actor=sales_manager, order_id=order.pk, rule=rule, reason="年度框架協議價"
    )
    order.refresh_from_db()
    assert order.status == "under_review"


@pytest.mark.req("O2.3")
def test_short_stock_is_flagged_not_held(make_order, salesperson):
    order = _submit(make_order(lines=[{"product": "M-750", "quantity": "8"}]), salesperson)
    assert order.status == "under_review"
    review = order.reviews.get()
    assert review.stock == "hold"
    assert review.findings[0]["short"] == "3.000"


@pytest.mark.req("O3.1")
def test_approval_reserves_stock_and_records_shortage(make_order, salesperson, sales_admin):
    order = _submit(make_order(lines=[{"product": "M-750", "quantity": "8"}]), salesperson)
    order = order_approve(actor=sales_admin, order_id=order.pk)
    assert order.status == "approved" and order.approved_by == sales_admin
    line = order.lines.get()
    assert line.reserved_quantity == 5
    assert Stock.objects.get(product__sku="M-750").reserved == 5
    assert Event.objects.get(verb="order.approved").data == {"short_lines": {"1": "3.000"}}


def test_refuses_approval_by_submitter(make_order, sales_admin):
    order = make_order(actor=sales_admin)
    order_submit(actor=sales_admin, order_id=order.pk)
    before = Event.objects.count()
    with pytest.raises(PermissionDenied):
        order_approve(actor=sales_admin, order_id=order.pk)
    order.refresh_from_db()
    assert order.status == "under_review"
    assert Stock.objects.get(product__sku="B-6204").reserved == 0
    assert Event.objects.count() == before


def test_approve_wrong_state_changes_nothing(make_order, sales_admin):
    order = make_order()
    with pytest.raises(InvalidTransition):
        order_approve(actor=sales_admin, order_id=order.pk)
    assert Stock.objects.get(product__sku="B-6204").reserved == 0


def test_reject_needs_reason_and_cancel_releases_stock(make_order, salesperson, sales_admin):
    order = _submit(make_order(), salesperson)
    with pytest.raises(ValidationFailed):
        order_reject(actor=sales_admin, order_id=order.pk, reason=" ")
    order_approve(actor=sales_admin, order_id=order.pk)
    assert Stock.objects.get(product__sku="B-6204").reserved == 10
    order_cancel(actor=salesperson, order_id=order.pk, reason="客戶取消")
    order.refresh_from_db()
    assert order.status == "cancelled" and order.cancel_reason == "客戶取消"
    assert Stock.objects.get(product__sku="B-6204").reserved == 0
    assert Order.objects.filter(pk=order.pk).exists()


def test_auto_approve_clean_orders_by_policy(make_order, salesperson, it_admin):
    Group.objects.get(name="system")
    policies.policy_set(key="orders.auto_approve_clean", raw_value="true", actor=it_admin)
    order = _submit(make_order(), salesperson)
    assert order.status == "approved"
    assert order.approved_by.username == "system"


@pytest.mark.req("O2.1")
def test_finance_releases_credit_hold_within_authority(make_order, salesperson, finance, customer):
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    order = _submit(make_order(), salesperson)
    order_credit_release(actor=finance, order_id=order.pk, note="客戶已匯款")
    order.refresh_from_db()
    assert order.status == "under_review"
    assert order.hold_reasons[0]["resolved_by"] == finance.username


def test_rejected_order_reopens_as_draft(make_order, salesperson, sales_admin):
    from salesdesk.orders.services import order_reopen

    order = _submit(make_order(), salesperson)
    order_reject(actor=sales_admin, order_id=order.pk, reason="價格待確認")
    order_reopen(actor=salesperson, order_id=order.pk, note="改價後重送")
    order.refresh_from_db()
    assert order.status == "draft"


def test_findings_are_shown_in_each_readers_language(make_order, salesperson, customer, client):
    from django.utils import translation

    from salesdesk.orders.review import finding_message

    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100"))
    with translation.override("zh-hans"):
        order = _submit(make_order(), salesperson)
    [reason] = order.hold_reasons
    assert "信用" in reason["message"]  # as first shown, to the submitter
    with translation.override("en"):
        assert finding_message(reason).startswith("Credit exposure")
    with translation.override("zh-hant"):
        assert "額度" in finding_message(reason)
    client.force_login(salesperson)
    body = client.get(f"/api/v1/orders/{order.pk}", headers={"accept-language": "en"}).json()
    assert body["hold_reasons"][0]["message"].startswith("Credit exposure")
    assert body["review"]["findings"][0]["message"].startswith("Credit exposure")
