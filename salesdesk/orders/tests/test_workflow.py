"""The order transition table over every (state, transition) pair (STYLE: Tests)."""

from django.contrib.auth.models import Permission

from salesdesk.orders.models import Order
from salesdesk.orders.workflow import ORDER
from salesdesk.testing.workflow import assert_transition_table


def test_order_transition_table(make_order, it_admin):
    it_admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="orders"))
    it_admin = type(it_admin).objects.get(pk=it_admin.pk)
    template = make_order()

    def make(state):
        order = Order.objects.get(pk=template.pk)
        order.pk = None
        order.number = f"T-{Order.objects.count()}"
        order.status = state
        order.save()
        return order

    counts = assert_transition_table(ORDER, make_subject=make, actor=it_admin)
    assert counts == {"allowed": 17, "refused": 93}
