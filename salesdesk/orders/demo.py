"""Demo orders in several states, so every queue has something in it (issue #4)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from salesdesk.accounts.models import User
from salesdesk.core import demo
from salesdesk.customers.models import Customer
from salesdesk.orders.services import order_approve, order_create, order_submit


def _lines(*items):
    return [{"product": sku, "quantity": str(qty)} for sku, qty in items]


@demo.register("orders.sample", order=50)
def load_orders(actor, stdout) -> None:
    seller = User.objects.filter(username="sales1").first()
    admin = User.objects.filter(username="salesadmin").first()
    customers = list(Customer.objects.filter(owner=seller).order_by("pk")[:4])
    if seller is None or admin is None or len(customers) < 4:
        return
    for customer in customers[:3]:
        Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("500000"))
    soon = (timezone.localdate() + timedelta(days=21)).isoformat()

    def make(customer, channel, items, terms="net_30"):
        return order_create(
            actor=seller,
            customer_id=customer.pk,
            lines=_lines(*items),
            data={"channel": channel, "payment_terms": terms, "requested_delivery_date": soon},
        )

    make(customers[0], "written", [("B-6204", 200), ("C-5M", 50)])  # a draft
    verbal = make(customers[1], "verbal", [("S-24", 10)])  # waits for written confirmation
    order_submit(actor=seller, order_id=verbal.pk)
    approved = make(customers[2], "electronic", [("M-750", 20), ("D-750", 20)])
    order_submit(actor=seller, order_id=approved.pk)
    order_approve(actor=admin, order_id=approved.pk)  # short motors → production
    held = make(customers[3], "written", [("PLC-32", 2)])  # no credit limit → on hold
    order_submit(actor=seller, order_id=held.pk)
    stdout.write("  4 demo orders (draft, verbal under review, approved, on hold)\n")
