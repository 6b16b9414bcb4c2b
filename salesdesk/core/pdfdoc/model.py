"""The document model of the PDF renderer: a title block, a list of blocks and a footer.

Text fields accept anything printable (lazy translations included) and are rendered as
plain text: markup characters are escaped, line breaks are kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

Variant = Literal["hant", "hans"]
Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Emphasis:
    """Inline emphasis inside a Paragraph, drawn underlined: the CJK fonts have no bold face."""

    text: Any


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the largest, level 3 is body size underlined."""

    text: Any
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Plain text, or a tuple of plain strings and Emphasis parts; bullets indent by level."""

    text: Any
    bullet: str = ""
    indent: int = 0


@dataclass(frozen=True)
class KeyValues:
    """Label/value pairs laid out `columns` pairs to a row."""

    items: Sequence[tuple[Any, Any]]
    columns: int = 2


@dataclass(frozen=True)
class Table:
    """A ruled table; the header row repeats on every page the table runs onto.

    `col_widths` are relative weights (default: from the content); `align` gives one of
    left/right/center per column (default: right for columns holding only numbers).
    """

    headers: Sequence[Any]
    rows: Sequence[Sequence[Any]]
    col_widths: Sequence[float] | None = None
    align: Sequence[Align] | None = None
    totals_row: Sequence[Any] | None = None


@dataclass(frozen=True)
class Amount:
    """A money amount in figures and in Chinese capitals (大寫金額); label without a colon."""

    label: Any
    value: Decimal
    currency: str | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """One column per party: its label, then a ruled line for each entry (簽章, 日期 …)."""

    parties: Sequence[tuple[Any, Sequence[Any]]]


@dataclass(frozen=True)
class Spacer:
    """Vertical space, in millimetres."""

    height: float = 6


Block = Heading | Paragraph | KeyValues | Table | Amount | SignatureBlock | Spacer


@dataclass(frozen=True)
class Document:
    """A business document: title block, blocks in order, a footer line on every page."""

    title: Any
    subtitle: Any = ""
    meta: Sequence[tuple[Any, Any]] = ()
    blocks: Sequence[Block] = ()
    footer: Any = ""
    variant: Variant = "hant"
