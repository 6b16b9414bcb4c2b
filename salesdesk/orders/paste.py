"""Lines pasted from a customer's Excel PO (U2): tab-separated SKU, quantity, unit price and an
optional discount, one row per line.

The entry page parses the same text in the browser (static/salesdesk/order-entry.js,
`parsePasted`); without JavaScript the server parses it on submit. Both follow these rules,
and tests/browser/test_orders.py runs the browser's parser on PASTE_EXAMPLES:

- rows split on CR LF, LF or CR; cells on tabs; cells are trimmed of SPACES; empty rows are
  skipped;
- a first row whose quantity and unit price are both text (not numbers) is a heading;
- the SKU is upper-cased; in numbers, thousands separators, spaces and ¥ ￥ $ are dropped;
- a discount written as a percentage ("5%") becomes a fraction ("0.05").

Nothing is validated here: the order services check every line and name the cell at fault.
"""

import re

COLUMNS = ("sku", "quantity", "unit_price", "discount_rate")
# The same white space as SPACES in order-entry.js (ideographic space included).
SPACES = "\t\n\v\f\r \u00a0\u3000\ufeff"
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_NUMBER_NOISE = re.compile("[,¥￥$" + SPACES + "]")
_ROW_BREAK = re.compile(r"\r\n|\r|\n")


def clean_number(text: str) -> str:
    """¥1,500.00 → 1500.00; text that is still not a number comes back only trimmed."""
    text = (text or "").strip(SPACES)
    compact = _NUMBER_NOISE.sub("", text)
    return compact if _NUMBER.match(compact) else text


def clean_rate(text: str) -> str:
    """A rate as a fraction: "5%" → "0.05", "12.5 %" → "0.125", "0.05" stays."""
    text = (text or "").strip(SPACES)
    if text.endswith("%"):
        number = clean_number(text[:-1])
        if _NUMBER.match(number):
            return _fraction_of_percent(number)
    return clean_number(text)


def _fraction_of_percent(number: str) -> str:
    """Move the decimal point two places left on the digits, exactly as the browser does."""
    sign = "-" if number.startswith("-") else ""
    whole, _point, fraction = number.lstrip("-").partition(".")
    whole = whole.rjust(3, "0")
    head = whole[:-2].lstrip("0") or "0"
    tail = (whole[-2:] + fraction).rstrip("0")
    text = f"{head}.{tail}" if tail else head
    return text if text == "0" else sign + text


def _is_text(cell: str) -> bool:
    return bool(cell) and not _NUMBER.match(cell)


def parse_pasted(text: str) -> list[dict[str, str]]:
    """The rows of a pasted block as line dicts with the keys in COLUMNS."""
    rows = []
    for raw in _ROW_BREAK.split(text or ""):
        cells = [cell.strip(SPACES) for cell in raw.split("\t")]
        if not any(cells):
            continue
        cells += [""] * (len(COLUMNS) - len(cells))
        sku, quantity, price, discount = cells[: len(COLUMNS)]
        rows.append(
            {
                "sku": sku.upper(),
                "quantity": clean_number(quantity),
                "unit_price": clean_number(price),
                "discount_rate": clean_rate(discount),
            }
        )
    if rows and all(_is_text(rows[0][name]) for name in ("quantity", "unit_price")):
        rows.pop(0)
    return rows


# (pasted text, parsed rows): the contract between this module and order-entry.js.
PASTE_EXAMPLES: list[tuple[str, list[dict[str, str]]]] = [
    (
        "M-750\t2\t1500",
        [{"sku": "M-750", "quantity": "2", "unit_price": "1500", "discount_rate": ""}],
    ),
    (
        "SKU\tQty\tPrice\tDiscount\r\nb-6204\t1,000\t¥20.50\t5%\r\n\r\nM-750\t 3 \t1500\t0.1\r\n",
        [
            {"sku": "B-6204", "quantity": "1000", "unit_price": "20.50", "discount_rate": "0.05"},
            {"sku": "M-750", "quantity": "3", "unit_price": "1500", "discount_rate": "0.1"},
        ],
    ),
    (
        "X-1\tten\t\t12.5 %\ny-2\n\t\t\t\nZ-3\t-4\t-0.5\t-5%",
        [
            {"sku": "X-1", "quantity": "ten", "unit_price": "", "discount_rate": "0.125"},
            {"sku": "Y-2", "quantity": "", "unit_price": "", "discount_rate": ""},
            {"sku": "Z-3", "quantity": "-4", "unit_price": "-0.5", "discount_rate": "-0.05"},
        ],
    ),
    (
        "名稱\t數量\t單價\nZ-9\t5\t$1,234.5\t100%\tignored\rZ-8\t7\t0\t0%\nZ-7\t1\t1\t1234.50%",
        [
            {"sku": "Z-9", "quantity": "5", "unit_price": "1234.5", "discount_rate": "1"},
            {"sku": "Z-8", "quantity": "7", "unit_price": "0", "discount_rate": "0"},
            {"sku": "Z-7", "quantity": "1", "unit_price": "1", "discount_rate": "12.345"},
        ],
    ),
    (
        "\ufeffa-1\u3000\t\u00a02 000\t１０\t5 %\n",
        [{"sku": "A-1", "quantity": "2000", "unit_price": "１０", "discount_rate": "0.05"}],
    ),
]
