"""Company rules as data (DESIGN §4): declared in code with a default, overridden by admins.

Apps declare their policies with `register()` at import time (from their AppConfig.ready);
`value()` reads the stored override or the default; `policy_set()` validates, stores and
writes a `policy.changed` event. Every rule that fires names its policy key.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed

KINDS = ("int", "decimal", "bool", "str", "choice", "list")
_FROZEN: ContextVar[dict[str, Any] | None] = ContextVar("policies_frozen", default=None)


@dataclass(frozen=True)
class PolicyDefinition:
    key: str
    default: Any
    label: Any
    help_text: Any = ""
    kind: str = "str"
    minimum: Any = None
    maximum: Any = None
    choices: tuple[tuple[str, Any], ...] = ()
    group: Any = ""

    def parse(self, raw: Any) -> Any:
        """Turn a submitted value into the stored JSON value, or raise ValidationFailed."""
        try:
            value = _PARSERS[self.kind](self, raw)
        except (ValueError, TypeError, InvalidOperation):
            raise self._error(_("Enter a valid value.")) from None
        if self.minimum is not None and value < _coerce(self, self.minimum):
            raise self._error(_("Must be at least %(min)s.") % {"min": self.minimum})
        if self.maximum is not None and value > _coerce(self, self.maximum):
            raise self._error(_("Must be at most %(max)s.") % {"max": self.maximum})
        if self.kind == "choice" and value not in {c for c, _label in self.choices}:
            raise self._error(_("Choose one of the listed values."))
        return str(value) if self.kind == "decimal" else value

    def to_python(self, stored: Any) -> Any:
        return Decimal(stored) if self.kind == "decimal" else stored

    def _error(self, message: Any) -> ValidationFailed:
        return ValidationFailed(
            message, code="invalid_policy_value", extra={"field": "value", "key": self.key}
        )


def _coerce(definition: PolicyDefinition, bound: Any) -> Any:
    return Decimal(str(bound)) if definition.kind == "decimal" else bound


def _parse_bool(_d: PolicyDefinition, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)


def _parse_list(_d: PolicyDefinition, raw: Any) -> list[str]:
    if isinstance(raw, list):
        return [str(item).strip() for item in raw if str(item).strip()]
    return [item.strip() for item in str(raw).replace("\n", ",").split(",") if item.strip()]


_PARSERS: dict[str, Callable[[PolicyDefinition, Any], Any]] = {
    "int": lambda _d, raw: int(str(raw).strip()),
    "decimal": lambda _d, raw: Decimal(str(raw).strip()),
    "bool": _parse_bool,
    "str": lambda _d, raw: str(raw).strip(),
    "choice": lambda _d, raw: str(raw).strip(),
    "list": _parse_list,
}

_REGISTRY: dict[str, PolicyDefinition] = {}


def register(key: str, default: Any, label: Any, **options: Any) -> PolicyDefinition:
    """Declare a policy; the default is validated like any submitted value."""
    definition = PolicyDefinition(key=key, default=default, label=label, **options)
    if definition.kind not in KINDS:
        raise ValueError(f"policy {key}: unknown kind {definition.kind}")
    if key in _REGISTRY and _REGISTRY[key] != definition:
        raise ValueError(f"policy {key} registered twice with different definitions")
    definition.parse(default)
    _REGISTRY[key] = definition
    return definition


def definitions() -> list[PolicyDefinition]:
    return sorted(_REGISTRY.values(), key=lambda d: d.key)


def definition(key: str) -> PolicyDefinition:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise NotFound(_("No such policy: %(key)s") % {"key": key}, extra={"key": key}) from None


def value(key: str) -> Any:
    """The policy's current value: the admin's override or the coded default."""
    from salesdesk.core.models import Policy

    frozen_values = _FROZEN.get()
    if frozen_values is not None and key in frozen_values:
        return frozen_values[key]
    d = definition(key)
    stored = Policy.objects.filter(key=key).values_list("value", flat=True).first()
    result = d.to_python(d.parse(d.default) if stored is None else stored)
    if frozen_values is not None:
        frozen_values[key] = result
    return result


@contextmanager
def frozen() -> Iterator[None]:
    """Read each policy once inside the block: a bulk import checks every row by the same
    rules without a query per row and per policy."""
    token = _FROZEN.set({})
    try:
        yield
    finally:
        _FROZEN.reset(token)


def current_values() -> dict[str, Any]:
    from salesdesk.core.models import Policy

    stored = dict(Policy.objects.values_list("key", "value"))
    return {
        d.key: d.to_python(stored[d.key] if d.key in stored else d.parse(d.default))
        for d in definitions()
    }


def policy_set(*, key: str, raw_value: Any, actor: Any, note: str = "") -> Any:
    """Store an override for a policy (admins only) and log the change as an event."""
    from salesdesk.audit.services import event_record
    from salesdesk.core.models import Policy

    if not actor.has_perm("core.change_policy"):
        raise PermissionDenied(_("You may not change company policies."))
    d = definition(key)
    new = d.parse(raw_value)
    with transaction.atomic():
        policy = Policy.objects.select_for_update().filter(key=key).first()
        old = d.parse(d.default) if policy is None else policy.value
        if policy is None:
            policy = Policy.objects.create(key=key, value=new, updated_by=actor)
        else:
            policy.value = new
            policy.updated_by = actor
            policy.save(update_fields=["value", "updated_by", "updated_at"])
        event_record(
            actor=actor,
            verb="policy.changed",
            subject=policy,
            note=note,
            data={"key": key, "old": old, "new": new},
        )
    frozen_values = _FROZEN.get()
    if frozen_values is not None:
        frozen_values.pop(key, None)  # later reads in this request see the new value
    return d.to_python(new)


def policy_reset(*, key: str, actor: Any) -> Any:
    """Return a policy to its coded default (the override row is kept, set to the default)."""
    d = definition(key)
    return policy_set(key=key, raw_value=d.default, actor=actor, note="reset to default")
