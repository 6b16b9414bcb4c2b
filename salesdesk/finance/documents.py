"""Statements (對賬單) as XLSX and PDF, and the ageing report as XLSX (U6, U11).

The PDF is Chinese whatever the page's language (Traditional unless the user reads
Simplified): it goes to the customer.
"""

import tempfile
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from salesdesk.core.exports import xlsx_response
from salesdesk.core.money import format_money
from salesdesk.core.pdf import (
    Amount,
    Document,
    KeyValues,
    Spacer,
    Table,
    pdf_response,
    variant_for_language,
)
from salesdesk.finance.ageing import Ageing, bucket_labels
from salesdesk.finance.statement import Statement, StatementLine

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
# Relative widths of the PDF table on the A4 frame (about 493 pt): dates, document numbers
# and amounts up to 9,999,999.99 stay on one line.
PDF_WIDTHS = (62, 105, 116, 70, 70, 70)


def statement_filename(statement: Statement) -> str:
    return (
        f"statement-{statement.customer.code}-"
        f"{statement.period_start:%Y%m%d}-{statement.period_end:%Y%m%d}"
    )


def _headers() -> list[str]:
    return [
        _("Date"),
        _("Type"),
        _("Document number"),
        _("Reference"),
        _("Description"),
        _("Quantity"),
        _("Shipment value"),
        _("Invoiced (+)"),
        _("Paid (−)"),
        _("Balance"),
    ]


def statement_rows(statement: Statement) -> list[list[Any]]:
    """The table rows: opening balance, each line, closing balance (page, XLSX and PDF)."""
    rows: list[list[Any]] = [
        [
            statement.period_start,
            "",
            "",
            "",
            _("Opening balance"),
            None,
            None,
            None,
            None,
            statement.opening,
        ],
    ]
    for line in statement.lines:
        rows.append(
            [
                line.day,
                str(line.kind_label),
                line.number,
                line.reference,
                line.description,
                line.quantity,
                line.value,
                line.debit,
                line.credit,
                line.balance,
            ]
        )
    rows.append(
        [
            statement.period_end,
            "",
            "",
            "",
            _("Closing balance"),
            None,
            statement.shipped_value,
            statement.invoiced,
            statement.received,
            statement.closing,
        ]
    )
    return rows


def statement_xlsx_response(statement: Statement) -> FileResponse:
    """The statement as a workbook: a heading block, then the table."""
    customer = statement.customer
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Statement"))[:31]
    bold = Font(bold=True)
    sheet.append([_("Customer statement")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Customer"), f"{customer.code} {customer.legal_name}"])
    sheet.append(
        [_("Period"), f"{statement.period_start:%Y-%m-%d} – {statement.period_end:%Y-%m-%d}"]
    )
    sheet.append([_("Currency"), statement.currency])
    sheet.append([])
    sheet.append(_headers())
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in statement_rows(statement):
        sheet.append(row)
        for cell in sheet[sheet.max_row][6:]:
            cell.number_format = MONEY_FORMAT
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column, width in zip("ABCDEFGHIJ", (12, 10, 20, 18, 36, 10, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{statement_filename(statement)}.xlsx",
        content_type=XLSX_TYPE,
    )


def _money(value: Decimal | None) -> str:
    return "" if value is None else format_money(value, currency="")


def _pdf_language(language: str | None) -> str:
    return "zh-hans" if variant_for_language(language) == "hans" else "zh-hant"


def statement_document(statement: Statement, language: str | None = None) -> Document:
    """The statement for the customer, in Chinese (Simplified for zh-hans, else Traditional)."""
    with translation.override(_pdf_language(language)):
        return _document(statement, variant_for_language(language))


def _paid_label() -> str:
    # The CJK fonts have no U+2212 minus sign; the full-width one prints.
    return str(_("Paid (−)")).replace("−", "－")


def _pdf_description(line: StatementLine) -> str:
    parts = [line.description, line.reference]
    if line.kind == "shipment":
        parts.append(
            f"{_('Quantity')} {line.quantity.normalize():f} · "
            f"{_('Shipment value')} {_money(line.value)}"
        )
    return "\n".join(part for part in parts if part)


def _pdf_rows(statement: Statement) -> list[list[str]]:
    """Six columns, so that dates, numbers and amounts fit A4 portrait without wrapping."""
    rows = [
        [
            f"{statement.period_start:%Y-%m-%d}",
            "",
            _("Opening balance"),
            "",
            "",
            _money(statement.opening),
        ],
    ]
    for line in statement.lines:
        rows.append(
            [
                f"{line.day:%Y-%m-%d}",
                f"{line.kind_label}\n{line.number}",
                _pdf_description(line),
                _money(line.debit),
                _money(line.credit),
                _money(line.balance),
            ]
        )
    rows.append(
        [
            f"{statement.period_end:%Y-%m-%d}",
            "",
            _("Closing balance"),
            _money(statement.invoiced),
            _money(statement.received),
            _money(statement.closing),
        ]
    )
    return rows


def _document(statement: Statement, variant) -> Document:
    customer = statement.customer
    period = f"{statement.period_start:%Y-%m-%d} – {statement.period_end:%Y-%m-%d}"
    rows = _pdf_rows(statement)
    return Document(
        title=_("Customer statement"),
        subtitle=customer.legal_name,
        meta=[
            (_("Customer number"), customer.code),
            (_("Customer"), customer.legal_name),
            (_("Period"), period),
            (_("Currency"), statement.currency),
        ],
        blocks=[
            KeyValues(
                [
                    (_("Opening balance"), _money(statement.opening)),
                    (_("Invoiced (+)"), _money(statement.invoiced)),
                    (_paid_label(), _money(statement.received)),
                    (_("Closing balance"), _money(statement.closing)),
                ]
            ),
            Spacer(4),
            Table(
                headers=[
                    _("Date"),
                    _("Document number"),
                    _("Description"),
                    _("Invoiced (+)"),
                    _paid_label(),
                    _("Balance"),
                ],
                rows=rows[:-1],
                totals_row=rows[-1],
                col_widths=PDF_WIDTHS,
                align=("left", "left", "left", "right", "right", "right"),
            ),
            Spacer(6),
            Amount(_("Closing balance"), statement.closing, statement.currency),
        ],
        footer=f"{customer.code} {period}",
        variant=variant,
    )


def statement_pdf_response(statement: Statement, language: str | None = None) -> HttpResponse:
    return pdf_response(statement_document(statement, language), statement_filename(statement))


def ageing_headers(report: Ageing) -> list[Any]:
    first = _("Customer") if report.group_by == "customer" else _("Salesperson")
    return [
        _("Code"),
        first,
        *(label for _key, label in bucket_labels()),
        _("Total"),
        _("Overdue"),
        _("Oldest overdue (days)"),
    ]


def ageing_xlsx_response(report: Ageing) -> FileResponse:
    rows = [
        [row.code, row.name, *row.buckets.values(), row.total, row.overdue, row.oldest_overdue_days]
        for row in report.rows
    ]
    rows.append(["", _("Total"), *report.totals.values(), report.total, report.overdue, None])
    return xlsx_response(
        f"ageing-{report.group_by}-{report.as_of:%Y%m%d}",
        ageing_headers(report),
        rows,
        sheet=_("Ageing"),
    )
