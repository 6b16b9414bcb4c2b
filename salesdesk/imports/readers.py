"""Streaming row readers for imports: CSV in the usual Chinese encodings, and XLSX (issue #3).

A reader holds one row at a time, so memory does not grow with the file. It maps the header
to the importer's column names (case, spaces and aliases such as 公司名稱 → legal_name are
forgiven), refuses a file that lacks a required column, and yields `SourceRow`s numbered as
the user sees them: the line of a CSV record, the row of a worksheet.
"""

import codecs
import csv
import io
import re
from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed

SNIFF_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
# Big5 as Windows writes it (cp950 is Microsoft's Big5 with a few more characters).
FALLBACK_ENCODINGS = ("gb18030", "cp950")
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}
ENCODING_LABELS.update({"gb18030": "GB18030", "cp950": "Big5"})
# Characters a wrong Chinese decoding produces and real customer lists hardly contain:
# kana, Greek, Cyrillic, box drawing, enclosed forms, private use, CJK extension A, Hangul.
ODD_RANGES = (
    (0x0370, 0x04FF),
    (0x2460, 0x257F),
    (0x3040, 0x30FF),
    (0x3200, 0x33FF),
    (0x3400, 0x4DBF),
    (0xAC00, 0xD7AF),
    (0xE000, 0xF8FF),
    (0xF900, 0xFAFF),
    (0xFF61, 0xFF9F),
)


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be imported (format, encoding, header); nothing was read."""

    code = "import_file_invalid"


class SourceRow(NamedTuple):
    line: int
    data: dict[str, str]
    raw: list[str]
    extra_values: bool  # more non-empty cells than the header has columns


def normalize_header(text: Any) -> str:
    """`" Legal Name "` → `legal_name`; Chinese headers keep their characters."""
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().lower()).strip("_")


def _decodes(sample: bytes, encoding: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=final)
    except UnicodeDecodeError:
        return None


def _oddity(text: str) -> int:
    return sum(1 for ch in text if any(lo <= ord(ch) <= hi for lo, hi in ODD_RANGES))


def detect_encoding(sample: bytes, *, final: bool = False) -> str:
    """BOM first, then UTF-8, then GB18030 or Big5, whichever decodes to plausible text."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(sample, "utf-8", final) is not None:
        return "utf-8"
    decoded = {enc: _decodes(sample, enc, final) for enc in FALLBACK_ENCODINGS}
    candidates = [enc for enc in FALLBACK_ENCODINGS if decoded[enc] is not None]
    if not candidates:
        raise ImportFileError(
            _("The file is not text in UTF-8, GB18030 or Big5. Save it as CSV UTF-8 or XLSX.")
        )
    # Big5 bytes nearly always decode as GB18030 too, into kana and rare characters.
    return min(candidates, key=lambda enc: _oddity(decoded[enc]))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Spreadsheets store codes and phone numbers typed as numbers as floats.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


class RowReader:
    """Rows of one CSV or XLSX file as `SourceRow`s, with the header checked first.

    `columns` are the importer's column names, `required` those that must be present and
    `aliases` maps other (normalised) header spellings to column names. Unknown headers are
    ignored and listed in `ignored`.
    """

    def __init__(
        self,
        source: str | Path | IO[bytes],
        *,
        columns: Collection[str],
        required: Collection[str] = (),
        aliases: Mapping[str, str] | None = None,
        name: str = "",
    ) -> None:
        self.name = name or (str(source) if isinstance(source, (str, Path)) else "upload")
        self._owned = isinstance(source, (str, Path))
        self._file: IO[bytes] = open(source, "rb") if self._owned else source  # noqa: SIM115
        self._columns, self._required = set(columns), list(required)
        self._aliases = {normalize_header(k): v for k, v in (aliases or {}).items()}
        self._workbook = None
        self.encoding = ""
        self.format = "csv"
        try:
            self._rows = self._open()
            self.header = self._read_header()
            self.names = self._map_header(self.header)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "RowReader":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None
        if self._owned:
            self._file.close()

    def _open(self) -> Iterator[tuple[int, list[str]]]:
        sample = self._file.read(SNIFF_BYTES)
        self._file.seek(0)
        if sample.startswith(ZIP_MAGIC):
            self.format = "xlsx"
            return self._xlsx_rows()
        if sample.startswith(OLE_MAGIC):
            raise ImportFileError(
                _("Old .xls workbooks cannot be read. Save the file as .xlsx or CSV UTF-8.")
            )
        self.encoding = detect_encoding(sample, final=len(sample) < SNIFF_BYTES)
        return self._csv_rows(sample)

    def _csv_rows(self, sample: bytes) -> Iterator[tuple[int, list[str]]]:
        text = io.TextIOWrapper(self._file, encoding=self.encoding, newline="")
        first_line = (_decodes(sample, self.encoding, final=False) or "").split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        reader = csv.reader(text, delimiter=delimiter if first_line.count(delimiter) else ",")
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                label = ENCODING_LABELS.get(self.encoding, self.encoding)
                raise ImportFileError(
                    _("Line %(line)s cannot be read as %(encoding)s text.")
                    % {"line": line, "encoding": label},
                    extra={"line": line},
                ) from None
            except csv.Error as exc:
                raise ImportFileError(
                    _("Line %(line)s is not valid CSV: %(error)s") % {"line": line, "error": exc},
                    extra={"line": line},
                ) from None
            yield line, [value.strip() for value in values]

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            self._workbook = load_workbook(self._file, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(
                _("The workbook cannot be opened: is it a valid .xlsx?")
            ) from None
        sheet = self._workbook.worksheets[0]
        # The stored dimension can be wrong (some tools write A1:A1); read what is there.
        sheet.reset_dimensions()
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_cell_text(value) for value in row]

    def _read_header(self) -> list[str]:
        for _line, values in self._rows:
            if any(values):
                return values
        raise ImportFileError(_("The file is empty: the first row must name the columns."))

    def _map_header(self, header: list[str]) -> list[str | None]:
        names: list[str | None] = []
        self.ignored: list[str] = []
        for text in header:
            key = normalize_header(text)
            name = key if key in self._columns else self._aliases.get(key)
            if name is None or name in names:
                names.append(None)
                if text:
                    self.ignored.append(text)
            else:
                names.append(name)
        missing = [column for column in self._required if column not in names]
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
                extra={"missing_columns": missing},
            )
        return names

    def __iter__(self) -> Iterator[SourceRow]:
        names, width = self.names, len(self.names)
        for line, values in self._rows:
            if not any(values):
                continue
            data = {name: value for name, value in zip(names, values, strict=False) if name}
            yield SourceRow(line, data, values, any(values[width:]))
