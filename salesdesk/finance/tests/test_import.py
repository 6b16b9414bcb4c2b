"""Invoices and payments imported from the finance system, CSV or XLSX, all-or-nothing
(A1.1, U6)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from salesdesk.audit.models import Event
from salesdesk.core.errors import PermissionDenied
from salesdesk.customers.models import Customer
from salesdesk.finance.importing import InvoiceImporter, PaymentImporter
from salesdesk.finance.models import Invoice, Payment, PaymentAllocation
from salesdesk.finance.tests.conftest import days_ago, imported_invoice
from salesdesk.imports import registry
from salesdesk.imports.base import run_import

pytestmark = pytest.mark.req("A1.1", "U6")

INVOICE_HEAD = "invoice_number,customer,issue_date,due_date,order,net,tax,gross,description\n"
PAYMENT_HEAD = "customer,received_on,amount,method,reference,invoice,notes\n"


def _csv(tmp_path, text, name="file.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _state() -> tuple:
    return (
        Invoice.objects.count(),
        Payment.objects.count(),
        PaymentAllocation.objects.count(),
        Event.objects.count(),
    )


def test_kinds_are_registered():
    assert registry.importer_for("invoices") is InvoiceImporter
    assert registry.importer_for("payments") is PaymentImporter


def test_invoices_import_with_due_dates_from_terms(tmp_path, finance, order10):
    customer = order10.customer
    issued = days_ago(40).isoformat()
    text = INVOICE_HEAD + (
        f"F-001,{customer.code},{issued},,{order10.number},100.00,13.00,113.00,貨款\n"
        f"F-002,{customer.code},{issued},{days_ago(1).isoformat()},,50,0,,期初\n"
    )
    dry = run_import(InvoiceImporter, _csv(tmp_path, text), actor=finance, dry_run=True)
    assert (dry.valid, dry.imported, Invoice.objects.count()) == (2, 0, 0)
    report = run_import(InvoiceImporter, _csv(tmp_path, text), actor=finance)
    assert (report.imported, report.problems) == (2, [])
    first, second = Invoice.objects.order_by("external_reference")
    assert first.number.startswith(f"INV-{days_ago(40):%Y%m%d}-")
    assert (first.order_id, first.gross_amount, first.due_date) == (
        order10.pk,
        Decimal("113.00"),
        days_ago(10),
    )
    assert (second.order_id, second.due_date, second.is_imported) == (None, days_ago(1), True)
    assert second.lines.get().description == "期初"
    assert Event.objects.filter(verb="invoice.imported").count() == 2


def test_bad_invoice_rows_are_reported_by_line_and_nothing_is_imported(tmp_path, finance, customer):
    imported_invoice(customer, gross="10", issued=days_ago(3), due=days_ago(3), actor=finance)
    Invoice.objects.update(external_reference="OLD-1")
    day = days_ago(2).isoformat()
    text = INVOICE_HEAD + (
        f"N-1,{customer.code},{day},,,100,13,113,\n"
        f"N-2,NOPE,{day},,,100,13,,\n"
        f"N-3,{customer.code},{day},,,100,13,120,\n"
        f"N-1,{customer.code},{day},,,1,0,,\n"
        f"OLD-1,{customer.code},{day},,,1,0,,\n"
        f"N-4,{customer.code},2999-01-01,,,abc,13,,\n"
        f"N-5,{customer.code},{day},,SO-NONE,1,0,,\n"
    )
    before = _state()
    report = run_import(InvoiceImporter, _csv(tmp_path, text), actor=finance)
    assert (report.imported, report.error_rows) == (0, 6)
    assert sorted({(p.line, p.column) for p in report.problems}) == [
        (3, "customer"),
        (4, "gross"),
        (5, "invoice_number"),
        (6, "invoice_number"),
        (7, "issue_date"),
        (7, "net"),
        (8, "order"),
    ]
    assert _state() == before


def test_invoices_from_xlsx_with_chinese_headers(tmp_path, finance, customer):
    book = Workbook()
    sheet = book.active
    sheet.append(["發票號碼", "客戶編號", "開票日期", "未稅金額", "稅額", "摘要"])
    sheet.append([24117788, customer.code, days_ago(5).isoformat(), 1000, 130, "期初未收"])
    path = tmp_path / "invoices.xlsx"
    book.save(path)
    report = run_import(InvoiceImporter, path, actor=finance)
    assert report.imported == 1
    invoice = Invoice.objects.get()
    assert (invoice.external_reference, invoice.gross_amount) == ("24117788", Decimal("1130.00"))


def test_payments_import_allocates_named_invoices_then_oldest_first(tmp_path, finance, customer):
    old = imported_invoice(
        customer, gross="100", issued=days_ago(90), due=days_ago(60), actor=finance
    )
    new = imported_invoice(
        customer, gross="300", issued=days_ago(20), due=days_ago(-10), actor=finance
    )
    Invoice.objects.filter(pk=new.pk).update(external_reference="F-NEW")
    text = PAYMENT_HEAD + (
        f"{customer.code},{days_ago(2).isoformat()},250,電匯,B-1,F-NEW,\n"
        f"{customer.code},{days_ago(1).isoformat()},120,承兌匯票,B-2,,銀行承兌\n"
    )
    report = run_import(PaymentImporter, _csv(tmp_path, text), actor=finance)
    assert (report.imported, report.problems) == (2, [])
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.paid_amount, new.paid_amount) == (Decimal("100.00"), Decimal("270.00"))
    second = Payment.objects.get(reference="B-2")
    assert (second.method, second.is_imported, second.allocated_amount) == (
        "acceptance_bill",
        True,
        Decimal("120.00"),
    )
    assert Event.objects.filter(verb="payment.imported").count() == 2


def test_payment_rows_that_would_over_allocate_import_nothing(tmp_path, finance, customer):
    invoice = imported_invoice(
        customer, gross="100", issued=days_ago(9), due=days_ago(1), actor=finance
    )
    day = days_ago(0).isoformat()
    text = PAYMENT_HEAD + (
        f"{customer.code},{day},60,cash,R-1,,\n"
        f"{customer.code},{day},50,cash,R-2,{invoice.number},\n"
        f"{customer.code},{day},10,cash,R-1,,\n"
        f"{customer.code},{day},-3,paypal,R-4,,\n"
    )
    before = _state()
    report = run_import(PaymentImporter, _csv(tmp_path, text), actor=finance)
    assert report.imported == 0
    assert sorted({(p.line, p.column) for p in report.problems}) == [
        (3, "invoice"),
        (4, "reference"),
        (5, "amount"),
        (5, "method"),
    ]
    assert "has only 40.00 open" in report.problems[0].message
    assert _state() == before
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0


def test_only_finance_imports(tmp_path, sales_admin, customer):
    text = PAYMENT_HEAD + f"{customer.code},{days_ago(0).isoformat()},1,cash,,,\n"
    with pytest.raises(PermissionDenied):
        run_import(PaymentImporter, _csv(tmp_path, text), actor=sales_admin)
    with pytest.raises(PermissionDenied):
        run_import(InvoiceImporter, _csv(tmp_path, INVOICE_HEAD), actor=sales_admin)
    assert _state() == (0, 0, 0, Event.objects.count())


@pytest.mark.parametrize(
    ("heading", "importer"), [("## Invoices", InvoiceImporter), ("## Payments", PaymentImporter)]
)
def test_the_examples_in_the_documentation_import(tmp_path, finance, customer, heading, importer):
    Customer.objects.filter(pk=customer.pk).update(code="CU-20260105-0001")
    text = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text("utf-8")
    section = text[text.index(heading) :]
    block = re.findall(r"```csv\n(.*?)```", section, re.DOTALL)[0]
    if importer is PaymentImporter:
        imported_invoice(
            customer, gross="11300", issued=days_ago(40), due=days_ago(10), actor=finance
        )
        Invoice.objects.update(external_reference="24117788")
    report = run_import(importer, _csv(tmp_path, block), actor=finance)
    assert (report.imported, report.problems) == (2, [])
