"""Admin-written contract HTML to document blocks, keeping only a safe subset (K1.1).

Kept: h1-h3, p, br, ul/ol/li, strong/b (as Emphasis), table/tr/th/td. Other tags are
dropped but their text is kept; the content of script, style, template and title is
dropped entirely. Nothing from the HTML reaches ReportLab's markup unescaped.
"""

import re
from html.parser import HTMLParser

from salesdesk.core.pdfdoc.model import Block, Emphasis, Heading, Paragraph, Table

HIDDEN = {"script", "style", "template", "title"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3}
BREAKING = {"div", "section", "article", "blockquote", "hr", "pre", "address"}
SPACE = re.compile(r"[ \t\r\n\f]+")  # HTML's whitespace: keeps the ideographic space U+3000


def html_blocks(html: str) -> list[Block]:
    """The blocks of an HTML fragment; unknown markup is ignored, never rendered."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.finish()


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.runs: list[str | Emphasis] = []
        self.kind = "p"
        self.bullet = ""
        self.lists: list[list] = []  # [tag, items so far] per open list
        self.hidden = 0
        self.strong = 0
        self.table_depth = 0
        self.rows: list[tuple[list[str], bool]] = []
        self.cell: list[str] | None = None
        self.cell_is_header = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._add("\n")
        elif tag in {"strong", "b"}:
            self.strong += 1
        elif self.table_depth:
            self._table_start(tag)
        elif tag in HEADINGS or tag in BREAKING or (tag == "p" and self.kind != "li"):
            self._flush()
            self.kind = tag if tag in HEADINGS or tag == "p" else "p"
        elif tag in {"ul", "ol"}:
            self._flush()
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            self._start_item()
        elif tag == "table":
            self._flush()
            self.table_depth, self.rows = 1, []

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in {"strong", "b"}:
            self.strong = max(self.strong - 1, 0)
        elif self.table_depth:
            self._table_end(tag)
        elif tag in HEADINGS or tag in BREAKING or tag == "li" or (tag == "p" and self.kind == "p"):
            self._flush()
        elif tag in {"ul", "ol"} and self.lists:
            self._flush()
            self.lists.pop()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        text = SPACE.sub(" ", data)
        if self.table_depth:
            if self.cell is not None:
                self.cell.append(text)
            return
        self.runs.append(Emphasis(text) if self.strong and text.strip() else text)

    def finish(self) -> list[Block]:
        if self.table_depth:
            self._table_end("table", force=True)
        self._flush()
        return self.blocks

    def _add(self, text: str) -> None:
        if self.hidden:
            return
        if self.table_depth:
            if self.cell is not None:
                self.cell.append(text)
        else:
            self.runs.append(text)

    def _start_item(self) -> None:
        self.kind = "li"
        if not self.lists:
            self.bullet = "•"
            return
        self.lists[-1][1] += 1
        tag, number = self.lists[-1]
        self.bullet = f"{number}." if tag == "ol" else "•"

    def _flush(self) -> None:
        """Close the open text block, if it holds any text."""
        parts = _tidy(self.runs)
        kind, self.runs, self.kind = self.kind, [], "p"
        if not parts:
            return
        if kind in HEADINGS:
            plain = "".join(str(p.text) if isinstance(p, Emphasis) else p for p in parts)
            self.blocks.append(Heading(plain, HEADINGS[kind]))
            return
        text = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else tuple(parts)
        if kind == "li":
            indent = max(len(self.lists) - 1, 0)
            self.blocks.append(Paragraph(text, bullet=self.bullet, indent=indent))
        else:
            self.blocks.append(Paragraph(text))

    def _table_start(self, tag: str) -> None:
        if tag == "table":
            self.table_depth += 1  # a nested table's cells flow into the outer table
        elif tag == "tr":
            self._end_cell()
            self.rows.append(([], True))
        elif tag in {"td", "th"}:
            self._end_cell()
            if not self.rows:
                self.rows.append(([], True))
            self.cell, self.cell_is_header = [], tag == "th"

    def _table_end(self, tag: str, *, force: bool = False) -> None:
        if tag in {"td", "th", "tr"}:
            self._end_cell()
        elif tag == "table":
            self.table_depth = 0 if force else self.table_depth - 1
            if not self.table_depth:
                self._end_cell()
                self._emit_table()

    def _end_cell(self) -> None:
        if self.cell is None or not self.rows:
            return
        cells, all_headers = self.rows[-1]
        cells.append("\n".join(line.strip() for line in "".join(self.cell).split("\n")).strip())
        self.rows[-1] = (cells, all_headers and self.cell_is_header)
        self.cell = None

    def _emit_table(self) -> None:
        rows = [(cells, header) for cells, header in self.rows if cells]
        self.rows = []
        if not rows:
            return
        headers: list[str] = []
        if rows[0][1]:
            headers = rows.pop(0)[0]
        width = max(len(headers), *(len(cells) for cells, _ in rows)) if rows else len(headers)
        body = [cells + [""] * (width - len(cells)) for cells, _ in rows]
        self.blocks.append(Table(headers + [""] * (width - len(headers)) if headers else [], body))


def _tidy(runs: list[str | Emphasis]) -> list[str | Emphasis]:
    """Merge neighbouring plain strings, trim spaces around line breaks and at both ends."""
    merged: list[str | Emphasis] = []
    for run in runs:
        if isinstance(run, str) and merged and isinstance(merged[-1], str):
            merged[-1] += run
        else:
            merged.append(run)
    merged = [re.sub(r" *\n *", "\n", r) if isinstance(r, str) else r for r in merged]
    if merged and isinstance(merged[0], str):
        merged[0] = merged[0].lstrip()
    if merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip()
    if not "".join(str(r.text) if isinstance(r, Emphasis) else r for r in merged).strip():
        return []
    return [r for r in merged if not isinstance(r, str) or r]
