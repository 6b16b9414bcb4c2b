"""Readable document numbers `<PREFIX>-<YYYYMMDD>-<NNNN>` (U7, DESIGN §4 Numbering).

Apps declare their document types with `register_document_type()` from AppConfig.ready();
each gets a policy `numbering.<doc_type>.prefix` so admins can change the prefix. The serial
counts per type and local day in `NumberSequence`, is never reset or decremented (so a
prefix change the same day keeps counting), and is taken inside the caller's transaction:
a rolled-back document gives its number back, a committed one never shares it.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.core.errors import DomainError
from salesdesk.core.models import NumberSequence

PREFIX_PATTERN = re.compile(r"[A-Z0-9]{1,8}")
DOC_TYPE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class DocumentType:
    """A kind of numbered document and the prefix it starts with."""

    doc_type: str
    default_prefix: str
    label: Any

    @property
    def policy_key(self) -> str:
        return f"numbering.{self.doc_type}.prefix"


_TYPES: dict[str, DocumentType] = {}


def register_document_type(doc_type: str, default_prefix: str, label: Any) -> DocumentType:
    """Declare a numbered document type and its admin-editable prefix policy."""
    if not DOC_TYPE_PATTERN.fullmatch(doc_type):
        raise ValueError(f"document type {doc_type!r}: use a-z, 0-9 and _, at most 40")
    if not PREFIX_PATTERN.fullmatch(default_prefix):
        raise ValueError(f"document type {doc_type}: prefix {default_prefix!r} is not A-Z/0-9 1-8")
    kind = DocumentType(doc_type=doc_type, default_prefix=default_prefix, label=label)
    if doc_type in _TYPES and _TYPES[doc_type] != kind:
        raise ValueError(f"document type {doc_type} registered twice with different definitions")
    policies.register(
        kind.policy_key,
        default_prefix,
        format_lazy("{}: {}", _("Number prefix"), label),
        help_text=_(
            "1 to 8 capital letters or digits. Numbers already issued keep their prefix; "
            "the daily serial continues."
        ),
        kind="str",
        group=_("Numbering"),
    )
    _TYPES[doc_type] = kind
    return kind


def document_types() -> list[DocumentType]:
    return sorted(_TYPES.values(), key=lambda kind: kind.doc_type)


def current_prefix(doc_type: str) -> str:
    """The configured prefix; a bad one is refused before any number is taken."""
    kind = _document_type(doc_type)
    prefix = policies.value(kind.policy_key)
    if not isinstance(prefix, str) or not PREFIX_PATTERN.fullmatch(prefix):
        raise DomainError(
            _(
                "The number prefix %(prefix)s configured in policy %(key)s is not valid: "
                "use 1 to 8 capital letters or digits."
            )
            % {"prefix": prefix, "key": kind.policy_key},
            code="invalid_number_prefix",
            extra={"key": kind.policy_key, "prefix": prefix},
        )
    return prefix


def next_number(doc_type: str, *, on: date | None = None) -> str:
    """Issue the next number for a type and local day; safe under concurrency (U7)."""
    prefix = current_prefix(doc_type)
    if isinstance(on, datetime):
        day = timezone.localdate(on)
    else:
        day = on if on is not None else timezone.localdate()
    with transaction.atomic():
        serial = _take_serial(doc_type, day)
    return f"{prefix}-{day:%Y%m%d}-{serial:04d}"


def next_numbers(doc_type: str, count: int, *, on: date | None = None) -> list[str]:
    """Issue `count` consecutive numbers in one step, for bulk imports (U7)."""
    if count < 1:
        return []
    prefix = current_prefix(doc_type)
    day = timezone.localdate(on) if isinstance(on, datetime) else on or timezone.localdate()
    with transaction.atomic():
        last = _take_serial(doc_type, day, count)
    return [f"{prefix}-{day:%Y%m%d}-{serial:04d}" for serial in range(last - count + 1, last + 1)]


def _take_serial(doc_type: str, day: date, step: int = 1) -> int:
    """Increment first (the UPDATE takes the row lock), create the row only if it is missing."""
    rows = NumberSequence.objects.filter(doc_type=doc_type, day=day)
    if not rows.update(last_value=F("last_value") + step):
        try:
            with transaction.atomic():
                NumberSequence.objects.create(doc_type=doc_type, day=day, last_value=step)
            return step
        except IntegrityError:
            # A concurrent transaction created the row and committed; count on from it.
            rows.update(last_value=F("last_value") + step)
    return rows.values_list("last_value", flat=True).get()


def _document_type(doc_type: str) -> DocumentType:
    try:
        return _TYPES[doc_type]
    except KeyError:
        raise ValueError(f"unknown document type {doc_type!r}") from None
