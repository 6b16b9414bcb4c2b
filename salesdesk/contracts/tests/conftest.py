"""Contract fixtures: the demo sales template, an approved order, reviewers."""

import pytest

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.contracts.demo import SALES_TEMPLATE
from salesdesk.contracts.models import ContractType
from salesdesk.orders.services import order_approve, order_submit
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401


@pytest.fixture
def contract_type(db):
    return ContractType.objects.create(code="sales", name="銷售合同", template=SALES_TEMPLATE)


@pytest.fixture
def approved_order(make_order, salesperson, sales_admin):  # noqa: F811
    order = make_order(lines=[{"product": "B-6204", "quantity": "10", "unit_price": "20"}])
    order_submit(actor=salesperson, order_id=order.pk)
    return order_approve(actor=sales_admin, order_id=order.pk)


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", roles=["management"], department__code="management")


@pytest.fixture
def draft(contract_type, approved_order, sales_admin, customer):  # noqa: F811
    from salesdesk.contracts.services import contract_draft

    return contract_draft(
        actor=sales_admin,
        contract_type_id=contract_type.pk,
        customer_id=customer.pk,
        order_ids=[approved_order.pk],
        data={"end_date": "2027-12-31"},
    )
