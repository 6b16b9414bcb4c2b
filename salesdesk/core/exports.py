"""Excel and CSV export of any list, identical to what the screen shows (U11).

Rows are streamed into a write-only workbook, so memory stays flat for long lists.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (date, int, float, Decimal)) or value is None:
        return value
    return str(value)


def xlsx_response(
    filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], sheet: str = "Sheet1"
) -> FileResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=str(sheet)[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(worksheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    for row in rows:
        worksheet.append([_cell_value(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
        yield writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow(["" if v is None else _cell_value(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def read_xlsx_rows(data: bytes) -> list[list[Any]]:
    """Read back a workbook's first sheet (used by tests and imports)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
