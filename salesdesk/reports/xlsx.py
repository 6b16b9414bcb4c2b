"""The report pack as an Excel workbook: one sheet per section, native charts (A3.1).

Numbers are stored as numbers (not text) with Excel number formats, exactly the values of
the metrics; call inside `translation.override(pack.language)` for the sheet names.
"""

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from salesdesk.analytics.metrics import metric_get
from salesdesk.reports import formatting as fmt
from salesdesk.reports import rules
from salesdesk.reports.tables import BREAKDOWN_TITLES, TOP_TITLES, kind_title

FORMATS = {"money": "#,##0.00", "ratio": "0.0%", "count": "#,##0", "score": "0.00"}
CHANGE_FORMATS = {"ratio": "+0.0%;-0.0%;0.0%", "score": "+0.00;-0.00;0.00"}
GROWTH_FORMAT = "+0.0%;-0.0%;0.0%"
BOLD = Font(bold=True)
_INVALID = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: Any) -> str:
    return _INVALID.sub(" ", str(text))[:31]


def _header(sheet: Worksheet, headers: list[Any]) -> None:
    sheet.append([str(h) for h in headers])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _number(value: Any) -> Any:
    return fmt.decimal(value)


def _summary(book: Workbook, pack: Any) -> None:
    sheet = book.active
    sheet.title = sheet_title(_("Summary"))
    sheet.append([kind_title(pack.kind, pack.period_label)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"{pack.period_start.isoformat()} – {pack.period_end.isoformat()}"])
    sheet.append([])
    _header(
        sheet,
        [
            _("Metric"),
            _("Code"),
            _("This period"),
            _("Previous period"),
            _("vs previous period"),
            _("Same period last year"),
            _("vs same period last year"),
        ],
    )
    for row in pack.summary.get("metrics", []):
        unit = row["unit"]
        sheet.append(
            [
                str(metric_get(row["metric"]).label),
                row["metric"],
                _number(row["value"]),
                _number(row["previous"]),
                _number(row["change_previous"]),
                _number(row["year_ago"]),
                _number(row["change_year"]),
            ]
        )
        line = sheet.max_row
        for column in "CDF":
            sheet[f"{column}{line}"].number_format = FORMATS.get(unit, "General")
        for column in "EG":
            sheet[f"{column}{line}"].number_format = CHANGE_FORMATS.get(unit, GROWTH_FORMAT)
    sheet.column_dimensions["A"].width = 28


def _problems(book: Workbook, pack: Any) -> None:
    sheet = book.create_sheet(sheet_title(_("Problems")))
    _header(sheet, [_("Severity"), _("Rule"), _("Finding"), _("Suggested action")])
    for problem in pack.problems:
        sheet.append(
            [
                rules.severity_label(problem),
                rules.rule_label(problem),
                rules.finding_text(problem),
                rules.action_text(problem),
            ]
        )
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 70


def _bar_chart(sheet: Worksheet, title: str, columns: tuple[int, int], rows: int, at: str):
    chart = BarChart()
    chart.title = title
    chart.height, chart.width = 8, 16
    first, last = columns
    data = Reference(sheet, min_col=first, max_col=last, min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    sheet.add_chart(chart, at)


def _breakdown(book: Workbook, title: str, rows: list[dict], *, named: bool) -> None:
    sheet = book.create_sheet(sheet_title(title))
    headers = [_("Segment")] + ([_("Name")] if named else [])
    headers += [
        _("Revenue"),
        _("Previous period"),
        _("vs previous period"),
        _("Gross margin"),
        _("Gross margin rate"),
        _("Share"),
    ]
    _header(sheet, headers)
    offset = 1 if named else 0
    for row in rows:
        sheet.append(
            [fmt.segment(row["key"])]
            + ([row.get("name", "")] if named else [])
            + [
                _number(row["revenue"]),
                _number(row["previous"]),
                _number(row["change"]),
                _number(row["gross_margin"]),
                _number(row["gross_margin_rate"]),
                _number(row["share"]),
            ]
        )
        cells = sheet[sheet.max_row][1 + offset :]
        for cell, number_format in zip(
            cells, ("#,##0.00", "#,##0.00", GROWTH_FORMAT, "#,##0.00", "0.0%", "0.0%"), strict=True
        ):
            cell.number_format = number_format
    sheet.column_dimensions["A"].width = 20
    if rows:
        _bar_chart(sheet, title, (2 + offset, 3 + offset), min(len(rows), 10), "J2")


def _trend(book: Workbook, pack: Any) -> None:
    title = _("Revenue and gross margin by month (trailing 12 months)")
    sheet = book.create_sheet(sheet_title(_("Trend")))
    _header(sheet, [_("Month"), _("Revenue"), _("Gross margin")])
    for row in pack.content.get("trend", []):
        sheet.append([row["month"][:7], _number(row["revenue"]), _number(row["gross_margin"])])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = "#,##0.00"
    if pack.content.get("trend"):
        _bar_chart(sheet, title, (2, 3), len(pack.content["trend"]), "E2")


def pack_workbook(pack: Any) -> Workbook:
    book = Workbook()
    _summary(book, pack)
    _problems(book, pack)
    breakdowns, top = pack.content.get("breakdowns", {}), pack.content.get("top", {})
    for dimension, title in BREAKDOWN_TITLES.items():
        _breakdown(book, str(title), breakdowns.get(dimension, []), named=False)
    for dimension, title in TOP_TITLES.items():
        _breakdown(book, str(title), top.get(dimension, []), named=True)
    _trend(book, pack)
    return book


def pack_xlsx(pack: Any) -> bytes:
    buffer = io.BytesIO()
    pack_workbook(pack).save(buffer)
    return buffer.getvalue()
