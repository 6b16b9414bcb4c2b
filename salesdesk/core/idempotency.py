"""Idempotent creates over the API (DESIGN §5, O1.1).

A client that sends `Idempotency-Key: <any unique string>` with a create may retry it safely:
the first successful request stores the key with the new object's id, and a retry from the
same user with the same key and the same body returns that object instead of creating a
second one. The same key with a different body is refused (409 `idempotency_key_reused`).
Only successful creates store a key, so a refused request can be corrected and resent.

    obj, replayed = idempotent_create(
        request, "customers.create", payload.dict(), create=lambda: ..., load=lambda pk: ...
    )
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import Conflict, ValidationFailed
from salesdesk.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200

T = TypeVar("T", bound=models.Model)


def fingerprint(body: Any) -> str:
    """SHA-256 of the request body in a canonical JSON form (key order does not matter)."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key_of(request) -> str:
    key = (request.headers.get(HEADER) or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed.from_fields(
            _("The idempotency key is too long."),
            {HEADER: [_("At most %(n)s characters.") % {"n": MAX_KEY_LENGTH}]},
        )
    return key


def _replay(stored: IdempotencyKey, digest: str, load: Callable[[int], T]) -> T:
    if stored.fingerprint != digest:
        raise Conflict(
            _("This idempotency key was already used for a different request."),
            code="idempotency_key_reused",
            extra={"field": HEADER},
        )
    return load(stored.object_id)


def idempotent_create(
    request,
    scope: str,
    body: Any,
    *,
    create: Callable[[], T],
    load: Callable[[int], T],
) -> tuple[T, bool]:
    """(object, replayed): run `create` once per (user, scope, key); retries get `load(id)`."""
    key = _key_of(request)
    if not key:
        return create(), False
    user, digest = request.user, fingerprint(body)
    stored = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
    if stored is not None:
        return _replay(stored, digest, load), True
    try:
        # The key row commits with the created object or not at all; a concurrent request
        # with the same key fails on the unique constraint and rolls its object back.
        with transaction.atomic():
            obj = create()
            IdempotencyKey.objects.create(
                user=user, scope=scope, key=key, fingerprint=digest, object_id=obj.pk
            )
    except IntegrityError:
        stored = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
        if stored is None:
            raise
        return _replay(stored, digest, load), True
    return obj, False
