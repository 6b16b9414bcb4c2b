from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from salesdesk.config import env
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.money import (
    DEFAULT_TAX_RATE,
    LineAmounts,
    amount_in_words,
    document_totals,
    format_money,
    gross_from_net,
    line_amounts,
    net_from_gross,
    quantize_money,
    quantize_rate,
    tax_of_net,
    to_decimal,
)

pytestmark = pytest.mark.req("U3")

# An independent reader of Chinese capitals, used to check amount_in_words round trips.
DIGIT_VALUES = {
    **{char: value for value, char in enumerate("零壹貳叁肆伍陸柒捌玖")},
    **{char: value for value, char in enumerate("零壹贰叁肆伍陆柒捌玖")},
}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def parse_capitals(text: str) -> Decimal:
    sign = -1 if text[0] in "負负" else 1
    integer_text, _yuan, fraction_text = text.lstrip("負负").rpartition("元")
    total = wan = section = digit = 0
    for char in integer_text:
        if char in DIGIT_VALUES:
            digit = DIGIT_VALUES[char]
        elif char in SMALL_UNITS:
            section, digit = section + digit * SMALL_UNITS[char], 0
        elif char in "萬万":
            wan, section, digit = wan + (section + digit) * 10**4, 0, 0
        elif char in "億亿":
            total, wan, section, digit = (total + wan + section + digit) * 10**8, 0, 0, 0
        else:
            raise AssertionError(f"unexpected {char!r} in {text}")
    cents = (total + wan + section + digit) * 100
    for char in fraction_text.removesuffix("整"):
        if char in DIGIT_VALUES:
            digit = DIGIT_VALUES[char]
        elif char in "角分":
            cents += digit * (10 if char == "角" else 1)
        else:
            raise AssertionError(f"unexpected {char!r} in {text}")
    return sign * Decimal(cents).scaleb(-2)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234.50", "壹仟貳佰叁拾肆元伍角"),
        ("10000", "壹萬元整"),
        ("0", "零元整"),
        ("1004.05", "壹仟零肆元零伍分"),
        ("100010", "壹拾萬零壹拾元整"),
        ("10.05", "壹拾元零伍分"),
        ("10", "壹拾元整"),
        ("0.5", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("100000000", "壹億元整"),
        ("1000001", "壹佰萬零壹元整"),
        ("110000", "壹拾壹萬元整"),
        ("100100", "壹拾萬零壹佰元整"),
        ("101000", "壹拾萬壹仟元整"),
        ("10000000001", "壹佰億零壹元整"),
        ("100010000", "壹億零壹萬元整"),
        ("101000000", "壹億零壹佰萬元整"),
        ("10100000", "壹仟零壹拾萬元整"),
        ("1000000000000", "壹萬億元整"),
        ("1000500000000", "壹萬零伍億元整"),
        ("1680.32", "壹仟陸佰捌拾元叁角貳分"),
        ("-1234.5", "負壹仟貳佰叁拾肆元伍角"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖元玖角玖分",
        ),
        ("0.005", "壹分"),
        ("2.995", "叁元整"),
        ("-0.001", "零元整"),
        (Decimal("678"), "陸佰柒拾捌元整"),
        (20, "貳拾元整"),
    ],
)
def test_amount_in_words_traditional(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234.50", "壹仟贰佰叁拾肆元伍角"),
        ("100010", "壹拾万零壹拾元整"),
        ("100000000", "壹亿元整"),
        ("-67.8", "负陆拾柒元捌角"),
    ],
)
def test_amount_in_words_simplified(amount, words):
    assert amount_in_words(amount, variant="hans") == words


def test_amount_in_words_refuses_amounts_from_ten_to_the_sixteenth():
    with pytest.raises(ValueError):
        amount_in_words(10**16)
    with pytest.raises(ValueError):
        amount_in_words("9999999999999999.995")
    with pytest.raises(ValueError):
        amount_in_words("-10000000000000000")


def test_amount_in_words_refuses_float_unknown_variant_and_garbage():
    with pytest.raises(TypeError):
        amount_in_words(12.5)
    with pytest.raises(ValueError):
        amount_in_words("1", variant="latin")
    with pytest.raises(ValidationFailed) as raised:
        amount_in_words("twelve")
    assert raised.value.code == "invalid_number"
    assert raised.value.field == "amount"


AMOUNTS = st.builds(
    lambda digits, negative: Decimal(int("".join(digits))).scaleb(-2) * (-1 if negative else 1),
    # Many zeros, so the 零 rules get exercised; up to 18 digits = 10^16 − 0.01.
    st.lists(st.sampled_from("0000012345679"), min_size=1, max_size=18),
    st.booleans(),
)


@given(amount=AMOUNTS, variant=st.sampled_from(["hant", "hans"]))
def test_amount_in_words_reads_back_as_the_same_amount(amount, variant):
    words = amount_in_words(amount, variant=variant)
    assert parse_capitals(words) == amount
    assert "零零" not in words
    for unit in "萬万億亿元角分":
        assert f"零{unit}" not in words or words == "零元整"
    assert words.endswith("整") == (amount == amount.to_integral_value())


def test_to_decimal_reads_str_int_and_decimal():
    assert to_decimal(" 12.30 ") == Decimal("12.30")
    assert to_decimal(7) == Decimal(7)
    assert to_decimal(Decimal("0.13")) == Decimal("0.13")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        ("1,5", "invalid_number"),
        ("abc", "invalid_number"),
        ("NaN", "invalid_number"),
        ("Infinity", "invalid_number"),
    ],
)
def test_to_decimal_refuses_blank_and_garbage_naming_the_field(raw, code):
    with pytest.raises(ValidationFailed) as raised:
        to_decimal(raw, field="unit_price")
    assert raised.value.code == code
    assert raised.value.field == "unit_price"
    assert list(raised.value.extra["fields"]) == ["unit_price"]


@pytest.mark.parametrize("raw", [1.5, True, [1]])
def test_to_decimal_refuses_float_and_other_types(raw):
    with pytest.raises(TypeError):
        to_decimal(raw)


def test_quantize_money_rounds_half_up():
    assert quantize_money(Decimal("2.345")) == Decimal("2.35")
    assert quantize_money(Decimal("2.344")) == Decimal("2.34")
    assert quantize_money(Decimal("-2.345")) == Decimal("-2.35")
    assert quantize_money("2.5", places=0) == Decimal("3")
    assert quantize_money("1").as_tuple().exponent == -2
    assert quantize_rate("0.12345") == Decimal("0.1235")
    with pytest.raises(TypeError):
        quantize_money(2.345)


def test_format_money_uses_the_configured_currency(settings):
    assert format_money("1234567.5") == "CNY 1,234,567.50"
    assert format_money(Decimal("-0.004")) == "CNY 0.00"
    assert format_money("-1234.5", currency="USD") == "USD -1,234.50"
    assert format_money(5, currency="") == "5.00"
    settings.CURRENCY = "HKD"
    assert format_money("1") == "HKD 1.00"


@pytest.mark.parametrize("raw", ["rmb", "CN", "CNYY", "¥"])
def test_currency_setting_refuses_a_bad_code(monkeypatch, raw):
    monkeypatch.setenv("SALESDESK_CURRENCY", raw)
    with pytest.raises(ImproperlyConfigured, match="SALESDESK_CURRENCY"):
        env.env_currency("SALESDESK_CURRENCY", "CNY")


def test_currency_setting_defaults_to_cny(monkeypatch):
    monkeypatch.delenv("SALESDESK_CURRENCY", raising=False)
    assert env.env_currency("SALESDESK_CURRENCY", "CNY") == "CNY"
    monkeypatch.setenv("SALESDESK_CURRENCY", "USD")
    assert env.env_currency("SALESDESK_CURRENCY", "CNY") == "USD"


def test_tax_helpers():
    assert Decimal("0.13") == DEFAULT_TAX_RATE
    assert tax_of_net("100", DEFAULT_TAX_RATE) == Decimal("13.00")
    assert gross_from_net("100", "0.13") == Decimal("113.00")
    assert net_from_gross("113", "0.13") == Decimal("100.00")
    assert net_from_gross("100", "0.13") == Decimal("88.50")
    assert gross_from_net("0.05", "0.13") == Decimal("0.06")
    assert net_from_gross("5", "0") == Decimal("5.00")


@pytest.mark.parametrize("rate", ["1", "-0.01", "abc"])
def test_tax_helpers_refuse_a_bad_rate(rate):
    with pytest.raises(ValidationFailed) as raised:
        gross_from_net("100", rate)
    assert raised.value.field == "tax_rate"


RATES = st.one_of(
    st.sampled_from(["0", "0.03", "0.06", "0.09", "0.13"]).map(Decimal),
    st.decimals(min_value=0, max_value=Decimal("0.9999"), places=4),
)


@given(
    net=st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    rate=RATES,
)
def test_net_to_gross_and_back_returns_the_net(net, rate):
    gross = gross_from_net(net, rate)
    assert gross - tax_of_net(net, rate) == net
    assert net_from_gross(gross, rate) == net


def test_line_amounts_tax_exclusive_rounds_the_line_then_splits():
    line = line_amounts(quantity=3, unit_price="33.33", tax_rate="0.13")
    assert line == LineAmounts(
        net=Decimal("99.99"),
        tax=Decimal("13.00"),
        gross=Decimal("112.99"),
        unit_price_net=Decimal("33.33"),
        unit_price_gross=Decimal("37.6629"),
    )


def test_line_amounts_tax_inclusive_keeps_the_entered_gross():
    line = line_amounts(quantity=1, unit_price="100", tax_rate="0.13", price_includes_tax=True)
    assert line == LineAmounts(
        net=Decimal("88.50"),
        tax=Decimal("11.50"),
        gross=Decimal("100.00"),
        unit_price_net=Decimal("88.4956"),
        unit_price_gross=Decimal("100"),
    )


def test_line_amounts_applies_the_discount_before_tax():
    line = line_amounts(quantity="2", unit_price="50", tax_rate="0.13", discount_rate="0.1")
    assert (line.net, line.tax, line.gross) == (
        Decimal("90.00"),
        Decimal("11.70"),
        Decimal("101.70"),
    )
    assert line.unit_price_net == Decimal("50")


def test_line_amounts_refuses_every_bad_field_at_once():
    with pytest.raises(ValidationFailed) as raised:
        line_amounts(quantity=0, unit_price="-1", tax_rate="1", discount_rate="1")
    assert raised.value.code == "validation_failed"
    assert sorted(raised.value.extra["fields"]) == [
        "discount_rate",
        "quantity",
        "tax_rate",
        "unit_price",
    ]


def test_line_amounts_refuses_garbage_and_blank_naming_the_field():
    with pytest.raises(ValidationFailed) as raised:
        line_amounts(quantity="abc", unit_price="", tax_rate="0.13")
    assert sorted(raised.value.extra["fields"]) == ["quantity", "unit_price"]
    with pytest.raises(TypeError):
        line_amounts(quantity=1.0, unit_price="1", tax_rate="0.13")


def test_line_amounts_accepts_zero_price_and_zero_rate():
    line = line_amounts(quantity=5, unit_price=0, tax_rate=0)
    assert (line.net, line.tax, line.gross) == (Decimal("0.00"),) * 3


@given(
    quantity=st.decimals(min_value=Decimal("0.001"), max_value=10**6, places=3),
    unit_price=st.decimals(min_value=0, max_value=10**6, places=4),
    tax_rate=RATES,
    discount_rate=st.decimals(min_value=0, max_value=Decimal("0.9999"), places=4),
    price_includes_tax=st.booleans(),
)
def test_line_net_plus_tax_is_gross(
    quantity, unit_price, tax_rate, discount_rate, price_includes_tax
):
    line = line_amounts(
        quantity=quantity,
        unit_price=unit_price,
        tax_rate=tax_rate,
        discount_rate=discount_rate,
        price_includes_tax=price_includes_tax,
    )
    assert line.net + line.tax == line.gross
    assert {line.net.as_tuple().exponent, line.tax.as_tuple().exponent} == {-2}
    entered = quantize_money(quantity * unit_price * (1 - discount_rate))
    assert (line.gross if price_includes_tax else line.net) == entered


def test_document_totals_are_the_sums_of_the_lines():
    lines = [line_amounts(quantity=1, unit_price="0.05", tax_rate="0.13") for _ in range(3)]
    lines.append(
        line_amounts(quantity=2, unit_price="10", tax_rate="0.09", price_includes_tax=True)
    )
    # Each small line rounds its tax to 0.01; the total is their sum, not 13% of 0.15.
    assert document_totals(lines) == (Decimal("18.50"), Decimal("1.68"), Decimal("20.18"))
    assert document_totals([]) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
