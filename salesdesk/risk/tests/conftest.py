"""Risk fixtures: the order fixtures (a customer with credit, products), contract fixtures,
and helpers to make a customer high risk through the register or a stored score."""

from itertools import count

import pytest
from django.utils import timezone

from salesdesk.contracts.tests.conftest import (  # noqa: F401
    approved_order,
    boss,
    contract_type,
    draft,
)
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401
from salesdesk.risk.models import CreditScore, Risk
from salesdesk.risk.services import risk_assess, risk_create

_serial = count(1)


def raw_risk(*, owner, status="identified", **fields) -> Risk:
    """A risk in any state, made with the ORM (for the transition table)."""
    return Risk.objects.create(
        number=f"RSK-TEST-{next(_serial):04d}",
        title=fields.pop("title", "交期延誤風險"),
        category=fields.pop("category", "order_execution"),
        owner=owner,
        created_by=owner,
        status=status,
        response_plan=fields.pop("response_plan", "每週追蹤"),
        contingency_plan=fields.pop("contingency_plan", "改由備用供應商生產"),
        **fields,
    )


def assessed_risk(actor, customer, likelihood: int, impact: int, **data) -> Risk:  # noqa: F811
    risk = risk_create(
        actor=actor,
        data={
            "title": "客戶信用風險",
            "category": "customer_credit",
            "customer": customer.pk,
            **data,
        },
    )
    return risk_assess(actor=actor, risk_id=risk.pk, likelihood=likelihood, impact=impact)


def stored_score(customer, level: str, score: int, actor) -> CreditScore:  # noqa: F811
    return CreditScore.objects.create(
        customer=customer,
        score=score,
        level=level,
        inputs={},
        computed_at=timezone.now(),
        computed_by=actor,
    )


@pytest.fixture
def risk(sales_manager, customer):  # noqa: F811
    return risk_create(
        actor=sales_manager,
        data={
            "title": "大客戶付款延遲",
            "category": "customer_credit",
            "customer": customer.pk,
            "response_plan": "縮短賬期",
            "contingency_plan": "停止發貨並啟動催收",
        },
    )
