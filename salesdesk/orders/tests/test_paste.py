"""Lines pasted from Excel (U2): the server's parser; the browser's runs on the same examples
in tests/browser/test_orders.py."""

import pytest

from salesdesk.orders.paste import PASTE_EXAMPLES, clean_number, clean_rate, parse_pasted


@pytest.mark.req("U2")
@pytest.mark.parametrize(("text", "expected"), PASTE_EXAMPLES)
def test_parses_the_shared_examples(text, expected):
    assert parse_pasted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("¥1,500.00", "1500.00"), (" 12 ", "12"), ("1.2.3", "1.2.3"), ("", ""), ("$-3", "-3")],
)
def test_clean_number(text, expected):
    assert clean_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5%", "0.05"),
        ("0.5%", "0.005"),
        ("150%", "1.5"),
        ("10.00%", "0.1"),
        ("0.13", "0.13"),
        ("abc%", "abc%"),
    ],
)
def test_clean_rate_turns_percentages_into_fractions(text, expected):
    assert clean_rate(text) == expected


def test_empty_and_blank_text_gives_no_rows():
    assert parse_pasted("") == []
    assert parse_pasted("\n\t\t\n\r\n") == []


def test_heading_is_skipped_only_on_the_first_row():
    text = "SKU\tQty\tPrice\nB-1\t1\t2\nSKU\tQty\tPrice"
    assert [row["sku"] for row in parse_pasted(text)] == ["B-1", "SKU"]
