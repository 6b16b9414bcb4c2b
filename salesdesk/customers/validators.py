"""Checks at entry (C1.4): company registration codes, phones, names.

A malformed code is refused; a well-formed code whose check character fails is a warning that
an override reason can accept, since real registered codes occasionally fail the checksum.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")
UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
PHONE_REGIONS = ("CN", "TW", "HK")


@dataclass(frozen=True)
class CodeCheck:
    kind: str  # "uscc" | "tw_ubn"
    normalized: str
    well_formed: bool
    checksum_ok: bool


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(value: str) -> CodeCheck:
    """Mainland unified social credit code (統一社會信用代碼, GB 32100-2015)."""
    code = value.strip().upper().replace(" ", "")
    if not USCC_PATTERN.match(code):
        return CodeCheck("uscc", code, False, False)
    return CodeCheck("uscc", code, True, uscc_check_char(code[:17]) == code[17])


def _digit_sum(n: int) -> int:
    return n // 10 + n % 10


def check_tw_ubn(value: str) -> CodeCheck:
    """Taiwan 統一編號: weighted digit sums divisible by 5 (rule since 2023; 10 before)."""
    code = value.strip().replace(" ", "")
    if not re.fullmatch(r"\d{8}", code):
        return CodeCheck("tw_ubn", code, False, False)
    digits = [int(ch) for ch in code]
    total = sum(_digit_sum(d * w) for d, w in zip(digits, UBN_WEIGHTS, strict=True))
    ok = total % 5 == 0
    if not ok and digits[6] == 7:
        # 7 × 4 = 28 → 2 + 8 = 10, which may count as 1 or as 0.
        ok = (total + 1) % 5 == 0
    return CodeCheck("tw_ubn", code, True, ok)


def check_tax_id(value: str, country: str = "") -> CodeCheck:
    """Pick the rule by shape: 18 characters → USCC, 8 digits → 統編."""
    compact = value.strip().upper().replace(" ", "")
    if country == "TW" or re.fullmatch(r"\d{8}", compact):
        return check_tw_ubn(compact)
    return check_uscc(compact)


@lru_cache(maxsize=4096)
def parse_phone(value: str, default_region: str = "CN") -> str | None:
    """E.164 form of a valid CN/TW/HK (or any +country) number, or None."""
    text = (value or "").strip()
    if not text:
        return None
    regions = (default_region, *[r for r in PHONE_REGIONS if r != default_region])
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if text.startswith("+"):
            break
    return None


COMPANY_SUFFIXES = (
    "股份有限公司",
    "有限責任公司",
    "有限责任公司",
    "有限公司",
    "集團",
    "集团",
    "公司",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd.",
    "co ltd",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "corp.",
    "corporation",
    "limited",
)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Search form of a name: Simplified characters, lower case, no spaces or punctuation."""
    simplified = _t2s().convert(text or "").lower()
    return re.sub(r"[\s\W_]+", "", simplified)


def core_name(name: str) -> str:
    """The folded name without company-form suffixes, for similar-name warnings."""
    lowered = (name or "").lower().strip()
    changed = True
    while changed:
        changed = False
        for suffix in COMPANY_SUFFIXES:
            if lowered.endswith(suffix) and len(lowered) > len(suffix):
                lowered = lowered[: -len(suffix)].strip(" ,.")
                changed = True
    return fold(lowered)
