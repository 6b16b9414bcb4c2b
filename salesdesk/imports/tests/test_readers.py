"""Row readers: encodings, header mapping, line numbers, XLSX cells (issue #3)."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from salesdesk.imports.readers import ImportFileError, RowReader, detect_encoding

COLUMNS = ("legal_name", "tax_id", "city")
ALIASES = {"公司名稱": "legal_name", "公司名称": "legal_name", "統一編號": "tax_id"}


def read(data: bytes, required=("legal_name",), **kwargs):
    with RowReader(
        io.BytesIO(data), columns=COLUMNS, required=required, aliases=ALIASES, **kwargs
    ) as reader:
        return reader, list(reader)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TRADITIONAL = "公司名稱,統一編號,city\n" + "".join(
    f"臺灣精密機械股份有限公司{n},2209913{n % 10},臺中市\n" for n in range(30)
)
SIMPLIFIED = "公司名称,tax_id,city\n" + "".join(
    f"福州华信电子有限公司{n},9135010{n % 10},福州市\n" for n in range(30)
)


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (TRADITIONAL, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (TRADITIONAL, "big5", "cp950"),
    ],
)
def test_detects_the_encoding_of_chinese_csv(text, encoding, expected):
    reader, rows = read(text.encode(encoding))

    assert reader.encoding == expected
    assert len(rows) == 30
    assert rows[0].data["legal_name"] == text.splitlines()[1].split(",")[0]


def test_short_big5_and_gb18030_texts_are_told_apart():
    assert detect_encoding("客戶名稱,台北市信義區".encode("big5"), final=True) == "cp950"
    assert detect_encoding("客户名称,广州市天河区".encode("gb18030"), final=True) == "gb18030"


def test_headers_are_normalised_and_unknown_ones_listed():
    reader, rows = read(" Legal Name ,TAX-ID,City,Remarks\nACME,12345678,台北,x\n".encode())

    assert reader.names == ["legal_name", "tax_id", "city", None]
    assert reader.ignored == ["Remarks"]
    assert rows[0].data == {"legal_name": "ACME", "tax_id": "12345678", "city": "台北"}


def test_missing_required_columns_are_named():
    with pytest.raises(ImportFileError) as caught:
        read(b"city,remarks\nTaipei,x\n", required=("legal_name", "tax_id"))

    assert "legal_name, tax_id" in str(caught.value.message)
    assert caught.value.extra["missing_columns"] == ["legal_name", "tax_id"]
    assert caught.value.code == "import_file_invalid"


def test_line_numbers_follow_the_file_through_blank_lines_and_quoted_newlines():
    data = b'legal_name,city\n\nA,Taipei\n"B\nsecond line",Tainan\nC,Kaohsiung\n'

    _reader, rows = read(data)

    assert [(row.line, row.data["legal_name"]) for row in rows] == [
        (3, "A"),
        (4, "B\nsecond line"),
        (6, "C"),
    ]


def test_extra_values_beyond_the_header_are_flagged():
    _reader, rows = read(b"legal_name,city\nA,Taipei,surplus\nB,Tainan,\n")

    assert [row.extra_values for row in rows] == [True, False]


def test_semicolon_separated_files_are_read():
    _reader, rows = read("legal_name;city\nA;台北\n".encode())

    assert rows[0].data == {"legal_name": "A", "city": "台北"}


def test_reads_xlsx_with_numbers_dates_and_row_numbers():
    data = xlsx_bytes(
        [
            ["公司名稱", "統一編號", "city"],
            ["A", 22099131, datetime(2026, 3, 1)],
            [None, None, None],
            ["B", 12.5, date(2026, 3, 2)],
        ]
    )

    reader, rows = read(data)

    assert reader.format == "xlsx"
    assert [(row.line, row.data) for row in rows] == [
        (2, {"legal_name": "A", "tax_id": "22099131", "city": "2026-03-01"}),
        (4, {"legal_name": "B", "tax_id": "12.5", "city": "2026-03-02"}),
    ]


def test_refuses_old_xls_empty_and_undecodable_files():
    with pytest.raises(ImportFileError, match="xls"):
        read(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(ImportFileError, match="empty"):
        read(b"\n\n")
    with pytest.raises(ImportFileError, match="UTF-8"):
        read(b"legal_name\n\x80\xff\x80\xff\n", required=())
