"""Indicator definitions (R3.1): what is measured, in which unit, for whom, and its thresholds.

Each indicator is declared once here. Its thresholds are two policies,
`monitoring.<code>.warning` and `monitoring.<code>.critical`, and `monitoring.<code>.enabled`
switches it off; admins edit them on the settings page. A check is a function
`(context) -> list[Observation]` in `checks.py`; it may leave out subjects that are clearly
within the warning threshold (the run treats a subject it does not see as within).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from salesdesk.core import policies
from salesdesk.monitoring.models import Level

ABOVE = "above"  # the higher the value, the worse (most indicators)
BELOW = "below"  # the lower the value, the worse (days left before a contract expires)
POLICY_GROUP = _("Monitoring and early warning")


@dataclass(frozen=True)
class Observation:
    """One measured value for one subject, with the people who own what it says."""

    subject_key: str
    subject_label: str
    value: Decimal
    subject: models.Model | None = None
    url: str = ""
    owner: Any = None  # a user
    owner_role: str = ""  # a role (group) name


@dataclass(frozen=True)
class CheckContext:
    now: datetime
    warning: Decimal
    critical: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    unit: Any
    measure: Any  # how it is measured, for the indicator page and the docs
    scope: Any  # what one subject is: a customer, an order, a user …
    owner_rule: Any  # who owns a warning
    direction: str
    warning: Decimal
    critical: Decimal
    check: Callable[[CheckContext], list[Observation]] = field(compare=False)

    def policy_key(self, name: str) -> str:
        return f"monitoring.{self.code}.{name}"

    def thresholds(self) -> tuple[Decimal, Decimal]:
        return (
            policies.value(self.policy_key("warning")),
            policies.value(self.policy_key("critical")),
        )

    def is_enabled(self) -> bool:
        return bool(policies.value(self.policy_key("enabled")))

    def beyond(self, value: Decimal, threshold: Decimal) -> bool:
        return value >= threshold if self.direction == ABOVE else value <= threshold

    def level_for(self, value: Decimal, warning: Decimal, critical: Decimal) -> str | None:
        """Critical if beyond the critical threshold, warning if beyond the warning one."""
        if self.beyond(value, critical):
            return Level.CRITICAL
        if self.beyond(value, warning):
            return Level.WARNING
        return None


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Declare an indicator and its three policies (from the app's ready())."""
    _REGISTRY[indicator.code] = indicator
    help_text = format_lazy(
        _("In {unit}; the level applies when the value is at least this.")
        if indicator.direction == ABOVE
        else _("In {unit}; the level applies when the value is at most this."),
        unit=indicator.unit,
    )
    for name, default, label in (
        ("warning", indicator.warning, _("warning threshold")),
        ("critical", indicator.critical, _("critical threshold")),
    ):
        policies.register(
            indicator.policy_key(name),
            str(default),
            label=_format(indicator.label, label),
            help_text=help_text,
            kind="decimal",
            group=POLICY_GROUP,
        )
    policies.register(
        indicator.policy_key("enabled"),
        True,
        label=_format(indicator.label, _("checked on schedule")),
        kind="bool",
        group=POLICY_GROUP,
    )
    return indicator


def _format(first: Any, second: Any) -> Any:
    return format_lazy("{}: {}", first, second)


def all_indicators() -> list[Indicator]:
    return list(_REGISTRY.values())


def indicator(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def choices() -> list[tuple[str, Any]]:
    return [(item.code, item.label) for item in _REGISTRY.values()]
