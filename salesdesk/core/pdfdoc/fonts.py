"""Fonts for PDFs: Adobe's CJK CID fonts by default, or one TrueType font to embed.

See docs/decisions/0008-pdf-cjk-fonts.md for why the CID fonts are not embedded.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_VARIABLE = "SALESDESK_PDF_FONT"
CID_FONTS = {"hant": "MSung-Light", "hans": "STSong-Light"}
TRUETYPE_SUFFIXES = {".ttf", ".ttc"}


def font_for(variant: str) -> str:
    """The registered font name for a document: the configured TrueType font, else CID."""
    if variant not in CID_FONTS:
        raise ValueError(f"unknown variant {variant!r}: use 'hant' or 'hans'")
    if settings.PDF_FONT:
        return _truetype(settings.PDF_FONT)
    return _cid(CID_FONTS[variant])


@functools.cache
def _cid(name: str) -> str:
    font = _TraditionalCIDFont() if name == "MSung-Light" else UnicodeCIDFont(name)
    pdfmetrics.registerFont(font)
    return name


class _TraditionalCIDFont(UnicodeCIDFont):
    """MSung-Light with its own CMap: ReportLab declares the Simplified one (UniGB-UCS2-H),
    which maps the text into the wrong character collection (poppler refuses the font)."""

    def __init__(self) -> None:
        super().__init__("MSung-Light")
        self.encodingName = "UniCNS-UCS2-H"


@functools.cache
def _truetype(configured: str) -> str:
    """Register the font file once; a bad value fails the first render, naming the variable."""
    path = Path(configured).expanduser()
    if path.suffix.lower() not in TRUETYPE_SUFFIXES:
        raise ImproperlyConfigured(
            f"{FONT_VARIABLE}: expected a TrueType font file (.ttf or .ttc), got {configured!r}"
        )
    if not path.is_file():
        raise ImproperlyConfigured(f"{FONT_VARIABLE}: no font file at {path}")
    name = "SalesdeskPDF-" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    except Exception as exc:  # a malformed font can fail anywhere inside the font parser
        raise ImproperlyConfigured(
            f"{FONT_VARIABLE}: cannot embed {path}: {exc} "
            "(only TrueType outlines can be embedded, not CFF/OpenType .otf)"
        ) from None
    return name
