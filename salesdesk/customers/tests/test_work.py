"""Customers due for a data check wait in their owner's work queue (C2.2)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from salesdesk.core import policies
from salesdesk.customers.models import Customer
from salesdesk.customers.tests.factories import enterprise
from salesdesk.workqueue.registry import items_for

pytestmark = pytest.mark.req("C2.2")


def _age(customer, days):
    Customer.objects.filter(pk=customer.pk).update(
        last_verified_at=timezone.now() - timedelta(days=days)
    )


def test_stale_customer_is_an_overdue_item_for_its_owner(salesperson, other_salesperson):
    fresh, stale = enterprise(salesperson), enterprise(salesperson)
    _age(stale, 200)
    items = [i for i in items_for(salesperson) if i.key.startswith("customers.verify")]
    assert [i.key for i in items] == [f"customers.verify:{stale.pk}"]
    assert items[0].is_overdue()
    assert fresh.pk != stale.pk
    assert not [i for i in items_for(other_salesperson) if i.key.startswith("customers.verify")]


def test_item_appears_within_notice_period_and_follows_policy(salesperson, it_admin):
    customer = enterprise(salesperson)
    _age(customer, 170)
    item = next(i for i in items_for(salesperson) if i.key.startswith("customers.verify"))
    assert not item.is_overdue()
    policies.policy_set(key="customers.verify_days", raw_value=365, actor=it_admin)
    assert not [i for i in items_for(salesperson) if i.key.startswith("customers.verify")]


def test_many_stale_customers_collapse_into_one_item(salesperson):
    for _n in range(21):
        _age(enterprise(salesperson), 300)
    items = [i for i in items_for(salesperson) if i.key.startswith("customers.verify")]
    assert len(items) == 1 and "21" in str(items[0].title)
