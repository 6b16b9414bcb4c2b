"""Every write of monitoring (R3.1): the scheduled run, acknowledging and closing warnings.

A run measures one indicator, then under the indicator's row lock matches each observation
to the live warning of its (indicator, subject): beyond the threshold with no live warning
raises one; with one, the run updates its value, trend, level and owner and never raises a
second (a partial unique constraint backs this up). A warning whose value falls back within
the threshold is NOT closed automatically: it is marked "back within threshold" and stays
for its owner to acknowledge and close with a note, so nobody misses a spike that passed.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesdesk.audit.services import event_record
from salesdesk.core import policies
from salesdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from salesdesk.core.workflow import apply_transition
from salesdesk.monitoring.indicators import CheckContext, Indicator, Observation, all_indicators
from salesdesk.monitoring.models import (
    LIVE_STATUSES,
    RUN_HISTORY_LENGTH,
    SEVERITY,
    TREND_LENGTH,
    EarlyWarning,
    IndicatorState,
    Level,
)
from salesdesk.monitoring.notify import warnings_notify
from salesdesk.monitoring.policies import RUN, visible_to
from salesdesk.monitoring.workflow import WARNING

logger = logging.getLogger(__name__)
MAX_NOTE = 2000


@dataclass
class RunResult:
    """What one indicator's run saw and did."""

    code: str
    observed: int = 0
    raised: int = 0
    updated: int = 0
    cleared: int = 0
    warning: int = 0
    critical: int = 0
    error: str = ""
    notify: list[EarlyWarning] = field(default_factory=list, repr=False)


def _require_actor(actor: Any) -> None:
    if actor is None or getattr(actor, "pk", None) is None:
        raise ValueError("a service call needs a saved actor")


def _due(level: str, now: datetime) -> datetime:
    return now + timedelta(hours=policies.value(f"monitoring.response_hours.{level}"))


def _trend(trend: list, now: datetime, value: Decimal) -> list:
    return [*trend, [now.isoformat(), str(value)]][-TREND_LENGTH:]


def _owner_fields(obs: Observation) -> dict[str, Any]:
    subject = obs.subject
    return {
        "subject_label": obs.subject_label[:200],
        "subject_url": obs.url[:300],
        "content_type": ContentType.objects.get_for_model(subject) if subject else None,
        "object_id": subject.pk if subject else None,
        "owner": obs.owner,
        "owner_role": obs.owner_role,
    }


def _raise(indicator: Indicator, obs: Observation, level: str, threshold, actor, now):
    warning = EarlyWarning.objects.create(
        indicator=indicator.code,
        subject_key=obs.subject_key,
        level=level,
        value=obs.value,
        threshold=threshold,
        trend=_trend([], now, obs.value),
        first_seen_at=now,
        last_seen_at=now,
        due_at=_due(level, now),
        **_owner_fields(obs),
    )
    event_record(
        actor=actor,
        verb="warning.raised",
        subject=warning,
        to_state=warning.status,
        data={"level": level, "value": str(obs.value), "threshold": str(threshold)},
    )
    return warning


def _update(warning: EarlyWarning, obs: Observation, level: str | None, thresholds, actor, now):
    """Refresh a live warning; returns "escalated", "cleared" or "" for what changed."""
    for name, value in _owner_fields(obs).items():
        setattr(warning, name, value)
    warning.value = obs.value
    warning.trend = _trend(warning.trend, now, obs.value)
    warning.last_seen_at = now
    change, data = "", {"value": str(obs.value)}
    if level is None:
        if warning.cleared_at is None:
            warning.cleared_at, change = now, "cleared"
    else:
        if warning.cleared_at is not None:
            warning.cleared_at = None
            event_record(actor=actor, verb="warning.reappeared", subject=warning, data=data)
        if SEVERITY[level] > SEVERITY[warning.level]:
            change = "escalated"
            warning.due_at = min(filter(None, (warning.due_at, _due(level, now))))
        warning.level = level
        warning.threshold = thresholds[level]
    warning.save()
    if change:
        data |= {"level": warning.level, "threshold": str(warning.threshold)}
        event_record(actor=actor, verb=f"warning.{change}", subject=warning, data=data)
    return change


def _unchanged(warning: EarlyWarning, obs: Observation, level: str | None, thresholds) -> bool:
    """Nothing to record but the time: same value, level, owner and label as last run."""
    same = (
        warning.value == obs.value
        and warning.owner_id == getattr(obs.owner, "pk", None)
        and warning.owner_role == obs.owner_role
        and warning.subject_label == obs.subject_label[:200]
    )
    if level is None:
        return same and warning.cleared_at is not None
    return (
        same
        and warning.cleared_at is None
        and warning.level == level
        and warning.threshold == thresholds[level]
    )


def _touch(pks: list[int], now: datetime) -> None:
    for start in range(0, len(pks), 1000):
        EarlyWarning.objects.filter(pk__in=pks[start : start + 1000]).update(last_seen_at=now)


def _clear_unseen(warnings, actor, now) -> int:
    """Live warnings whose subject the check no longer reports are back within threshold."""
    cleared = 0
    for warning in warnings:
        if warning.cleared_at is None:
            warning.cleared_at = now
            warning.save(update_fields=["cleared_at", "updated_at"])
            event_record(actor=actor, verb="warning.cleared", subject=warning)
            cleared += 1
    return cleared


def _record_run(code: str, result: RunResult, now: datetime, values: list[Decimal]) -> None:
    state = IndicatorState.objects.select_for_update().get(code=code)
    run = {
        "at": now.isoformat(),
        "observed": result.observed,
        "warning": result.warning,
        "critical": result.critical,
        "raised": result.raised,
        "max": str(max(values)) if values else None,
        "status": "error" if result.error else "ok",
    }
    state.runs = [*state.runs, run][-RUN_HISTORY_LENGTH:]
    state.last_run_at = now
    state.last_status = run["status"]
    state.last_error = result.error
    state.save()


def _apply(indicator: Indicator, observations, actor, now, result: RunResult) -> None:
    warning_level, critical_level = indicator.thresholds()
    thresholds = {Level.WARNING: warning_level, Level.CRITICAL: critical_level}
    IndicatorState.objects.select_for_update().get(code=indicator.code)  # one run at a time
    live = {
        w.subject_key: w
        for w in EarlyWarning.objects.select_for_update().filter(
            indicator=indicator.code, status__in=LIVE_STATUSES
        )
    }
    seen: set[str] = set()
    unchanged: list[int] = []
    for obs in observations:
        if obs.subject_key in seen:
            continue
        seen.add(obs.subject_key)
        level = indicator.level_for(obs.value, warning_level, critical_level)
        existing = live.pop(obs.subject_key, None)
        if existing is not None and _unchanged(existing, obs, level, thresholds):
            unchanged.append(existing.pk)  # one UPDATE for all of them, not a save each
        elif existing is not None:
            change = _update(existing, obs, level, thresholds, actor, now)
            result.updated += 1
            result.cleared += change == "cleared"
            if change == "escalated":
                result.notify.append(existing)
        elif level is not None:
            result.notify.append(_raise(indicator, obs, level, thresholds[level], actor, now))
            result.raised += 1
    _touch(unchanged, now)
    result.updated += len(unchanged)
    result.cleared += _clear_unseen(live.values(), actor, now)
    counts = EarlyWarning.objects.filter(
        indicator=indicator.code, status__in=LIVE_STATUSES, cleared_at__isnull=True
    )
    result.warning = counts.filter(level=Level.WARNING).count()
    result.critical = counts.filter(level=Level.CRITICAL).count()


def indicator_run(*, indicator: Indicator, actor: Any, now: datetime | None = None) -> RunResult:
    """Measure one indicator and raise, update or clear its warnings (R3.1)."""
    _require_actor(actor)
    now = now or timezone.now()
    result = RunResult(code=indicator.code)
    IndicatorState.objects.get_or_create(code=indicator.code)
    warning_level, critical_level = indicator.thresholds()
    try:
        observations = indicator.check(CheckContext(now, warning_level, critical_level))
    except Exception as exc:  # a broken check is reported on its indicator, others still run
        logger.exception("monitoring check %s failed", indicator.code)
        result.error = f"{type(exc).__name__}: {exc}"[:2000]
        with transaction.atomic():
            _record_run(indicator.code, result, now, [])
        return result
    result.observed = len(observations)
    with policies.frozen(), transaction.atomic():
        _apply(indicator, observations, actor, now, result)
        _record_run(indicator.code, result, now, [obs.value for obs in observations])
        warnings_notify(result.notify, actor=actor)
    return result


def monitoring_run(
    *, actor: Any, codes: list[str] | None = None, now: datetime | None = None
) -> list[RunResult]:
    """Run the enabled indicators (or the named ones, enabled or not) (R3.1)."""
    _require_actor(actor)
    if not actor.has_perm(RUN):
        raise PermissionDenied(_("You may not run the monitoring checks."))
    known = {item.code: item for item in all_indicators()}
    unknown = sorted(set(codes or ()) - set(known))
    if unknown:
        raise ValidationFailed.from_fields(
            _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)},
            {"indicator": [_("Choose one of the listed indicators.")]},
        )
    chosen = (
        [known[code] for code in codes] if codes else [i for i in known.values() if i.is_enabled()]
    )
    return [indicator_run(indicator=item, actor=actor, now=now) for item in chosen]


def _visible_warning(actor: Any, warning_id: int) -> EarlyWarning:
    warning = EarlyWarning.objects.filter(visible_to(actor), pk=warning_id).first()
    if warning is None:
        raise NotFound(_("No such warning."), extra={"id": warning_id})
    return warning


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed.from_fields(
            _("Say why the warning can be closed."), {"note": [_("A closing note is required.")]}
        )
    if len(note) > MAX_NOTE:
        raise ValidationFailed.from_fields(
            _("The note is too long."),
            {"note": [_("At most %(max)s characters.") % {"max": MAX_NOTE}]},
        )
    return note


def warning_acknowledge(*, actor: Any, warning_id: int, note: str = "") -> EarlyWarning:
    """The owner has seen the warning and is on it (R3.1)."""
    _require_actor(actor)
    note = _clean_note(note, required=False)
    warning = _visible_warning(actor, warning_id)
    return apply_transition(
        warning,
        "acknowledge",
        workflow=WARNING,
        actor=actor,
        note=note,
        changes={"acknowledged_at": timezone.now(), "acknowledged_by": actor},
    )


def warning_close(*, actor: Any, warning_id: int, note: str) -> EarlyWarning:
    """Close a warning with a note saying what was done or why it needs nothing (R3.1)."""
    _require_actor(actor)
    note = _clean_note(note, required=True)
    warning = _visible_warning(actor, warning_id)
    return apply_transition(
        warning,
        "close",
        workflow=WARNING,
        actor=actor,
        note=note,
        changes={"closed_at": timezone.now(), "closed_by": actor, "close_note": note},
    )
