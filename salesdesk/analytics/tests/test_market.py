"""Market share (A2.2): revenue ÷ the market size of the segment, region and period."""

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.analytics.market import market_size_enter
from salesdesk.analytics.metrics import metric_get
from salesdesk.analytics.models import MarketSize, SalesFact
from salesdesk.analytics.services import rollups_rebuild_range
from salesdesk.analytics.slicing import Period, Slice
from salesdesk.audit.models import Event
from salesdesk.core.errors import PermissionDenied, ValidationFailed

pytestmark = [pytest.mark.django_db, pytest.mark.req("A2.2")]

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def _fact(number, day, category, region, revenue):
    return SalesFact(
        order_date=day,
        order_number=number,
        line_number=1,
        is_first_line=True,
        customer_code="C1",
        region=region,
        sku=f"S-{category}",
        category=category,
        quantity=Decimal(1),
        revenue=Decimal(revenue),
        cost=Decimal(0),
        status="closed",
    )


@pytest.fixture
def market(sales_manager):
    """Q1 2026 sales: bearings East 300 (Jan) + 100 (Feb), motors East 50 (Mar).
    Market sizes: bearings East Jan 1000, Feb 1000, Mar 2000; motors East Q1 500;
    belts East Q1 800 (no sales); all segments East Q1 10,000."""
    SalesFact.objects.bulk_create(
        [
            _fact("A", date(2026, 1, 10), "bearings", "East", "300"),
            _fact("B", date(2026, 2, 10), "bearings", "East", "100"),
            _fact("C", date(2026, 3, 10), "motors", "East", "50"),
        ]
    )
    rollups_rebuild_range(date(2026, 1, 1), date(2026, 3, 31))
    sizes = [
        ("bearings", "2026-01-01", "2026-01-31", "1000"),
        ("bearings", "2026-02-01", "2026-02-28", "1000"),
        ("bearings", "2026-03-01", "2026-03-31", "2000"),
        ("motors", "2026-01-01", "2026-03-31", "500"),
        ("belts", "2026-01-01", "2026-03-31", "800"),
        ("", "2026-01-01", "2026-03-31", "10000"),
    ]
    for segment, start, end, size in sizes:
        market_size_enter(
            actor=sales_manager,
            data={
                "segment": segment,
                "region": "East",
                "period_start": start,
                "period_end": end,
                "size": size,
            },
        )


def share(group_by=(), **values):
    rows = metric_get("market_share").compute(Slice(values=values), Q1, list(group_by))
    return [(*(str(row[d]) for d in group_by), row["value"]) for row in rows]


def test_share_per_segment_region_and_month(market):
    # All segments in East: 450 / 10,000.
    assert share(region="East") == [(Decimal("0.0450"),)]
    # Per segment: bearings 400 / 4000; belts have a market but no sales: 0; motors 50 / 500.
    assert share(["category"], region="East") == [
        ("bearings", Decimal("0.1000")),
        ("belts", Decimal("0.0000")),
        ("motors", Decimal("0.1000")),
    ]
    # Per month, bearings: 300/1000, 100/1000, 0/2000.
    assert share(["month"], region="East", category="bearings") == [
        ("2026-01-01", Decimal("0.3000")),
        ("2026-02-01", Decimal("0.1000")),
        ("2026-03-01", Decimal("0.0000")),
    ]


def test_no_market_size_means_no_share(market):
    assert share() == [(None,)]  # nothing entered for all regions
    assert share(region="West") == [(None,)]


def test_share_cannot_be_sliced_by_customer(market):
    with pytest.raises(ValidationFailed) as error:
        share(["customer"])
    assert error.value.field == "customer" and error.value.code == "unsupported_dimension"


def test_entering_again_corrects_the_size_with_an_event(market, sales_manager):
    entry = market_size_enter(
        actor=sales_manager,
        data={
            "segment": "motors",
            "region": "East",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "size": "250",
        },
    )
    assert MarketSize.objects.filter(segment="motors").count() == 1
    assert entry.size == Decimal("250")
    assert Event.objects.filter(verb="market_size.changed").count() == 1
    assert share(["category"], region="East")[2] == ("motors", Decimal("0.2000"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period_start": "2026-01-01", "period_end": "2025-12-31", "size": "1"}, "period_end"),
        ({"period_start": "next week", "period_end": "2026-01-31", "size": "1"}, "period_start"),
        ({"period_start": "2026-01-01", "period_end": "2026-01-31", "size": "0"}, "size"),
        ({"period_start": "2026-01-01", "period_end": "2026-01-31"}, "size"),
    ],
)
def test_bad_entry_names_the_field_and_changes_nothing(sales_manager, data, field):
    with pytest.raises(ValidationFailed) as error:
        market_size_enter(actor=sales_manager, data=data)
    assert field in error.value.extra["fields"]
    assert not MarketSize.objects.exists() and not Event.objects.exists()


def test_salesperson_may_not_enter_market_sizes(salesperson):
    data = {"period_start": "2026-01-01", "period_end": "2026-01-31", "size": "10"}
    with pytest.raises(PermissionDenied):
        market_size_enter(actor=salesperson, data=data)
    assert not MarketSize.objects.exists() and not Event.objects.exists()


def test_api_enters_lists_and_refuses(client, sales_manager, salesperson):
    client.force_login(sales_manager)
    url = "/api/v1/analytics/market-sizes"
    body = {"segment": "motors", "period_start": "2026-01-01", "period_end": "2026-12-31"}
    response = client.post(url, {**body, "size": "9000.5"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["size"] == "9000.50"
    response = client.post(url, {**body, "size": "-1"}, content_type="application/json")
    assert response.status_code == 422 and "size" in response.json()["extra"]["fields"]
    assert [row["segment"] for row in client.get(url).json()] == ["motors"]
    client.force_login(salesperson)
    assert client.get(url).status_code == 403
    response = client.get(
        "/api/v1/analytics/metrics",
        {"metric": "market_share", "group_by": "product", "from": "2026-01-01", "to": "2026-01-31"},
    )
    assert response.status_code == 422 and response.json()["extra"]["field"] == "product"


def test_page_lists_enters_and_exports(client, sales_manager, salesperson):
    client.force_login(sales_manager)
    url = "/analytics/market-sizes/"
    response = client.post(
        url,
        {"segment": "belts", "region": "", "period_start": "2026-01-01", "period_end": "x"},
    )
    assert response.status_code == 422 and not MarketSize.objects.exists()
    response = client.post(
        url,
        {
            "segment": "belts",
            "region": "",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "size": "1200",
        },
    )
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200 and "belts" in page.content.decode()
    export = client.get(url, {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(salesperson)
    assert client.get(url).status_code == 403
