"""A small hand-computed sales history for report packs (A3.1).

March 2025 (the pack's period):  C1 華東/軸承/alice/truck 10×100 cost 60 (on time),
                                 C2 華南/馬達/bob/rail 5×100 cost 80 (late).
                                 Revenue 1,500.00, margin 500.00 (33.3%), on time 50%.
February 2025 (previous):        C1 華東/軸承/alice 8×100 cost 60; C2 華南/馬達/bob 10×100
                                 cost 50; C3 華南/軸承/bob 2×100 cost 50.
                                 Revenue 2,000.00, margin 920.00 (46.0%).
January 2025:                    C1 and C2 one line each of 100 (so February's churn is 0 and
                                 March's is 1/3).
March 2024 (a year before):      C1 12×100 cost 50 (revenue 1,200.00).
"""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.accounts.tests.factories import UserFactory
from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.services import rollups_rebuild_range

SEGMENTS = {
    "C1": {"region": "華東", "category": "軸承", "salesperson": "alice"},
    "C2": {"region": "華南", "category": "馬達", "salesperson": "bob"},
    "C3": {"region": "華南", "category": "軸承", "salesperson": "bob"},
}


def fact(number, day, customer, quantity, price, unit_cost, **extra):
    quantity, price = Decimal(quantity), Decimal(price)
    return SalesFact(
        order_date=day,
        order_number=number,
        line_number=1,
        is_first_line=True,
        customer_code=customer,
        industry="machinery",
        country="CN",
        province="Fujian",
        sku=f"SKU-{customer}",
        channel="written",
        quantity=quantity,
        revenue=quantity * price,
        cost=quantity * Decimal(unit_cost),
        status="delivered",
        **SEGMENTS[customer],
        **extra,
    )


@pytest.fixture
def sales_history(db):
    facts = [
        fact(
            "M1",
            date(2025, 3, 5),
            "C1",
            10,
            100,
            60,
            ship_mode="truck",
            promised_date=date(2025, 3, 10),
            delivery_date=date(2025, 3, 9),
        ),
        fact(
            "M2",
            date(2025, 3, 6),
            "C2",
            5,
            100,
            80,
            ship_mode="rail",
            promised_date=date(2025, 3, 15),
            delivery_date=date(2025, 3, 20),
        ),
        fact("F1", date(2025, 2, 3), "C1", 8, 100, 60),
        fact("F2", date(2025, 2, 4), "C2", 10, 100, 50),
        fact("F3", date(2025, 2, 5), "C3", 2, 100, 50),
        fact("J1", date(2025, 1, 10), "C1", 1, 100, 60),
        fact("J2", date(2025, 1, 11), "C2", 1, 100, 60),
        fact("Y1", date(2024, 3, 12), "C1", 12, 100, 50),
    ]
    SalesFact.objects.bulk_create(facts)
    rollups_rebuild_range(date(2024, 1, 1), date(2025, 12, 31))
    return facts


@pytest.fixture
def management(db):
    return UserFactory(username="boss", roles=["management"], department__code="management")
