"""The three files of a history import as `Importer`s of the imports framework (A1.1).

`all_or_nothing = False`: each batch commits on its own, so an interrupted run keeps what it
wrote and resumes after the last committed line. Every write is idempotent: a customer code,
SKU or (order_number, line_number) already in the database is counted as "already present"
and left as it is, so re-reading a file never duplicates a row. Nothing here goes through a
workflow, numbering, notification or per-row event: history is recorded, not re-enacted.
"""

from datetime import datetime, time
from typing import Any, NamedTuple

from django.db import connection
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.models import User
from salesdesk.accounts.services import system_user
from salesdesk.analytics.history.parsing import BadCell, bounded, parse_date
from salesdesk.analytics.history.state import CustomerInfo, FileCounts, ProductInfo, RunState
from salesdesk.catalog.models import Product
from salesdesk.catalog.services import clean_product
from salesdesk.core.errors import ValidationFailed
from salesdesk.customers.duplicates import name_search_keys
from salesdesk.customers.importing import _choice_aliases, completeness_of
from salesdesk.customers.models import Country, Customer, CustomerKind, CustomerStage
from salesdesk.imports.base import Column, Importer, RowError, ValidRow

PERMISSION = "customers.import_history"
BATCH_SIZE = 5000
IN_CHUNK = 900  # values per IN (…) list, under SQLite's old 999-parameter limit

CUSTOMER_COLUMNS = (
    Column("customer_code", _("Customer number in the old system, at most 30 characters."), True),
    Column("name", _("Registered name, at most 200 characters."), True),
    Column("kind", _("enterprise (default) or individual.")),
    Column("industry", _("Industry, at most 60 characters.")),
    Column("country", _("CN, TW, HK, MO or XX (other); empty: CN.")),
    Column("region", _("Sales region such as 華東 or 北部, at most 40 characters.")),
    Column("province", _("Province, at most 40 characters.")),
    Column("city", _("City, at most 40 characters.")),
    Column("salesperson", _("Username of the owner; unknown or empty: no owner.")),
    Column("created_date", _("Date the customer was created, YYYY-MM-DD.")),
)
PRODUCT_COLUMNS = (
    Column("sku", _("SKU, at most 40 characters (stored in capitals)."), True),
    Column("name", _("Product name."), True),
    Column("category", _("Category, at most 60 characters.")),
    Column("unit", _("Unit such as pcs or 台."), True),
    Column("list_price", _("List price excluding tax."), True),
    Column("unit_cost", _("Standard unit cost; empty: unknown.")),
    Column("tax_rate", _("Tax rate as a fraction such as 0.13; empty: 0.13.")),
)


def chunks(values: list, size: int = IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class HistoryImporter(Importer):
    """Shared by the three files: permission, batch size, the run's state and counts."""

    permission = PERMISSION
    batch_size = BATCH_SIZE
    all_or_nothing = False
    file_key = ""
    state: RunState

    @classmethod
    def bind(cls, state: RunState) -> type["HistoryImporter"]:
        """A class of this importer for one run, sharing `state` (run_import makes the object)."""
        state.counts.setdefault(cls.file_key, FileCounts())
        return type(cls.__name__, (cls,), {"state": state})

    @property
    def counts(self) -> FileCounts:
        return self.state.counts[self.file_key]


class CustomerRow(NamedTuple):
    code: str
    values: dict[str, Any]
    owner_name: str


class HistoryCustomerImporter(HistoryImporter):
    kind = "history_customers"
    label = _("customers (history)")
    file_key = "customers"
    columns = CUSTOMER_COLUMNS

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self._kinds = _choice_aliases(CustomerKind.choices)
        self._countries = _choice_aliases(Country.choices)
        self._users = dict(User.objects.values_list("username", "pk"))
        self._nobody = system_user().pk

    def validate_row(self, row: dict[str, str]) -> CustomerRow:
        problems = []
        values: dict[str, Any] = {}
        get = row.get
        for column, limit, required in (
            ("customer_code", 30, True),
            ("name", 200, True),
            ("industry", 60, False),
            ("region", 40, False),
            ("province", 40, False),
            ("city", 40, False),
            ("salesperson", 150, False),
        ):
            try:
                values[column] = bounded(get(column, ""), limit, required=required)
            except BadCell as error:
                problems.append((column, error.message))
        kind = get("kind", "")
        values["kind"] = self._kinds.get(kind.lower()) if kind else CustomerKind.ENTERPRISE
        if values["kind"] is None:
            problems.append(("kind", _("enterprise or individual.")))
        country = get("country", "")
        values["country"] = self._countries.get(country.lower()) if country else Country.CN
        if values["country"] is None:
            problems.append(("country", _("CN, TW, HK, MO or XX (other); empty: CN.")))
        created = get("created_date", "")
        try:
            values["created_date"] = parse_date(created) if created else None
        except BadCell as error:
            problems.append(("created_date", error.message))
        if problems:
            raise RowError(problems)
        return CustomerRow(values.pop("customer_code"), values, values.pop("salesperson"))

    def _existing(self, codes: list[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(codes):
            found.update(Customer.objects.filter(code__in=part).values_list("code", flat=True))
        return found

    def apply_batch(self, rows: list[ValidRow]) -> int:
        now = timezone.now()
        existing = self._existing([row.cleaned.code for row in rows])
        customers = []
        for row in rows:
            data: CustomerRow = row.cleaned
            if data.code in existing:
                self.counts.present += 1
                continue
            existing.add(data.code)
            customers.append(self._customer(data, now))
        self.counts.created += len(customers)
        if self.state.dry_run:
            for customer in customers:
                self.state.new_customers[customer.code] = CustomerInfo(
                    None,
                    customer.industry,
                    customer.country,
                    customer.region,
                    customer.province,
                    customer.city,
                    "" if customer.owner_id == self._nobody else customer.owner_name,
                )
        elif customers:
            insert_ignoring_conflicts(Customer, customers)
        return len(customers)

    def _customer(self, data: CustomerRow, now: datetime) -> Customer:
        values = dict(data.values)
        created = values.pop("created_date")
        owner_id = self._users.get(data.owner_name) or self._nobody
        customer = Customer(
            code=data.code,
            legal_name=values.pop("name"),
            source="other",
            stage=CustomerStage.SIGNED,
            owner_id=owner_id,
            created_by=self.actor,
            is_imported=True,
            last_verified_at=now,
            **values,
        )
        customer.owner_name = data.owner_name
        customer.name_folded, customer.core_name_folded = name_search_keys(customer.legal_name, "")
        customer.completeness = completeness_of(customer, [])
        customer.created_at = (
            timezone.make_aware(datetime.combine(created, time(12))) if created else now
        )
        customer.updated_at = now
        return customer


class HistoryProductImporter(HistoryImporter):
    kind = "history_products"
    label = _("products (history)")
    file_key = "products"
    columns = PRODUCT_COLUMNS

    def validate_row(self, row: dict[str, str]) -> dict[str, Any]:
        data = {
            "sku": row.get("sku", ""),
            "name": row.get("name", ""),
            "unit": row.get("unit", ""),
            "category": row.get("category", ""),
            "list_price": row.get("list_price", ""),
            "standard_cost": row.get("unit_cost", ""),
            "tax_rate": row.get("tax_rate", ""),
        }
        try:
            return clean_product(data)
        except ValidationFailed as error:
            raise RowError(RowError.problems_of(error, {"standard_cost": "unit_cost"})) from None

    def apply_batch(self, rows: list[ValidRow]) -> int:
        now = timezone.now()
        existing: set[str] = set()
        for part in chunks([row.cleaned["sku"] for row in rows]):
            existing.update(Product.objects.filter(sku__in=part).values_list("sku", flat=True))
        products = []
        for row in rows:
            values = row.cleaned
            if values["sku"] in existing:
                self.counts.present += 1
                continue
            existing.add(values["sku"])
            product = Product(**values, is_imported=True)
            product.created_at = product.updated_at = now
            products.append(product)
        self.counts.created += len(products)
        if self.state.dry_run:
            for product in products:
                self.state.new_products[product.sku] = ProductInfo(
                    product.category, product.standard_cost
                )
        elif products:
            insert_ignoring_conflicts(Product, products)
        return len(products)


def insert_ignoring_conflicts(model: Any, objects: list) -> None:
    """Insert rows as given (created_at too), skipping any that a unique key already holds."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    manager = model._base_manager
    for part in chunks(objects, max(size, 1)):
        manager._insert(part, fields=fields, raw=True, on_conflict=OnConflict.IGNORE)
