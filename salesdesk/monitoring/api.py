"""Monitoring API (R3.1): `/warnings` (list, detail, acknowledge, close, events) and
`/indicators` (definitions with thresholds and last run, and each one's warning history).

A warning the caller may not see is 404, an action they may not take 403, a wrong state 409.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import PermissionDenied
from salesdesk.core.workflow import available_actions
from salesdesk.monitoring import selectors, services
from salesdesk.monitoring.indicators import indicator
from salesdesk.monitoring.models import EarlyWarning, Level, WarningStatus
from salesdesk.monitoring.policies import may_view
from salesdesk.monitoring.workflow import WARNING

router = Router(tags=["monitoring"])
WARNING_PATH = "/warnings/{int:warning_id}"


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = ""


class WarningListQuery(Schema):
    indicator: str = Field("", description="Indicator code.")
    level: Literal[tuple(Level.values)] | Literal[""] = ""
    status: Literal[(*WarningStatus.values, "live")] | Literal[""] = Field(
        "live", description="`live` (default): open or acknowledged; empty: all."
    )
    owner: int | None = Field(None, description="Owner's user id.")
    q: str = Field("", description="Part of the subject.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class WarningOut(Schema):
    id: int
    indicator: str
    indicator_label: str
    unit: str
    subject_key: str
    subject: str = Field(alias="subject_label")
    subject_url: str
    level: str
    status: str
    value: Decimal
    threshold: Decimal
    trend: list[Decimal]
    owner: str | None
    owner_role: str
    first_seen_at: datetime
    last_seen_at: datetime
    due_at: datetime | None
    cleared_at: datetime | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    close_note: str
    available_actions: list[str]

    @staticmethod
    def resolve_indicator_label(obj: EarlyWarning) -> str:
        definition = indicator(obj.indicator)
        return str(definition.label) if definition else obj.indicator

    @staticmethod
    def resolve_unit(obj: EarlyWarning) -> str:
        definition = indicator(obj.indicator)
        return str(definition.unit) if definition else ""

    @staticmethod
    def resolve_trend(obj: EarlyWarning) -> list[Decimal]:
        return [Decimal(value) for value in obj.trend_values]

    @staticmethod
    def resolve_owner(obj: EarlyWarning) -> str | None:
        return obj.owner.username if obj.owner else None

    @staticmethod
    def resolve_available_actions(obj: EarlyWarning, context) -> list[str]:
        return available_actions(WARNING, obj, context["request"].user)


class WarningPageOut(Schema):
    count: int
    items: list[WarningOut]


class RunOut(Schema):
    at: str
    observed: int
    warning: int
    critical: int
    raised: int = 0
    max: str | None = None
    status: str = "ok"


class IndicatorOut(Schema):
    code: str
    label: str
    unit: str
    measure: str
    scope: str
    owner_rule: str
    direction: str
    warning_threshold: Decimal
    critical_threshold: Decimal
    enabled: bool
    last_run_at: datetime | None
    last_status: str
    last_error: str
    open_warning: int
    open_critical: int


class IndicatorHistoryOut(Schema):
    indicator: IndicatorOut
    runs: list[RunOut]
    count: int
    warnings: list[WarningOut]


def _indicator_out(status: selectors.IndicatorStatus) -> dict:
    definition, state = status.definition, status.state
    return {
        "code": definition.code,
        "label": str(definition.label),
        "unit": str(definition.unit),
        "measure": str(definition.measure),
        "scope": str(definition.scope),
        "owner_rule": str(definition.owner_rule),
        "direction": definition.direction,
        "warning_threshold": status.warning,
        "critical_threshold": status.critical,
        "enabled": status.enabled,
        "last_run_at": state.last_run_at if state else None,
        "last_status": state.last_status if state else "",
        "last_error": state.last_error if state else "",
        "open_warning": status.live_warning,
        "open_critical": status.live_critical,
    }


def _require_view(request) -> None:
    if not may_view(request.user):
        raise PermissionDenied(_("You may not see early warnings."))


def _warning(request, warning_id: int) -> EarlyWarning:
    return selectors.warning_get(user=request.user, warning_id=warning_id)


@router.get("/warnings", response=WarningPageOut, summary="Early warnings I may see")
def warning_list_api(request, query: Query[WarningListQuery]):
    _require_view(request)
    warnings = selectors.warning_list(
        user=request.user,
        indicator=query.indicator,
        level=query.level,
        status=query.status,
        owner_id=query.owner,
        q=query.q,
    )
    return {
        "count": warnings.count(),
        "items": list(warnings[query.offset : query.offset + query.limit]),
    }


@router.get(WARNING_PATH, response=WarningOut, summary="One warning with its trend")
def warning_get_api(request, warning_id: int):
    return _warning(request, warning_id)


@router.post(f"{WARNING_PATH}/acknowledge", response=WarningOut, summary="Acknowledge")
def warning_acknowledge_api(request, warning_id: int, payload: NoteIn):
    services.warning_acknowledge(actor=request.user, warning_id=warning_id, note=payload.note)
    return _warning(request, warning_id)


@router.post(f"{WARNING_PATH}/close", response=WarningOut, summary="Close with a note")
def warning_close_api(request, warning_id: int, payload: NoteIn):
    services.warning_close(actor=request.user, warning_id=warning_id, note=payload.note)
    return _warning(request, warning_id)


add_events_route(router, "/warnings", _warning)


@router.get("/indicators", response=list[IndicatorOut], summary="Indicators and thresholds")
def indicator_list_api(request):
    _require_view(request)
    return [_indicator_out(s) for s in selectors.indicator_statuses(user=request.user)]


@router.get(
    "/indicators/{code}/history",
    response=IndicatorHistoryOut,
    summary="An indicator's recent runs and the warnings it raised",
)
def indicator_history_api(request, code: str, limit: int = 50, offset: int = 0):
    _require_view(request)
    status = selectors.indicator_status(user=request.user, code=code)
    warnings = selectors.indicator_history(user=request.user, code=code)
    limit = max(1, min(limit, 500))
    return {
        "indicator": _indicator_out(status),
        "runs": list(reversed(status.state.runs)) if status.state else [],
        "count": warnings.count(),
        "warnings": list(warnings[max(offset, 0) : max(offset, 0) + limit]),
    }
