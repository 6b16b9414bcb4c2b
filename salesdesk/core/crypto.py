"""Field encryption, keyed hashes and masking for personal data (C3.2, C3.3).

Values are encrypted with Fernet under a list of keys, newest first: the first key encrypts,
every key decrypts, so keys can be rotated (`salesdesk rotatekeys`) without downtime.
Exact search works through an HMAC-SHA256 of the normalised value (a keyed hash), which
the database can index and compare without ever holding the plaintext.
"""

import functools
import hashlib
import hmac
import re
from collections.abc import Callable
from pathlib import Path

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

KEYS_VARIABLE = "SALESDESK_FIELD_KEYS"

Normalizer = Callable[[str], str] | str | None


class FieldKeyError(ImproperlyConfigured):
    """A stored value that none of the configured field-encryption keys can decrypt."""


def keys_source() -> str:
    """Where the keys come from, for messages: the variable or the keys file."""
    if settings.FIELD_ENCRYPTION_KEYS_FROM_ENV:
        return f"the {KEYS_VARIABLE} variable"
    return str(settings.FIELD_ENCRYPTION_KEYS_FILE)


def parse_keys(text: str) -> list[str]:
    """Keys separated by commas or whitespace, as settings.py reads them."""
    return text.replace(",", "\n").split()


def read_keys_file(path: Path) -> list[str]:
    try:
        keys = parse_keys(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImproperlyConfigured(f"Field-encryption keys file {path}: {exc}") from None
    if not keys:
        raise ImproperlyConfigured(f"Field-encryption keys file {path} holds no key")
    return keys


def field_keys() -> list[str]:
    """The current keys, newest first; the file is read afresh so a rotation is seen."""
    if settings.FIELD_ENCRYPTION_KEYS_FROM_ENV:
        keys = list(settings.FIELD_ENCRYPTION_KEYS)
        if not keys:
            raise ImproperlyConfigured(f"{KEYS_VARIABLE} holds no key")
        return keys
    return read_keys_file(settings.FIELD_ENCRYPTION_KEYS_FILE)


def fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        # The key itself is never echoed: it is a secret.
        raise ImproperlyConfigured(
            f"A field-encryption key in {keys_source()} is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes)"
        ) from None


@functools.cache
def cipher() -> MultiFernet:
    """The MultiFernet for the current keys, built once per process until reset_cipher()."""
    return MultiFernet([fernet(key) for key in field_keys()])


def reset_cipher() -> None:
    """Forget the cached keys; the next cipher() reads them again."""
    cipher.cache_clear()


def _undecryptable() -> FieldKeyError:
    return FieldKeyError(
        "No field-encryption key can decrypt a stored value: the keys in "
        f"{keys_source()} are wrong, or the key that encrypted it was removed"
    )


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise _undecryptable() from None


def rotate(token: str) -> str:
    """The same value encrypted again under the newest key, without returning the plaintext."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise _undecryptable() from None


def resolve_normalizer(normalizer: Normalizer) -> Callable[[str], str] | None:
    if isinstance(normalizer, str):
        return import_string(normalizer)
    return normalizer


def keyed_hash(value: str | None, normalizer: Normalizer = None) -> str:
    """HMAC-SHA256 (hex) of the normalised value under FIELD_HASH_KEY; "" for no value."""
    if value is None:
        return ""
    function = resolve_normalizer(normalizer)
    normalized = function(str(value)) if function else str(value)
    if not normalized:
        return ""
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    return hmac.new(key, normalized.encode("utf-8"), hashlib.sha256).hexdigest()


def normalize_phone(value: str | None) -> str:
    """E.164 (default region CN) when the number parses, else its digits only."""
    if not value or not value.strip():
        return ""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        number = None
    # "Possible" (a length check) rather than "valid": it does not change when the
    # library's numbering-plan data is updated, so stored hashes stay searchable.
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return re.sub(r"\D", "", value)


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def _compact(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value)


def mask_phone(value: str | None) -> str:
    """138****5678: the first 3 and last 4 characters of a long number, last 2 of a short one."""
    text = _compact(value or "")
    if len(text) >= 8:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) > 2:
        return "*" * (len(text) - 2) + text[-2:]
    return "*" * len(text)


def mask_email(value: str | None) -> str:
    """w***@example.com: the first character of the local part and the whole domain."""
    text = (value or "").strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return text[0] + "***"
    return (local[:1] + "***" if local else "***") + "@" + domain


def mask_name(value: str | None) -> str:
    """王** / A*********: the first character, then one asterisk per hidden character."""
    text = (value or "").strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)


def mask_account(value: str | None) -> str:
    """****0123: the last 4 characters of a bank account or ID number."""
    text = _compact(value or "")
    if not text:
        return ""
    return "****" + (text[-4:] if len(text) > 4 else "")
