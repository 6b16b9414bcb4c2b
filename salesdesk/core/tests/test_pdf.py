import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import reportlab
from django.core.exceptions import ImproperlyConfigured
from pdfminer.high_level import extract_text

from salesdesk.core.pdf import (
    Amount,
    Document,
    Emphasis,
    Heading,
    KeyValues,
    Paragraph,
    SignatureBlock,
    Spacer,
    Table,
    html_blocks,
    pdf_response,
    render,
    variant_for_language,
)
from salesdesk.core.pdfdoc.layout import amount_text

pytestmark = pytest.mark.req("K3.1", "S1.2", "U6")

CUSTOMER = "福建精工股份有限公司"
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def contract(variant: str, product: str, rows: int = 3) -> Document:
    lines = [[n, f"{product} 6204-2RS", "個", Decimal(10), Decimal("123.45")] for n in range(rows)]
    return Document(
        title="銷售合同" if variant == "hant" else "销售合同",
        subtitle="CT-20250301-0001",
        meta=[("客戶", CUSTOMER), ("日期", "2025-03-01")],
        blocks=[
            Heading("第一條 標的"),
            Paragraph(("貨物以", Emphasis("本表"), "為準。\n第二行")),
            Table(
                ["#", "品名", "單位", "數量", "單價"],
                lines,
                totals_row=["", "合計", "", Decimal(10) * rows, ""],
            ),
            Amount("合計金額", Decimal("1234.50")),
            KeyValues([("交貨地點", "福州市鼓樓區"), ("付款方式", "月結30天")]),
            Spacer(4),
            SignatureBlock(
                [("甲方（賣方）", ["簽章", "日期"]), ("乙方（買方）", ["簽章", "日期"])]
            ),
        ],
        footer="CT-20250301-0001",
        variant=variant,
    )


def pdf_text(data: bytes) -> str:
    return extract_text(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return extract_text(io.BytesIO(data)).split("\f")[:-1]


def test_renders_traditional_chinese_text():
    data = render(contract("hant", "深溝球軸承"))

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        "銷售合同",
        CUSTOMER,
        "深溝球軸承 6204-2RS",
        "壹仟貳佰叁拾肆元伍角",
        "1,234.50",
        "甲方（賣方）",
        "簽章",
        "第 1 頁",
        "共 1 頁",
        "CT-20250301-0001",
    ):
        assert expected in text, expected


def test_renders_simplified_chinese_text():
    document = contract("hans", "深沟球轴承")
    data = render(document)

    text = pdf_text(data)
    for expected in (
        "销售合同",
        "深沟球轴承 6204-2RS",
        "壹仟贰佰叁拾肆元伍角",
        "第 1 页",
        "共 1 页",
    ):
        assert expected in text, expected


def test_cid_fonts_are_declared_with_their_own_cmaps():
    traditional = render(contract("hant", "深溝球軸承"))
    simplified = render(contract("hans", "深沟球轴承"))

    assert b"/BaseFont /MSung-Light" in traditional
    assert b"/Encoding /UniCNS-UCS2-H" in traditional
    assert b"/UniGB-UCS2-H" not in traditional
    assert b"/BaseFont /STSong-Light" in simplified
    assert b"/Encoding /UniGB-UCS2-H" in simplified


def test_long_table_runs_onto_more_pages_and_repeats_its_header():
    data = render(contract("hant", "深溝球軸承", rows=80))

    pages = page_texts(data)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 頁" in page
        assert f"共 {len(pages)} 頁" in page
        if "深溝球軸承" in page:
            assert "品名" in page and "單價" in page
    text = "".join(pages)
    assert text.count("深溝球軸承 6204-2RS") == 80
    assert text.count("合計") == 2  # the totals row once, and the 合計金額 line


def test_company_name_from_settings_heads_every_page(settings):
    settings.COMPANY_NAME = "泉州順達貿易有限公司"

    pages = page_texts(render(contract("hant", "深溝球軸承", rows=60)))

    assert len(pages) >= 2
    assert all("泉州順達貿易有限公司" in page for page in pages)


def test_paragraph_text_is_escaped_not_interpreted():
    document = Document(title="T", blocks=[Paragraph('<font size="40">x</font> & <b>y</b>')])

    text = pdf_text(render(document))

    assert '<font size="40">x</font> & <b>y</b>' in text


def test_amount_text_in_figures_and_capitals(settings):
    assert amount_text(Decimal("1234.50"), "hant") == "¥1,234.50 (壹仟貳佰叁拾肆元伍角)"
    assert amount_text(Decimal("1234.50"), "hans") == "¥1,234.50 (壹仟贰佰叁拾肆元伍角)"
    assert amount_text(Decimal("-0.05"), "hant") == "-¥0.05 (負伍分)"
    assert amount_text(Decimal(100), "hant", "HKD") == "HKD 100.00 (壹佰元整)"
    settings.CURRENCY = "USD"
    assert amount_text(Decimal(1), "hant") == "USD 1.00 (壹元整)"


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="unknown variant 'jp'"):
        render(Document(title="T", variant="jp"))


def test_unknown_block_is_refused():
    with pytest.raises(TypeError, match="not a PDF block: 'text'"):
        render(Document(title="T", blocks=["text"]))


def test_variant_for_language():
    assert variant_for_language("zh-hans") == "hans"
    assert variant_for_language("zh_Hans") == "hans"
    assert variant_for_language("zh-hant") == "hant"
    assert variant_for_language("en") == "hant"
    assert variant_for_language(None) == "hant"


def test_pdf_response_is_a_download_or_inline():
    document = Document(title="送貨單")

    download = pdf_response(document, "DN-20250301-0001")
    shown = pdf_response(document, "送貨單.pdf", inline=True)

    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="DN-20250301-0001.pdf"'
    assert download.content.startswith(b"%PDF-")
    assert shown["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert "%E9%80%81%E8%B2%A8%E5%96%AE.pdf" in shown["Content-Disposition"]


def test_html_blocks_keeps_the_safe_subset():
    blocks = html_blocks(
        "<h1>銷售合同</h1><h3>第一條</h3>"
        "<p>甲方：<strong>{{ customer }}</strong><br>乙方：本公司</p>"
        "<ul><li>交貨</li><li>付款<ol><li>預付</li></ol></li></ul>"
        "<table><tr><th>品名</th><th>數量</th></tr><tr><td>軸承</td><td>10</td></tr></table>"
        "<div>附<span>件</span></div>"
    )

    assert blocks == [
        Heading("銷售合同", 1),
        Heading("第一條", 3),
        Paragraph(("甲方：", Emphasis("{{ customer }}"), "\n乙方：本公司")),
        Paragraph("交貨", bullet="•", indent=0),
        Paragraph("付款", bullet="•", indent=0),
        Paragraph("預付", bullet="1.", indent=1),
        Table(["品名", "數量"], [["軸承", "10"]]),
        Paragraph("附件"),
    ]


def test_html_blocks_drops_scripts_styles_and_unknown_tags():
    blocks = html_blocks(
        "<style>p { color: red }</style><p onclick='x()'>條款"
        "<script>alert('x')</script><img src=x onerror=alert(1)>內容</p>"
        "<iframe src='https://example.com'></iframe><title>標題</title>"
    )

    assert blocks == [Paragraph("條款內容")]
    text = pdf_text(render(Document(title="T", blocks=blocks)))
    assert "條款內容" in text
    assert "alert" not in text and "color" not in text


def test_html_blocks_without_header_row_and_with_ragged_rows():
    blocks = html_blocks("<table><tr><td>a</td></tr><tr><td>b</td><td>c</td></tr></table>")

    assert blocks == [Table([], [["a", ""], ["b", "c"]])]
    assert "b" in pdf_text(render(Document(title="T", blocks=blocks)))


def test_pdf_font_setting_naming_a_missing_file_is_refused(settings):
    settings.PDF_FONT = "/nonexistent/NotoSansTC.ttf"

    with pytest.raises(ImproperlyConfigured, match=r"^SALESDESK_PDF_FONT: no font file at"):
        render(Document(title="T"))


def test_pdf_font_setting_refuses_opentype_and_broken_files(settings, tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")

    settings.PDF_FONT = str(tmp_path / "NotoSansCJK.otf")
    with pytest.raises(ImproperlyConfigured, match=r"^SALESDESK_PDF_FONT: expected a TrueType"):
        render(Document(title="T"))
    settings.PDF_FONT = str(broken)
    with pytest.raises(ImproperlyConfigured, match=r"^SALESDESK_PDF_FONT: cannot embed"):
        render(Document(title="T"))


def test_pdf_font_setting_embeds_a_truetype_font(settings):
    settings.PDF_FONT = str(VERA)

    data = render(Document(title="Packing list", blocks=[Paragraph("Bearing 6204")]))

    assert b"/FontFile2" in data
    assert b"MSung-Light" not in data
    assert "Bearing 6204" in pdf_text(data)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_poppler_renders_both_scripts_without_font_errors(tmp_path):
    for variant, product in (("hant", "深溝球軸承"), ("hans", "深沟球轴承")):
        source = tmp_path / f"{variant}.pdf"
        source.write_bytes(render(contract(variant, product)))

        result = subprocess.run(
            ["pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / variant)],
            capture_output=True,
            text=True,
            check=False,
        )

        assert result.returncode == 0
        assert not re.search(r"error", result.stderr, re.IGNORECASE), result.stderr
        assert (tmp_path / f"{variant}-1.png").stat().st_size > 0
