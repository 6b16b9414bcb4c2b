"""KPI reads for pages and the API (E2.1, E2.2): parse and check the request, then compute."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.selectors import team_member_ids
from salesdesk.analytics.slicing import Period
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.supervision.facts import Fact
from salesdesk.supervision.kpis import Kpi, kpi_get, kpi_records, kpi_values, validate_group_by
from salesdesk.supervision.policies import VIEW_KPIS, VIEW_TEAM_KPIS

MAX_DAYS = 3 * 366


def kpi_people(user: Any) -> set[int] | None:
    """Whose KPI facts the user may see: everyone's (None) for the supervision group and
    management; a sales manager their own team's (E2.2, C3.3); nobody else may look."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("You may not see process KPIs."))
    if user.has_perm(VIEW_KPIS):
        return None
    if user.has_perm(VIEW_TEAM_KPIS):
        return set(team_member_ids(user))
    raise PermissionDenied(_("You may not see process KPIs."))


def parse_day(name: str, text: str | None, default: date) -> date:
    if text in (None, ""):
        return default
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ValidationFailed(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text},
            code="invalid_date",
            field=name,
        ) from None


def parse_period(start: str | None, end: str | None) -> Period:
    """`from`/`to` as YYYY-MM-DD; by default the current month so far."""
    today = timezone.localdate()
    first = parse_day("from", start, today.replace(day=1))
    last = parse_day("to", end, today)
    if last < first:
        raise ValidationFailed(
            _("The end date is before the start date."), code="invalid_period", field="to"
        )
    if (last - first) > timedelta(days=MAX_DAYS):
        raise ValidationFailed(
            _("Choose a period of at most three years."), code="period_too_long", field="from"
        )
    return Period(first, last)


def kpi_read(
    *, user: Any, name: str, span: str = "", group_by: str = "", start=None, end=None
) -> tuple[Kpi, Period, list[dict[str, Any]]]:
    people = kpi_people(user)
    kpi = kpi_get(name, span)
    validate_group_by(group_by)
    period = parse_period(start, end)
    return kpi, period, kpi_values(kpi, period, group_by, people)


def kpi_drilldown(
    *, user: Any, name: str, span: str = "", group_by: str = "", group=None, start=None, end=None
) -> tuple[Kpi, Period, list[Fact]]:
    people = kpi_people(user)
    kpi = kpi_get(name, span)
    validate_group_by(group_by)
    if group_by and group in (None, ""):
        raise ValidationFailed(_("Name the group to list."), code="group_required", field="group")
    period = parse_period(start, end)
    return kpi, period, kpi_records(kpi, period, group_by=group_by, group=group, people=people)
