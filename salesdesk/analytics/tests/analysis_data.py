"""Hand-made sales facts for the analysis and decision tests (A2.1, A4.1)."""

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.services import rollups_rebuild_range

_orders = itertools.count(1)


def fact(
    day: date,
    customer: Any,
    sku: str,
    quantity: Any,
    revenue: Any,
    *,
    category: str = "",
    industry: str = "",
    salesperson: str = "",
) -> SalesFact:
    """One order of one line; `customer` is a Customer or a bare customer code."""
    is_code = isinstance(customer, str)
    return SalesFact(
        order_date=day,
        order_number=f"T{next(_orders):06d}",
        line_number=1,
        is_first_line=True,
        customer=None if is_code else customer,
        customer_code=customer if is_code else customer.code,
        industry=industry or ("" if is_code else customer.industry),
        sku=sku,
        category=category,
        salesperson=salesperson or ("" if is_code else customer.owner.username),
        channel="written",
        quantity=Decimal(str(quantity)),
        revenue=Decimal(str(revenue)),
        cost=Decimal(0),
        status="approved",
    )


def load(*facts: SalesFact) -> None:
    SalesFact.objects.bulk_create(facts)
    days = [f.order_date for f in facts]
    rollups_rebuild_range(min(days), max(days))
