"""Import payments booked in the finance system, CSV or XLSX (A1.1, U6).

All-or-nothing like every import. A row is allocated to the invoice it names, or to the
customer's oldest due invoices first, exactly as `payment_record` would. The batch check
simulates the allocations in file order, so an over-allocation is reported with its line
and never reaches the database; a reference already recorded for the customer is refused.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from salesdesk.core import numbering
from salesdesk.core.money import default_currency
from salesdesk.customers.models import Customer
from salesdesk.finance.importing.common import customers_for, events, problems_of
from salesdesk.finance.inputs import Errors, clean_amount, clean_past_date, clean_text
from salesdesk.finance.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from salesdesk.finance.services.payments import allocate_locked, open_invoices_oldest_first
from salesdesk.imports import registry
from salesdesk.imports.base import Column, Importer, RowError, ValidRow

ZERO = Decimal("0.00")


def _method_aliases() -> dict[str, str]:
    """Method codes and their labels in every UI language, lower-cased, → code."""
    aliases = {code: code for code in PaymentMethod.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            aliases.update({str(label).lower(): code for code, label in PaymentMethod.choices})
    aliases.update(
        {"承兌匯票": "acceptance_bill", "承兑汇票": "acceptance_bill", "電匯": "bank_transfer"}
    )
    return aliases


@dataclass
class PaymentRow:
    customer: str
    received_on: date
    amount: Decimal
    method: str
    reference: str
    notes: str
    invoice: str
    customer_record: Customer | None = None
    invoice_record: Invoice | None = None


@registry.register
class PaymentImporter(Importer):
    """Payments received, booked in the finance system, one per row (A1.1, U6)."""

    kind = "payments"
    label = _("payments")
    permission = "finance.import_payment"
    columns = (
        Column("customer", _("Customer number"), required=True),
        Column("received_on", _("Date received, YYYY-MM-DD, not in the future"), required=True),
        Column("amount", _("Amount received, above zero"), required=True),
        Column(
            "method",
            _("bank_transfer, cash, cheque, acceptance_bill or other; empty: bank_transfer"),
        ),
        Column("reference", _("Bank or bill reference; the same reference twice is refused")),
        Column(
            "invoice",
            _(
                "Invoice to allocate the whole amount to (number or finance reference); "
                "empty: oldest due first"
            ),
        ),
        Column("notes", _("Notes")),
    )
    aliases = {
        "客戶編號": "customer",
        "客户编号": "customer",
        "收款日期": "received_on",
        "金額": "amount",
        "金额": "amount",
        "收款方式": "method",
        "參考號": "reference",
        "参考号": "reference",
        "發票號碼": "invoice",
        "发票号码": "invoice",
        "備註": "notes",
        "备注": "notes",
    }
    examples = (
        {
            "customer": "CU-20260105-0001",
            "received_on": "2026-02-18",
            "amount": "11300.00",
            "method": "bank_transfer",
            "reference": "CMB20260218001",
            "invoice": "24117788",
            "notes": "",
        },
    )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.methods = _method_aliases()
        self.references: set[tuple[str, str]] = set()

    def validate_row(self, row: dict[str, str]) -> PaymentRow:
        errors = Errors()
        method = (row.get("method") or "").strip().lower() or PaymentMethod.BANK_TRANSFER
        if method not in self.methods:
            errors.add("method", _("Choose a payment method."))
        cleaned = PaymentRow(
            customer=clean_text(
                row.get("customer"), "customer", errors, max_length=30, required=True
            ),
            received_on=clean_past_date(row.get("received_on"), "received_on", errors),
            amount=clean_amount(row.get("amount"), "amount", errors),
            method=self.methods.get(method, ""),
            reference=clean_text(row.get("reference"), "reference", errors, max_length=60),
            notes=clean_text(row.get("notes"), "notes", errors, max_length=2000),
            invoice=clean_text(row.get("invoice"), "invoice", errors, max_length=60),
        )
        if errors.fields:
            raise RowError(problems_of(errors))
        return cleaned

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        codes = {row.cleaned.customer for row in rows}
        customers = {c.code: c for c in customers_for(self.actor).filter(code__in=codes)}
        references = {row.cleaned.reference for row in rows if row.cleaned.reference}
        self.references |= set(
            Payment.objects.filter(
                customer__in=customers.values(), reference__in=references
            ).values_list("customer__code", "reference")
        )
        named = self._named_invoices(rows, customers)
        plan = _Simulation()
        errors = {}
        for row in rows:
            data = row.cleaned
            data.customer_record = customers.get(data.customer)
            data.invoice_record = named.get((data.customer, data.invoice))
            problem = self._problem(data, plan)
            if problem is not None:
                errors[row.line] = problem
                continue
            if data.reference:
                self.references.add((data.customer, data.reference))
        return errors

    def _named_invoices(self, rows: list[ValidRow], customers: dict) -> dict:
        names = {row.cleaned.invoice for row in rows if row.cleaned.invoice}
        if not names:
            return {}
        found = {}
        invoices = Invoice.objects.filter(
            Q(number__in=names) | Q(external_reference__in=names),
            customer__in=customers.values(),
            status=InvoiceStatus.ISSUED,
        ).select_related("customer")
        for invoice in invoices:
            found[(invoice.customer.code, invoice.number)] = invoice
            if invoice.external_reference:
                found.setdefault((invoice.customer.code, invoice.external_reference), invoice)
        return found

    def _problem(self, data: PaymentRow, plan: "_Simulation") -> RowError | None:
        if data.customer_record is None:
            return RowError.one("customer", _("No such customer."))
        if data.reference and (data.customer, data.reference) in self.references:
            return RowError.one(
                "reference",
                _("A payment with reference %(r)s is recorded already.") % {"r": data.reference},
            )
        if data.invoice and data.invoice_record is None:
            return RowError.one("invoice", _("No such open invoice of this customer."))
        if data.invoice_record is not None:
            left = plan.open_amount(data.invoice_record)
            if data.amount > left:
                return RowError.one(
                    "invoice",
                    _("Invoice %(n)s has only %(open)s open.")
                    % {"n": data.invoice_record.number, "open": left},
                )
            plan.take(data.invoice_record, data.amount)
        else:
            plan.take_oldest(data.customer_record.pk, data.amount)
        return None

    def apply_batch(self, rows: list[ValidRow]) -> int:
        payments, data = [], []
        for row in rows:
            item = row.cleaned
            payment = Payment.objects.create(
                number=numbering.next_number("payment", on=item.received_on),
                customer=item.customer_record,
                received_on=item.received_on,
                amount=item.amount,
                currency=default_currency(),
                method=item.method,
                reference=item.reference,
                notes=item.notes,
                is_imported=True,
                created_by=self.actor,
            )
            named = item.invoice_record
            wanted = [(named.pk, item.amount)] if named is not None else None
            done = allocate_locked(payment, wanted, self.actor)
            payments.append(payment)
            data.append({"amount": str(payment.amount), "allocations": done})
        events(self.actor, "payment.imported", payments, data)
        return len(payments)


class _Simulation:
    """Open amounts as the file's earlier rows of the batch leave them (nothing is written)."""

    def __init__(self) -> None:
        self.left: dict[int, Decimal] = {}
        self.by_customer: dict[int, list[Invoice]] = {}

    def _load(self, customer_id: int) -> list[Invoice]:
        if customer_id not in self.by_customer:
            invoices = open_invoices_oldest_first(customer_id)
            self.by_customer[customer_id] = invoices
            for invoice in invoices:
                self.left.setdefault(invoice.pk, invoice.open_amount)
        return self.by_customer[customer_id]

    def open_amount(self, invoice: Invoice) -> Decimal:
        self._load(invoice.customer_id)
        return self.left.get(invoice.pk, ZERO)

    def take(self, invoice: Invoice, amount: Decimal) -> None:
        self.left[invoice.pk] = self.open_amount(invoice) - amount

    def take_oldest(self, customer_id: int, amount: Decimal) -> None:
        for invoice in self._load(customer_id):
            if amount <= 0:
                return
            share = min(amount, self.left[invoice.pk])
            self.left[invoice.pk] -= share
            amount -= share
