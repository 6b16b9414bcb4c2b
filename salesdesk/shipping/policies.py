"""Who sees which shipment: whoever sees its order; logistics and warehouse see all."""

from typing import Any

from django.db.models import Q


def visible_to(user: Any) -> Q:
    if user is None or not user.is_authenticated or not user.has_perm("shipping.view_shipment"):
        return Q(pk__in=[])
    if user.has_perm("shipping.view_all_shipments"):
        return Q()
    from salesdesk.orders.models import Order
    from salesdesk.orders.policies import visible_to as orders_visible_to

    return Q(order__in=Order.objects.filter(orders_visible_to(user)).values("pk"))


def can_see(user: Any, shipment) -> bool:
    from salesdesk.shipping.models import Shipment

    return Shipment.objects.filter(visible_to(user), pk=shipment.pk).exists()
