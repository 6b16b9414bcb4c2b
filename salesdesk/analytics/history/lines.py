"""Order lines of a history import → SalesFact rows marked `is_imported` (A1.1, A2.2).

Per line: revenue = quantity × unit_price × (1 − discount_rate), half up to cents, excluding
tax; cost = quantity × unit_cost (the row's, else the product's standard cost, else unknown);
customer attributes from the customer, category from the product. Only statuses counted as
sales (`COUNTED_STATUSES`) become facts; the others are checked and counted as "not counted".

Speed (the benchmark loads 6,000,000 lines): rows are checked against in-memory maps, never a
query per row; a batch is written with one multi-row statement per 1,000 rows (PostgreSQL) or
one `executemany` (SQLite), skipping lines already present; then one set-based UPDATE marks
the first line (lowest line_number) of each order the batch touched, so orders whose lines
are spread over the file or over a resumed run still count once.
"""

from datetime import date
from decimal import ROUND_HALF_UP
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.history.importers import HistoryImporter, chunks
from salesdesk.analytics.history.parsing import (
    CENT,
    ONE,
    BadCell,
    bounded,
    iso_date,
    parse_decimal,
    parse_positive_int,
    parse_rate,
)
from salesdesk.analytics.models import SalesFact
from salesdesk.analytics.services import COUNTED_STATUSES
from salesdesk.customers.importing import _choice_aliases
from salesdesk.imports.base import Column, RowError, ValidRow
from salesdesk.orders.models import OrderStatus

LINE_COLUMNS = (
    Column("order_number", _("Order number, at most 30 characters."), True),
    Column("order_date", _("Order date, YYYY-MM-DD."), True),
    Column("customer_code", _("A customer_code of the customers file or of salesdesk."), True),
    Column("salesperson", _("Salesperson's username or name; empty: the customer's owner.")),
    Column("channel", _("Sales channel, at most 20 characters.")),
    Column("line_number", _("Line number within the order, a whole number from 1."), True),
    Column("sku", _("A sku of the products file or of the catalogue."), True),
    Column("quantity", _("Quantity, more than 0, at most 3 decimals."), True),
    Column("unit_price", _("Unit price excluding tax."), True),
    Column("discount_rate", _("Discount as a fraction from 0 to 1; empty: 0.")),
    Column("tax_rate", _("Tax rate as a fraction from 0 to 1 (checked, not used).")),
    Column("unit_cost", _("Unit cost; empty: the product's standard cost.")),
    Column("promised_date", _("Promised delivery date; empty: none.")),
    Column("ship_date", _("Ship date; empty: not shipped yet.")),
    Column("delivery_date", _("Delivery date; empty: not delivered yet.")),
    Column("ship_mode", _("Ship mode, at most 20 characters.")),
    Column("status", _("Order status: draft, approved, shipped, delivered, closed, …"), True),
)
# SalesFact fields in the order of the tuples validate_row returns.
FACT_FIELDS = (
    "order_date",
    "order_number",
    "line_number",
    "customer",
    "customer_code",
    "industry",
    "country",
    "region",
    "province",
    "city",
    "sku",
    "category",
    "salesperson",
    "channel",
    "ship_mode",
    "quantity",
    "revenue",
    "cost",
    "promised_date",
    "delivery_date",
    "status",
    "is_first_line",
    "is_imported",
)
FIRST_LINE = FACT_FIELDS.index("is_first_line")
COUNTED = frozenset(str(status) for status in COUNTED_STATUSES)
STAGING = "history_fact_staging"  # a temporary table of the import's connection
TEXT_LIMITS = (("order_number", 30, True), ("channel", 20, False), ("ship_mode", 20, False))


def _sql() -> tuple[str, str, str, str]:
    """Statements over the facts table; names come from the model, values are parameters."""
    quote = connection.ops.quote_name
    table = quote(SalesFact._meta.db_table)
    columns = ", ".join(quote(SalesFact._meta.get_field(name).column) for name in FACT_FIELDS)
    insert = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    minimum = (
        f"SELECT MIN(g.line_number) FROM {table} g "  # noqa: S608
        f"WHERE g.order_number = {table}.order_number AND g.is_imported = %s"
    )
    first_line = (
        f"UPDATE {table} SET is_first_line = NOT is_first_line "  # noqa: S608
        f"WHERE is_first_line <> (line_number = ({minimum})) "
        "AND is_imported = %s AND order_number IN "
    )
    existing = f"SELECT order_number, line_number FROM {table} WHERE order_number IN "  # noqa: S608
    orders = f"SELECT DISTINCT order_number FROM {table} WHERE order_number IN "  # noqa: S608
    return insert, first_line, existing, orders


def _placeholders(count: int) -> str:
    return "(" + ", ".join(["%s"] * count) + ")"


class HistoryLineImporter(HistoryImporter):
    kind = "history_order_lines"
    label = _("order lines (history)")
    file_key = "order_lines"
    columns = LINE_COLUMNS

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self._statuses = _choice_aliases(OrderStatus.choices)
        self._customers = self.state.customer_map()
        self._products = self.state.product_map()
        self._insert, self._first_line, self._existing, self._orders = _sql()
        self._staging = False
        if connection.vendor == "sqlite":
            # Millions of lines grow seven indexes: a larger page cache (bounded, 64 MB)
            # keeps their upper levels in memory instead of re-reading them per batch.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -65536")

    def validate_row(self, row: dict[str, str]) -> tuple | None:
        """The fact tuple (FACT_FIELDS order), None for a status not counted, or RowError.

        The fast path stops at the first problem; the slow path then names every one."""
        try:
            return self._fact(row)
        except (BadCell, LookupError):
            pass
        raise RowError(self._problems(row) or [("", _("This row cannot be read."))])

    def _fact(self, row: dict[str, str]) -> tuple | None:
        get = row.get
        number, channel, ship_mode = (
            get("order_number", ""),
            get("channel", ""),
            get("ship_mode", ""),
        )
        salesperson = get("salesperson", "")
        if not number or len(number) > 30 or len(channel) > 20 or len(ship_mode) > 20:
            raise BadCell("")
        if len(salesperson) > 150:
            raise BadCell("")
        order_date = iso_date(get("order_date", "") or "-")
        line_number = parse_positive_int(get("line_number", ""))
        code = get("customer_code", "")
        customer = self._customers[code]
        sku = get("sku", "").upper()
        product = self._products[sku]
        quantity = parse_decimal(get("quantity", "") or "-", places=3)
        if not quantity:
            raise BadCell("")
        unit_price = parse_decimal(get("unit_price", "") or "-")
        discount = parse_rate(get("discount_rate", ""))
        parse_rate(get("tax_rate", ""))
        unit_cost = get("unit_cost", "")
        unit_cost = parse_decimal(unit_cost) if unit_cost else product.standard_cost
        promised, delivered = get("promised_date", ""), get("delivery_date", "")
        promised = iso_date(promised) if promised else None
        delivered = iso_date(delivered) if delivered else None
        shipped = get("ship_date", "")
        if shipped:
            iso_date(shipped)
        status = self._statuses[get("status", "").lower()]
        if status not in COUNTED:
            return None
        revenue = (quantity * unit_price * (ONE - discount)).quantize(CENT, ROUND_HALF_UP)
        cost = None if unit_cost is None else (quantity * unit_cost).quantize(CENT, ROUND_HALF_UP)
        return (
            order_date,
            number,
            line_number,
            customer.id,
            code,
            customer.industry,
            customer.country,
            customer.region,
            customer.province,
            customer.city,
            sku,
            product.category,
            salesperson or customer.salesperson,
            channel,
            ship_mode,
            quantity,
            revenue,
            cost,
            promised,
            delivered,
            status,
            False,
            True,
        )

    def _problems(self, row: dict[str, str]) -> list[tuple[str, Any]]:
        """Every problem of a row the fast path refused, by column."""
        get = row.get
        problems: list[tuple[str, Any]] = []

        def check(column: str, parse, *args, **kwargs) -> None:
            try:
                parse(*args, **kwargs)
            except BadCell as error:
                problems.append((column, error.message))

        for column, limit, required in TEXT_LIMITS:
            check(column, bounded, get(column, ""), limit, required=required)
        check("salesperson", bounded, get("salesperson", ""), 150)
        check("order_date", iso_date, get("order_date", "") or "-")
        check("line_number", parse_positive_int, get("line_number", ""))
        code = get("customer_code", "")
        if code not in self._customers:
            problems.append(("customer_code", _unknown("customer", code)))
        sku = get("sku", "").upper()
        if sku not in self._products:
            problems.append(("sku", _unknown("sku", sku)))
        check("quantity", _positive_quantity, get("quantity", "") or "-")
        check("unit_price", parse_decimal, get("unit_price", "") or "-")
        for column in ("discount_rate", "tax_rate"):
            check(column, parse_rate, get(column, ""))
        if get("unit_cost", ""):
            check("unit_cost", parse_decimal, get("unit_cost", ""))
        for column in ("promised_date", "ship_date", "delivery_date"):
            if get(column, ""):
                check(column, iso_date, get(column, ""))
        status = get("status", "")
        if status.lower() not in self._statuses:
            problems.append(("status", _unknown("status", status)))
        return problems

    def apply_batch(self, rows: list[ValidRow]) -> int:
        facts = [row.cleaned for row in rows if row.cleaned is not None]
        counts = self.counts
        counts.not_counted += len(rows) - len(facts)
        if not facts:
            return 0
        days = [fact[0] for fact in facts]  # ISO texts sort as dates
        self.state.touch(date.fromisoformat(min(days)), date.fromisoformat(max(days)))
        numbers = list({fact[1] for fact in facts})
        if self.state.dry_run:
            present = self._count_present(facts, numbers)
            counts.present += present
            counts.created += len(facts) - present
            return len(facts) - present
        # Orders with lines from earlier batches or runs: after the insert, re-mark their
        # first line in the database (only rows whose mark is wrong are written). The other
        # orders are complete in this batch and marked before the insert.
        earlier = self._orders_present(numbers)
        inserted = self._write(_mark_first_lines(facts))
        counts.created += inserted
        counts.present += len(facts) - inserted
        with connection.cursor() as cursor:
            for part in chunks(earlier):
                cursor.execute(self._first_line + _placeholders(len(part)), [True, True, *part])
        return inserted

    def _write(self, facts: list[tuple]) -> int:
        """Insert the facts, skipping (order_number, line_number) pairs already present.

        SQLite: one executemany. PostgreSQL: COPY into a temporary table, then one INSERT …
        SELECT … ON CONFLICT DO NOTHING (multi-row VALUES bound on the client were ten times
        slower)."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                sql = self._insert + _placeholders(len(FACT_FIELDS)) + " ON CONFLICT DO NOTHING"
                cursor.executemany(sql, facts)
                return max(cursor.rowcount, 0)
            columns = self._insert.split("(", 1)[1].split(")", 1)[0]
            table = self._insert.split()[2]
            if not self._staging:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ON COMMIT DELETE ROWS AS "  # noqa: S608
                    f"SELECT {columns} FROM {table} WITH NO DATA"
                )
                self._staging = True
            with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                for fact in facts:
                    copy.write_row(fact)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGING} "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            inserted = cursor.rowcount
            cursor.execute(f"TRUNCATE {STAGING}")
        return inserted

    def _orders_present(self, numbers: list[str]) -> list[str]:
        found: set[str] = set()
        with connection.cursor() as cursor:
            for part in chunks(numbers):
                cursor.execute(self._orders + _placeholders(len(part)), part)
                found.update(number for (number,) in cursor.fetchall())
        return sorted(found)

    def _count_present(self, facts: list[tuple], numbers: list[str]) -> int:
        present: set[tuple[str, int]] = set()
        with connection.cursor() as cursor:
            for part in chunks(numbers):
                cursor.execute(self._existing + _placeholders(len(part)), part)
                present.update((number, int(line)) for number, line in cursor.fetchall())
        return sum((fact[1], fact[2]) in present for fact in facts)


def _mark_first_lines(facts: list[tuple]) -> list[tuple]:
    """The facts with `is_first_line` set on the lowest line of each order in the batch."""
    first: dict[str, int] = {}
    for index, fact in enumerate(facts):
        known = first.get(fact[1])
        if known is None or fact[2] < facts[known][2]:
            first[fact[1]] = index
    marked = list(facts)
    for index in first.values():
        marked[index] = (*facts[index][:FIRST_LINE], True, *facts[index][FIRST_LINE + 1 :])
    return marked


def _positive_quantity(text: str) -> None:
    if not parse_decimal(text, places=3):
        raise BadCell(_("Must be more than 0."))


def _unknown(what: str, value: str) -> Any:
    messages = {
        "customer": _("Unknown customer “%(value)s”: not in the customers file or salesdesk."),
        "sku": _("Unknown SKU “%(value)s”: not in the products file or the catalogue."),
        "status": _("“%(value)s” is not an order status (draft … closed, cancelled)."),
    }
    return messages[what] % {"value": value[:40]}
