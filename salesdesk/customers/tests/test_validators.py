"""Registration codes and phones are checked at entry (C1.4)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdesk.customers.validators import (
    USCC_CHARSET,
    check_tax_id,
    check_tw_ubn,
    check_uscc,
    core_name,
    fold,
    parse_phone,
    uscc_check_char,
)

pytestmark = pytest.mark.req("C1.4")


def test_uscc_examples():
    assert check_uscc("91350100M000100Y43").checksum_ok
    bad = check_uscc("91350100M000100Y4Z")
    assert not bad.well_formed  # Z is not in the alphabet: malformed, refused
    wrong_check = check_uscc("91350100M000100Y44")
    assert wrong_check.well_formed and not wrong_check.checksum_ok


@pytest.mark.parametrize(
    "value", ["", "123", "91350100M000100Y4", "91350100I000100Y43", "91350100M000100Y433"]
)
def test_uscc_malformed(value):
    assert not check_uscc(value).well_formed


def test_uscc_lowercase_and_spaces_are_normalised():
    result = check_uscc(" 91350100m000100y43 ")
    assert result.normalized == "91350100M000100Y43" and result.checksum_ok


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_uscc_computed_check_character_always_validates(first17):
    assert check_uscc(first17 + uscc_check_char(first17)).checksum_ok


def test_tw_ubn_examples():
    assert check_tw_ubn("22099131").checksum_ok
    assert check_tw_ubn("04595257").checksum_ok
    assert not check_tw_ubn("22099132").checksum_ok
    assert not check_tw_ubn("2209913").well_formed
    assert not check_tw_ubn("2209913A").well_formed


def test_tw_ubn_seventh_digit_seven_special_case():
    # 10000073: weighted digit sums 14 → not /5; the 7th digit 7 may count 1 → 15 → valid.
    assert check_tw_ubn("10000073").checksum_ok
    # The same sum without a 7 in 7th place stays invalid.
    assert not check_tw_ubn("10000064").checksum_ok


def test_check_tax_id_picks_rule_by_shape():
    assert check_tax_id("22099131").kind == "tw_ubn"
    assert check_tax_id("91350100M000100Y43").kind == "uscc"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("0912345678", "+886912345678"),
        ("+886 2 2345 6789", "+886223456789"),
        ("+852 9123 4567", "+85291234567"),
        ("021-6234 5678", "+862162345678"),
    ],
)
def test_phones_parse_to_e164(raw, e164):
    assert parse_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "abc", "+86 123", ""])
def test_bad_phones_are_none(raw):
    assert parse_phone(raw) is None


def test_fold_is_traditional_simplified_insensitive():
    assert fold("臺灣機械股份有限公司") == fold("台湾机械股份有限公司")
    assert fold("ACME Co., Ltd.") == "acmecoltd"
    assert core_name("華新電子股份有限公司") == core_name("华新电子有限公司") == fold("华新电子")
