"""Reads of warnings and indicators, scoped to who asks (R3.1)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import NotFound
from salesdesk.monitoring.indicators import Indicator, all_indicators, indicator
from salesdesk.monitoring.models import LIVE_STATUSES, EarlyWarning, IndicatorState, Level
from salesdesk.monitoring.policies import visible_to

LIVE = "live"  # status filter: open or acknowledged


def warning_list(
    *,
    user: Any,
    indicator: str = "",
    level: str = "",
    status: str = LIVE,
    owner_id: int | None = None,
    q: str = "",
) -> QuerySet[EarlyWarning]:
    warnings = EarlyWarning.objects.filter(visible_to(user)).select_related("owner")
    if indicator:
        warnings = warnings.filter(indicator=indicator)
    if level:
        warnings = warnings.filter(level=level)
    if status == LIVE:
        warnings = warnings.filter(status__in=LIVE_STATUSES)
    elif status:
        warnings = warnings.filter(status=status)
    if owner_id:
        warnings = warnings.filter(owner_id=owner_id)
    if q:
        warnings = warnings.filter(subject_label__icontains=q.strip())
    return warnings.order_by("level", "-last_seen_at", "-pk")


def warning_get(*, user: Any, warning_id: int) -> EarlyWarning:
    warning = (
        EarlyWarning.objects.filter(visible_to(user), pk=warning_id)
        .select_related("owner", "acknowledged_by", "closed_by")
        .first()
    )
    if warning is None:
        raise NotFound(_("No such warning."), extra={"id": warning_id})
    return warning


def indicator_get(code: str) -> Indicator:
    found = indicator(code)
    if found is None:
        raise NotFound(_("No such indicator."), extra={"code": code})
    return found


@dataclass
class IndicatorStatus:
    """An indicator with its thresholds, last run and live warnings the viewer may see."""

    definition: Indicator
    warning: Decimal
    critical: Decimal
    enabled: bool
    state: IndicatorState | None
    live_warning: int
    live_critical: int

    @property
    def code(self) -> str:
        return self.definition.code


def indicator_statuses(*, user: Any) -> list[IndicatorStatus]:
    states = IndicatorState.objects.in_bulk(field_name="code")
    counts = {
        (row["indicator"], row["level"]): row["n"]
        for row in EarlyWarning.objects.filter(visible_to(user), status__in=LIVE_STATUSES)
        .values("indicator", "level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    result = []
    for item in all_indicators():
        warning, critical = item.thresholds()
        result.append(
            IndicatorStatus(
                definition=item,
                warning=warning,
                critical=critical,
                enabled=item.is_enabled(),
                state=states.get(item.code),
                live_warning=counts.get((item.code, Level.WARNING), 0),
                live_critical=counts.get((item.code, Level.CRITICAL), 0),
            )
        )
    return result


def indicator_status(*, user: Any, code: str) -> IndicatorStatus:
    indicator_get(code)
    return next(s for s in indicator_statuses(user=user) if s.code == code)


def indicator_history(*, user: Any, code: str) -> QuerySet[EarlyWarning]:
    """Every warning of the indicator the viewer may see, newest first, closed ones too."""
    indicator_get(code)
    return (
        EarlyWarning.objects.filter(visible_to(user), indicator=code)
        .select_related("owner", "closed_by")
        .order_by("-first_seen_at", "-pk")
    )


def owners_of(warnings: QuerySet[EarlyWarning]) -> list[tuple[int, str]]:
    rows = (
        warnings.exclude(owner=None)
        .values_list("owner_id", "owner__username")
        .distinct()
        .order_by("owner__username")
    )
    return list(rows)


def may_filter(value: str, allowed) -> str:
    return value if value in {key for key, _label in allowed} else ""
