"""Blocks to ReportLab flowables: styles, escaping, tables, amounts and signature areas."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable

from salesdesk.core.money import amount_in_words, default_currency, format_money
from salesdesk.core.pdfdoc import model

BODY_SIZE = 10.5
CELL_SIZE = 9.5
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#EEEEEE")
MUTED = colors.HexColor("#555555")
CURRENCY_SYMBOLS = {"CNY": "¥"}
NUMBER = re.compile(r"[-+]?[¥$]?[\d,]*\.?\d+%?")
CELL_PADDING = 13  # the 6 pt left and right cell padding, and a hair
MIN_COLUMN = 10 * mm
ALIGNMENTS = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


def styles(font: str) -> dict[str, ParagraphStyle]:
    """Every paragraph style of a document, all in the one font (CJK line breaking on)."""
    body = ParagraphStyle("body", fontName=font, fontSize=BODY_SIZE, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=CELL_SIZE, leading=13)
    return {
        "body": ParagraphStyle("para", parent=body, spaceAfter=1.5 * mm),
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=11.5, alignment=TA_CENTER, textColor=MUTED
        ),
        "h1": ParagraphStyle("h1", parent=body, fontSize=14, leading=20, spaceBefore=4 * mm),
        "h2": ParagraphStyle("h2", parent=body, fontSize=12.5, leading=18, spaceBefore=3 * mm),
        "h3": ParagraphStyle("h3", parent=body, spaceBefore=2 * mm),
        "label": ParagraphStyle("label", parent=cell, textColor=MUTED),
        **{
            f"cell-{name}": ParagraphStyle(name, parent=cell, alignment=value)
            for name, value in ALIGNMENTS.items()
        },
    }


def text(value: Any) -> str:
    """A value as printed: numbers with thousand separators, None as blank."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def markup(value: Any) -> str:
    """Escaped paragraph markup; Emphasis parts are underlined, line breaks kept."""
    parts = value if isinstance(value, tuple | list) else (value,)
    out = []
    for part in parts:
        if isinstance(part, model.Emphasis):
            out.append(f"<u>{escape(text(part.text))}</u>")
        else:
            out.append(escape(text(part)))
    return "".join(out).replace("\r\n", "\n").replace("\n", "<br/>")


@dataclass(frozen=True)
class Context:
    """What every block needs to lay itself out: styles, frame width (points), script."""

    sheet: dict[str, ParagraphStyle]
    width: float
    variant: str


def flowables(blocks: Sequence[model.Block], ctx: Context) -> list[Flowable]:
    """The flowables of a list of blocks, in order."""
    out: list[Flowable] = []
    for block in blocks:
        builder = _BUILDERS.get(type(block))
        if builder is None:
            raise TypeError(f"not a PDF block: {block!r}")
        out.extend(builder(block, ctx))
    return out


def _heading(block: model.Heading, ctx: Context) -> list[Flowable]:
    level = min(max(block.level, 1), 3)
    body = markup(block.text)
    return [RLParagraph(f"<u>{body}</u>" if level == 3 else body, ctx.sheet[f"h{level}"])]


def _paragraph(block: model.Paragraph, ctx: Context) -> list[Flowable]:
    if not block.bullet:
        return [RLParagraph(markup(block.text), ctx.sheet["body"])]
    style = ParagraphStyle(
        f"bullet-{block.indent}",
        parent=ctx.sheet["body"],
        leftIndent=(block.indent + 1) * 7 * mm,
        bulletIndent=block.indent * 7 * mm + 1 * mm,
        bulletFontName=ctx.sheet["body"].fontName,
    )
    return [RLParagraph(markup(block.text), style, bulletText=block.bullet)]


def _key_values(block: model.KeyValues, ctx: Context) -> list[Flowable]:
    columns = max(block.columns, 1)
    cells = []
    for label, value in block.items:
        cells += [
            RLParagraph(markup(label), ctx.sheet["label"]),
            _cell(value, ctx.sheet["cell-left"]),
        ]
    if not cells:
        return []
    cells += [""] * (-len(cells) % (2 * columns))
    rows = [cells[i : i + 2 * columns] for i in range(0, len(cells), 2 * columns)]
    widths = [ctx.width * (0.3 if i % 2 == 0 else 0.7) / columns for i in range(2 * columns)]
    table = RLTable(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1)])
    return [table, RLSpacer(1, 2 * mm)]


def _cell(value: Any, style: ParagraphStyle) -> RLParagraph:
    return RLParagraph(markup(value), style)


def _is_number(value: Any) -> bool:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and NUMBER.fullmatch(value.strip()) is not None


def _alignments(block: model.Table, columns: int, rows: list[Sequence[Any]]) -> list[str]:
    if block.align:
        return [*block.align, *["left"] * columns][:columns]
    out = []
    for index in range(columns):
        values = [row[index] for row in rows if index < len(row) and text(row[index]).strip()]
        out.append("right" if values and all(map(_is_number, values)) else "left")
    return out


def _widths(block: model.Table, columns: int, every: list[list[Any]], ctx: Context) -> list[float]:
    """Relative weights if given; else each column's natural width, shrinking the columns
    that can wrap (never below their header) when the table would be wider than the frame."""
    if block.col_widths:
        weights = [*block.col_widths, *[1.0] * columns][:columns]
        return [ctx.width * w / sum(weights) for w in weights]
    font = ctx.sheet["cell-left"].fontName

    def measure(value: Any) -> float:
        lines = text(value).split("\n")
        return max(stringWidth(line, font, CELL_SIZE) for line in lines) + CELL_PADDING

    natural = [
        min(max(measure(row[i]) for row in every if i < len(row)), ctx.width * 0.6)
        for i in range(columns)
    ]
    headers = list(block.headers)
    floor = [
        min(max(measure(headers[i]) if i < len(headers) else 0, MIN_COLUMN), n)
        for i, n in enumerate(natural)
    ]
    total = sum(natural)
    if total <= ctx.width:
        return [n * ctx.width / total for n in natural]
    if sum(floor) >= ctx.width:
        return [f * ctx.width / sum(floor) for f in floor]
    slack = [n - f for n, f in zip(natural, floor, strict=True)]
    excess = total - ctx.width
    return [n - excess * s / sum(slack) for n, s in zip(natural, slack, strict=True)]


def _table(block: model.Table, ctx: Context) -> list[Flowable]:
    body = [list(row) for row in block.rows]
    totals = [list(block.totals_row)] if block.totals_row else []
    headers = [list(block.headers)] if block.headers else []
    every = headers + body + totals
    columns = max((len(row) for row in every), default=0)
    if not columns:
        return []
    aligns = _alignments(block, columns, body + totals)
    data = [
        [
            _cell(row[i] if i < len(row) else "", ctx.sheet[f"cell-{aligns[i]}"])
            for i in range(columns)
        ]
        for row in every
    ]
    table = RLTable(data, colWidths=_widths(block, columns, every, ctx), repeatRows=len(headers))
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if headers:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 1, RULE),
        ]
    if totals:
        commands += [("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black)]
    table.setStyle(commands)
    return [table, RLSpacer(1, 3 * mm)]


def amount_text(value: Decimal, variant: str, currency: str | None = None) -> str:
    """`¥1,234.50 (壹仟貳佰叁拾肆元伍角)`: figures, then capitals in the document's script."""
    code = currency or default_currency()
    figures = format_money(value, "")
    prefix = CURRENCY_SYMBOLS.get(code, f"{code} ")
    if figures.startswith("-"):
        figures, prefix = figures[1:], "-" + prefix
    return f"{prefix}{figures} ({amount_in_words(value, variant)})"


def _amount(block: model.Amount, ctx: Context) -> list[Flowable]:
    label = escape(text(block.label)).rstrip(":：")
    figures = escape(amount_text(block.value, ctx.variant, block.currency))
    return [RLParagraph(f"{label}：<u>{figures}</u>", ctx.sheet["body"])]


def _signatures(block: model.SignatureBlock, ctx: Context) -> list[Flowable]:
    parties = [
        _party(label, lines, ctx.sheet, ctx.width / 2 - 4 * mm) for label, lines in block.parties
    ]
    if not parties:
        return []
    parties += [""] * (len(parties) % 2)
    rows = [parties[i : i + 2] for i in range(0, len(parties), 2)]
    outer = RLTable(rows, colWidths=[ctx.width / 2] * 2)
    outer.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [KeepTogether([RLSpacer(1, 6 * mm), outer])]


def _party(label: Any, lines: Sequence[Any], sheet: dict, width: float) -> RLTable:
    """The party's name, then a ruled blank for each line: tall enough for a seal (公章)."""
    rows = [[RLParagraph(markup(label), sheet["body"]), ""]]
    rows += [[RLParagraph(markup(line), sheet["body"]), ""] for line in lines]
    table = RLTable(
        rows,
        colWidths=[24 * mm, width - 24 * mm],
        rowHeights=[None] + [14 * mm] * len(lines),
    )
    table.setStyle(
        [
            ("SPAN", (0, 0), (-1, 0)),
            ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 1), (1, -1), 0.8, colors.black),
        ]
    )
    return table


def _spacer(block: model.Spacer, ctx: Context) -> list[Flowable]:
    return [RLSpacer(1, block.height * mm)]


_BUILDERS = {
    model.Heading: _heading,
    model.Paragraph: _paragraph,
    model.KeyValues: _key_values,
    model.Table: _table,
    model.Amount: _amount,
    model.SignatureBlock: _signatures,
    model.Spacer: _spacer,
}


def register_block(kind: type, builder: Callable[[Any, Context], list[Flowable]]) -> None:
    """Let an app add a block type (e.g. a report's chart) laid out like the built-in ones."""
    _BUILDERS[kind] = builder
