"""What one history import run shares between its three files (A1.1).

The importers of a run are classes made per run (`bind`) so the imports framework can create
them as usual while they share this state: the dry-run flag, the counts per file, the
customer and product maps of the order lines (code → attributes, loaded once; about 150,000
small tuples at full size) and the range of order dates the run touched.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from salesdesk.accounts.roles import SYSTEM_USERNAME
from salesdesk.catalog.models import Product
from salesdesk.customers.models import Customer


class CustomerInfo(NamedTuple):
    id: int | None
    industry: str
    country: str
    region: str
    province: str
    city: str
    salesperson: str


class ProductInfo(NamedTuple):
    category: str
    standard_cost: Decimal | None


@dataclass
class FileCounts:
    """Rows of one file: read this run, created, already present, not counted, with errors."""

    read: int = 0
    created: int = 0
    present: int = 0
    not_counted: int = 0
    errors: int = 0
    resumed_after: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class RunState:
    actor: Any
    dry_run: bool = False
    counts: dict[str, FileCounts] = field(default_factory=dict)
    # Rows a dry run would create: the order lines of the same dry run must find them.
    new_customers: dict[str, CustomerInfo] = field(default_factory=dict)
    new_products: dict[str, ProductInfo] = field(default_factory=dict)
    customers: dict[str, CustomerInfo] | None = None
    products: dict[str, ProductInfo] | None = None
    first_day: date | None = None
    last_day: date | None = None

    def touch(self, first: date, last: date) -> None:
        self.first_day = first if self.first_day is None else min(self.first_day, first)
        self.last_day = last if self.last_day is None else max(self.last_day, last)

    def customer_map(self) -> dict[str, CustomerInfo]:
        if self.customers is None:
            self.customers = _load_customers()
            self.customers.update(self.new_customers)
        return self.customers

    def product_map(self) -> dict[str, ProductInfo]:
        if self.products is None:
            self.products = {
                sku.upper(): ProductInfo(category, cost)
                for sku, category, cost in Product.objects.values_list(
                    "sku", "category", "standard_cost"
                ).iterator(chunk_size=5000)
            }
            self.products.update(self.new_products)
        return self.products


def _load_customers() -> dict[str, CustomerInfo]:
    """Every customer's code → the attributes its facts carry; repeated texts are shared."""
    shared: dict[str, str] = {}

    def one(text: str) -> str:
        return shared.setdefault(text, text)

    rows = Customer.objects.values_list(
        "code", "pk", "industry", "country", "region", "province", "city", "owner__username"
    ).iterator(chunk_size=5000)
    return {
        code: CustomerInfo(
            pk,
            one(industry),
            one(country),
            one(region),
            one(province),
            one(city),
            one("" if owner == SYSTEM_USERNAME else owner),
        )
        for code, pk, industry, country, region, province, city, owner in rows
    }
