"""Order fixtures reused from the orders app: a customer with credit, products in stock."""

from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401
