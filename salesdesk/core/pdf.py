"""PDF business documents with Chinese text: contracts, packing lists, delivery notes (K3, S1.2).

Callers describe a document with the small model re-exported here (Document and its blocks)
and get bytes from `render` or a download from `pdf_response`. Fonts: see decision 0008.
"""

import functools
from collections.abc import Callable
from io import BytesIO

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus.flowables import HRFlowable

from salesdesk.core.pdfdoc import layout
from salesdesk.core.pdfdoc.fonts import FONT_VARIABLE, font_for
from salesdesk.core.pdfdoc.htmlblocks import html_blocks
from salesdesk.core.pdfdoc.model import (
    Amount,
    Block,
    Document,
    Emphasis,
    Heading,
    KeyValues,
    Paragraph,
    SignatureBlock,
    Spacer,
    Table,
    Variant,
)

__all__ = [
    "FONT_VARIABLE",
    "Amount",
    "Block",
    "Document",
    "Emphasis",
    "Heading",
    "KeyValues",
    "Paragraph",
    "SignatureBlock",
    "Spacer",
    "Table",
    "Variant",
    "html_blocks",
    "pdf_response",
    "render",
    "variant_for_language",
]

PAGE_SIZE = A4
SIDE_MARGIN = 18 * mm
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 20 * mm
PAGE_LABELS = {"hant": "第 {page} 頁／共 {pages} 頁", "hans": "第 {page} 页／共 {pages} 页"}
EDGE_SIZE = 8.5
EDGE_COLOUR = HexColor("#555555")


def variant_for_language(language_code: str | None) -> Variant:
    """The script of a document for a UI language: Simplified for zh-hans, else Traditional."""
    code = (language_code or "").lower().replace("_", "-")
    return "hans" if code in {"zh-hans", "zh-cn", "zh-sg"} else "hant"


def render(document: Document) -> bytes:
    """The document as PDF bytes (A4, company name in the header, page N of M in the footer)."""
    if document.variant not in PAGE_LABELS:
        raise ValueError(f"unknown variant {document.variant!r}: use 'hant' or 'hans'")
    font = font_for(document.variant)
    width = PAGE_SIZE[0] - 2 * SIDE_MARGIN
    sheet = layout.styles(font)
    context = layout.Context(sheet=sheet, width=width, variant=document.variant)
    story = [
        *_title_block(document, context),
        *layout.flowables(document.blocks, context),
    ]
    company = str(settings.COMPANY_NAME)
    decorate = functools.partial(_decorate, document=document, font=font, company=company)
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=str(document.title),
        author=company,
        creator="salesdesk",
        invariant=True,
    )
    template.build(story, canvasmaker=functools.partial(_NumberedCanvas, decorate=decorate))
    return buffer.getvalue()


def pdf_response(document: Document, filename: str, *, inline: bool = False) -> HttpResponse:
    """A download of the rendered document (`inline=True` opens it in the browser instead)."""
    name = filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"
    response = HttpResponse(render(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    return response


def _title_block(document: Document, context: layout.Context) -> list:
    sheet = context.sheet
    out = [RLParagraph(layout.markup(document.title), sheet["title"])]
    if str(document.subtitle):
        out.append(RLParagraph(layout.markup(document.subtitle), sheet["subtitle"]))
    out.append(RLSpacer(1, 3 * mm))
    if document.meta:
        out += layout.flowables([KeyValues(document.meta)], context)
    out.append(HRFlowable(width="100%", thickness=0.8, color=EDGE_COLOUR, spaceAfter=3 * mm))
    return out


def _decorate(
    canvas: Canvas, page: int, pages: int, *, document: Document, font: str, company: str
) -> None:
    """Header (company, title) and footer (footer text, page N of M) on one page."""
    width, height = PAGE_SIZE
    canvas.saveState()
    canvas.setFont(font, EDGE_SIZE)
    canvas.setFillColor(EDGE_COLOUR)
    canvas.setStrokeColor(EDGE_COLOUR)
    canvas.setLineWidth(0.5)
    canvas.drawString(SIDE_MARGIN, height - 13 * mm, company)
    canvas.drawRightString(width - SIDE_MARGIN, height - 13 * mm, str(document.title))
    canvas.line(SIDE_MARGIN, height - 15 * mm, width - SIDE_MARGIN, height - 15 * mm)
    canvas.line(SIDE_MARGIN, 14 * mm, width - SIDE_MARGIN, 14 * mm)
    canvas.drawString(SIDE_MARGIN, 10 * mm, str(document.footer))
    label = PAGE_LABELS[document.variant].format(page=page, pages=pages)
    canvas.drawRightString(width - SIDE_MARGIN, 10 * mm, label)
    canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so each footer can say how many pages there are."""

    def __init__(self, *args, decorate: Callable[[Canvas, int, int], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held_pages: list[dict] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()
