import pytest

from salesdesk.customers.tests.factories import enterprise
from salesdesk.orders.tests.conftest import make_order, products  # noqa: F401


@pytest.fixture
def customer(salesperson):
    return enterprise(salesperson, legal_name="福建精工股份有限公司")


@pytest.fixture
def other_customer(other_salesperson):
    return enterprise(other_salesperson, legal_name="廈門海灣貿易有限公司")
