"""Import invoices issued in the finance system, CSV or XLSX (A1.1, U6).

All-or-nothing like every import. A row is one invoice with one summary line, numbered
`INV-<issue date>-NNNN`, keeping the finance system's number as its external reference; the
same reference twice for a customer (in the database or earlier in the file) refuses the row.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from salesdesk.core import numbering
from salesdesk.core.money import default_currency
from salesdesk.customers.models import Customer
from salesdesk.finance.importing.common import customers_for, events, problems_of
from salesdesk.finance.inputs import Errors, clean_amount, clean_past_date, clean_text
from salesdesk.finance.models import Invoice, InvoiceLine, InvoiceStatus
from salesdesk.finance.rules import MONTHLY_STATEMENT, TERM_DAYS, due_date_for
from salesdesk.imports import registry
from salesdesk.imports.base import Column, Importer, RowError, ValidRow
from salesdesk.orders.models import Order

KNOWN_TERMS = {*TERM_DAYS, MONTHLY_STATEMENT}


@dataclass
class InvoiceRow:
    reference: str
    customer: str
    issue_date: date
    due_date: date | None
    order: str
    net: Decimal
    tax: Decimal
    description: str
    note: str
    customer_record: Customer | None = None
    order_record: Order | None = None


@registry.register
class InvoiceImporter(Importer):
    """Invoices issued in the finance system, one per row (A1.1, U6)."""

    kind = "invoices"
    label = _("invoices")
    permission = "finance.import_invoice"
    columns = (
        Column("invoice_number", _("The finance system's invoice number"), required=True),
        Column("customer", _("Customer number"), required=True),
        Column("issue_date", _("Issue date, YYYY-MM-DD, not in the future"), required=True),
        Column("due_date", _("Due date; empty: from the order's or customer's payment terms")),
        Column("order", _("Order number, when the invoice bills one order")),
        Column("net", _("Amount excluding tax"), required=True),
        Column("tax", _("Tax amount"), required=True),
        Column("gross", _("Total incl. tax; when given it must equal net + tax")),
        Column("description", _("What was billed")),
        Column("note", _("Note")),
    )
    aliases = {
        "發票號碼": "invoice_number",
        "发票号码": "invoice_number",
        "客戶編號": "customer",
        "客户编号": "customer",
        "開票日期": "issue_date",
        "开票日期": "issue_date",
        "到期日": "due_date",
        "訂單號碼": "order",
        "订单号": "order",
        "未稅金額": "net",
        "不含税金额": "net",
        "稅額": "tax",
        "税额": "tax",
        "含稅金額": "gross",
        "价税合计": "gross",
        "摘要": "description",
        "備註": "note",
        "备注": "note",
    }
    examples = (
        {
            "invoice_number": "24117788",
            "customer": "CU-20260105-0001",
            "issue_date": "2026-01-20",
            "due_date": "2026-02-19",
            "order": "",
            "net": "10000.00",
            "tax": "1300.00",
            "gross": "11300.00",
            "description": "期初未收發票",
            "note": "",
        },
    )

    def validate_row(self, row: dict[str, str]) -> InvoiceRow:
        errors = Errors()
        reference = clean_text(
            row.get("invoice_number"), "invoice_number", errors, max_length=60, required=True
        )
        customer = clean_text(row.get("customer"), "customer", errors, max_length=30, required=True)
        issued = clean_past_date(row.get("issue_date"), "issue_date", errors)
        due = clean_past_date(row.get("due_date"), "due_date", errors, required=False)
        net = clean_amount(row.get("net"), "net", errors, allow_zero=True)
        tax = clean_amount(row.get("tax"), "tax", errors, allow_zero=True)
        if row.get("gross") and None not in (net, tax):
            gross = clean_amount(row.get("gross"), "gross", errors, allow_zero=True)
            if gross is not None and gross != net + tax:
                errors.add(
                    "gross", _("The total must equal net + tax (%(sum)s).") % {"sum": net + tax}
                )
        if due is not None and issued is not None and due < issued:
            errors.add("due_date", _("The due date may not be before the issue date."))
        if net is not None and tax is not None and net + tax <= 0:
            errors.add("net", _("An invoice must bill an amount above zero."))
        cleaned = InvoiceRow(
            reference=reference,
            customer=customer,
            issue_date=issued,
            due_date=due,
            order=clean_text(row.get("order"), "order", errors, max_length=30),
            net=net,
            tax=tax,
            description=clean_text(row.get("description"), "description", errors, max_length=200),
            note=clean_text(row.get("note"), "note", errors, max_length=200),
        )
        if errors.fields:
            raise RowError(problems_of(errors))
        return cleaned

    def check_batch(self, rows: list[ValidRow]) -> dict[int, RowError]:
        codes = {row.cleaned.customer for row in rows}
        customers = {c.code: c for c in customers_for(self.actor).filter(code__in=codes)}
        numbers = {row.cleaned.order for row in rows if row.cleaned.order}
        orders = {o.number: o for o in Order.objects.filter(number__in=numbers)}
        taken = set(
            Invoice.objects.filter(
                customer__in=customers.values(),
                external_reference__in={row.cleaned.reference for row in rows},
            )
            .exclude(status=InvoiceStatus.VOIDED)
            .values_list("customer__code", "external_reference")
        )
        errors = {}
        for row in rows:
            data = row.cleaned
            customer, order = customers.get(data.customer), orders.get(data.order)
            if customer is None:
                errors[row.line] = RowError.one("customer", _("No such customer."))
            elif data.order and (order is None or order.customer_id != customer.pk):
                errors[row.line] = RowError.one("order", _("No such order of this customer."))
            elif (data.customer, data.reference) in taken:
                errors[row.line] = RowError.one(
                    "invoice_number",
                    _("Invoice %(n)s of this customer is imported already.")
                    % {"n": data.reference},
                )
            data.customer_record, data.order_record = customer, order
            taken.add((data.customer, data.reference))
        return errors

    def apply_batch(self, rows: list[ValidRow]) -> int:
        by_day: dict[date, list[InvoiceRow]] = defaultdict(list)
        for row in rows:
            by_day[row.cleaned.issue_date].append(row.cleaned)
        invoices, lines = [], []
        for day, items in sorted(by_day.items()):
            numbers = numbering.next_numbers("invoice", len(items), on=day)
            for data, number in zip(items, numbers, strict=True):
                invoices.append(self._invoice(data, number))
                lines.append(data)
        Invoice.objects.bulk_create(invoices)
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                description=(data.description or invoice.external_reference)[:200],
                quantity=Decimal(1),
                net_amount=invoice.net_amount,
                tax_amount=invoice.tax_amount,
                gross_amount=invoice.gross_amount,
            )
            for invoice, data in zip(invoices, lines, strict=True)
        )
        events(
            self.actor,
            "invoice.imported",
            invoices,
            [{"reference": i.external_reference, "gross": str(i.gross_amount)} for i in invoices],
        )
        return len(invoices)

    def _invoice(self, data: InvoiceRow, number: str) -> Invoice:
        order, customer = data.order_record, data.customer_record
        terms = order.payment_terms if order else customer.default_payment_terms
        due = data.due_date
        if due is None:
            due = due_date_for(terms, data.issue_date) if terms in KNOWN_TERMS else data.issue_date
        return Invoice(
            number=number,
            customer=customer,
            order=order,
            issue_date=data.issue_date,
            due_date=due,
            currency=order.currency if order else default_currency(),
            net_amount=data.net,
            tax_amount=data.tax,
            gross_amount=data.net + data.tax,
            is_imported=True,
            external_reference=data.reference,
            note=data.note,
            created_by=self.actor,
        )
