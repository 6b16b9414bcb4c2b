"""The KPI catalogue (E2.1, E2.2): each KPI defined once with its formula, unit, target and
direction, computed from the event log and records for any period and group.

`kpi_values(kpi, period, group_by)` is a pure read: the same data gives the same rows, so an
evaluation run can store its result as a snapshot. `kpi_records()` lists the facts behind a
value (the drill-down). Formulas are documented in docs/kpis.md.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from math import ceil
from typing import Any

from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.metrics import METRICS
from salesdesk.analytics.slicing import Period
from salesdesk.core import policies
from salesdesk.core.errors import ValidationFailed
from salesdesk.supervision import accuracy, facts_orders, facts_records
from salesdesk.supervision.facts import Fact
from salesdesk.supervision.grouping import DIMENSIONS, People

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Kpi:
    """One KPI: `statistic` is "ratio" (a percentage), "median" (with p90) or "mean"."""

    name: str
    label: Any
    formula: Any
    unit: str
    direction: str  # "higher" or "lower" is better
    statistic: str
    facts: Callable[..., list[Fact]]
    default_target: str
    span: str = ""
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.name}:{self.span}" if self.span else self.name

    @property
    def policy_key(self) -> str:
        return f"supervision.target.{self.key.replace(':', '.')}"

    @property
    def target(self) -> Decimal:
        return Decimal(policies.value(self.policy_key))

    def met(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.direction == "higher" else value <= self.target

    def compute_facts(self, period: Period) -> list[Fact]:
        return self.facts(period, self.span) if self.span else self.facts(period)


SATISFACTION = METRICS["satisfaction"]
CATALOGUE: tuple[Kpi, ...] = (
    Kpi(
        "order_processing_cycle_time",
        _("Order review cycle time"),
        _("hours from order.submitted to order.approved; median and p90"),
        "hours",
        "lower",
        "median",
        facts_orders.cycle_time,
        "8",
        span="review",
        sources=("order.submitted", "order.approved"),
    ),
    Kpi(
        "order_processing_cycle_time",
        _("Order allocation cycle time"),
        _("hours from order.created (received) to order.approved (allocated); median and p90"),
        "hours",
        "lower",
        "median",
        facts_orders.cycle_time,
        "24",
        span="allocation",
        sources=("order.created", "order.approved"),
    ),
    Kpi(
        "orders_reviewed_within_sla",
        _("Orders reviewed within the SLA"),
        _("submissions decided within the review SLA ÷ submissions decided or past the SLA"),
        "%",
        "higher",
        "ratio",
        facts_orders.reviewed_within_sla,
        "95",
        sources=("order.submitted", "order.approved", "order.rejected", "order.cancelled"),
    ),
    Kpi(
        "verbal_orders_confirmed_on_time",
        _("Verbal orders confirmed on time"),
        _("verbal orders confirmed in writing by the due time ÷ verbal orders due"),
        "%",
        "higher",
        "ratio",
        facts_orders.verbal_confirmed_on_time,
        "95",
        sources=("order.confirmed_in_writing",),
    ),
    Kpi(
        "on_time_shipment_rate",
        _("On-time shipments"),
        _("shipments delivered by the promised date ÷ shipments promised in the period"),
        "%",
        "higher",
        "ratio",
        facts_records.on_time_shipments,
        "95",
        sources=("shipment.delivered",),
    ),
    Kpi(
        "contract_execution_rate",
        _("Contract execution rate"),
        _("obligations fulfilled on time ÷ obligations due"),
        "%",
        "higher",
        "ratio",
        facts_records.contract_execution,
        "95",
        sources=("contract.obligation_fulfilled",),
    ),
    Kpi(
        "contract_archiving_on_time",
        _("Contracts archived on time"),
        _("signed originals received by their due date ÷ originals due"),
        "%",
        "higher",
        "ratio",
        facts_records.archiving_on_time,
        "90",
        sources=("contract.activated", "contract.original_received"),
    ),
    Kpi(
        "customer_satisfaction",
        SATISFACTION.label,
        SATISFACTION.formula,
        SATISFACTION.unit,
        "higher",
        "mean",
        facts_records.survey_scores,
        "4",
        sources=("survey answers",),
    ),
    Kpi(
        "data_accuracy",
        _("Data accuracy"),
        _("customer and order records passing every validation and completeness rule ÷ records"),
        "%",
        "higher",
        "ratio",
        accuracy.data_accuracy,
        "90",
        sources=("customer and order records",),
    ),
    Kpi(
        "collection_rate",
        _("Collection rate"),
        _("amount collected by the period's end ÷ amount of invoices due in the period"),
        "%",
        "higher",
        "ratio",
        facts_records.collection,
        "90",
        sources=("invoices", "payment allocations"),
    ),
)
NAMES = tuple(dict.fromkeys(k.name for k in CATALOGUE))


def kpi_get(name: str, span: str = "") -> Kpi:
    """The definition of a KPI (and span), or a 422 naming what is unknown."""
    candidates = [k for k in CATALOGUE if k.name == name]
    if not candidates:
        raise ValidationFailed(
            _("Unknown KPI “%(name)s”.") % {"name": name}, code="unknown_kpi", field="kpi"
        )
    if not span:
        return candidates[0]
    for kpi in candidates:
        if kpi.span == span:
            return kpi
    raise ValidationFailed(
        _("“%(span)s” is not a span of this KPI.") % {"span": span},
        code="unknown_span",
        field="span",
    )


def validate_group_by(group_by: str) -> str:
    if group_by and group_by not in DIMENSIONS:
        raise ValidationFailed(
            _("Group by one of: %(names)s.") % {"names": ", ".join(DIMENSIONS)},
            code="unknown_dimension",
            field="group_by",
        )
    return group_by


def median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered, middle = sorted(values), len(values) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(CENT)


def p90(values: list[Decimal]) -> Decimal | None:
    """The nearest-rank 90th percentile: the smallest value ≥ 90 % of the values."""
    if not values:
        return None
    return sorted(values)[ceil(Decimal("0.9") * len(values)) - 1]


def summarise(kpi: Kpi, facts: list[Fact]) -> dict[str, Any]:
    """Value, count and (per statistic) numerator/denominator or p90 of a set of facts."""
    row: dict[str, Any] = {"count": len(facts)}
    if kpi.statistic == "ratio":
        numerator = sum((f.numerator for f in facts), Decimal(0))
        denominator = sum((f.denominator for f in facts), Decimal(0))
        row["numerator"], row["denominator"] = numerator, denominator
        row["value"] = (numerator * HUNDRED / denominator).quantize(CENT) if denominator else None
    elif kpi.statistic == "median":
        values = [f.value for f in facts]
        row["value"], row["p90"] = median(values), p90(values)
    else:
        values = [f.value for f in facts]
        row["value"] = (sum(values) / len(values)).quantize(CENT) if values else None
    return row


def _facts(kpi: Kpi, period: Period, people: set[int] | None) -> list[Fact]:
    """The KPI's facts, or only those of these people (a sales manager's team)."""
    facts = kpi.compute_facts(period)
    if people is None:
        return facts
    return [f for f in facts if f.person_id in people]


def kpi_values(
    kpi: Kpi, period: Period, group_by: str = "", people: set[int] | None = None
) -> list[dict[str, Any]]:
    """One row per group (or one row for the whole period): the group key and label, value,
    count, and numerator/denominator or p90, with the target and whether it is met. With
    `people`, only their facts count."""
    validate_group_by(group_by)
    facts = _facts(kpi, period, people)
    if not group_by:
        groups = {None: facts}
        people = None
    else:
        people = People.load(f.person_id for f in facts)
        groups = defaultdict(list)
        for fact in facts:
            groups[people.key(group_by, fact.person_id, fact.day)].append(fact)
    rows = []
    for key, members in groups.items():
        row = summarise(kpi, members)
        if group_by:
            row = {group_by: key, "label": people.label(group_by, key), **row}
        row["target"], row["met"] = kpi.target, kpi.met(row["value"])
        rows.append(row)
    if group_by:
        rows.sort(key=lambda r: (r[group_by] is None, str(r[group_by])))
    return rows


def kpi_records(
    kpi: Kpi,
    period: Period,
    *,
    group_by: str = "",
    group: Any = None,
    people: set[int] | None = None,
) -> list[Fact]:
    """The facts behind a value, optionally of one group (`group_by`=`group`) and only of
    `people`."""
    validate_group_by(group_by)
    facts = _facts(kpi, period, people)
    if group_by:
        people = People.load(f.person_id for f in facts)
        facts = [f for f in facts if _matches(people.key(group_by, f.person_id, f.day), group)]
    return sorted(facts, key=lambda f: (f.day, f.label))


def _matches(key: Any, group: Any) -> bool:
    """A group as given in a URL: an id, a month as YYYY-MM, or "none" for unassigned."""
    text = str(group or "").strip().lower()
    if key is None:
        return text in ("", "none")
    if hasattr(key, "strftime"):
        return key.strftime("%Y-%m") == text[:7]
    return str(key) == text


def worst_performers(kpi: Kpi, period: Period, limit: int = 5) -> list[dict[str, Any]]:
    """The people furthest on the wrong side of the target (those with a value)."""
    rows = [r for r in kpi_values(kpi, period, "person") if r["value"] is not None]
    rows.sort(key=lambda r: r["value"], reverse=kpi.direction == "lower")
    return rows[:limit]


def month_window(period: Period, months: int) -> Period:
    """The `months` calendar months ending with the period's last month (and the period)."""
    first = period.end.replace(day=1)
    for _step in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(min(first, period.start), period.end)


def kpi_overview(
    kpi: Kpi, period: Period, months: int = 6, people: set[int] | None = None
) -> dict[str, Any]:
    """For the dashboard: the period's value, the monthly trend and the worst performers,
    from one computation of the facts (only `people`'s, if given)."""
    window = month_window(period, months)
    facts = _facts(kpi, window, people)
    inside = [f for f in facts if period.start <= f.day <= period.end]
    total = summarise(kpi, inside)
    trend = defaultdict(list)
    for fact in facts:
        trend[fact.day.replace(day=1)].append(fact)
    people = People.load(f.person_id for f in inside)
    by_person = defaultdict(list)
    for fact in inside:
        if fact.person_id is not None:
            by_person[fact.person_id].append(fact)
    worst = [
        {"person": pk, "label": people.label("person", pk), **summarise(kpi, members)}
        for pk, members in by_person.items()
    ]
    worst = [w for w in worst if w["value"] is not None and kpi.met(w["value"]) is False]
    worst.sort(key=lambda r: r["value"], reverse=kpi.direction == "lower")
    return {
        "kpi": kpi,
        "total": {**total, "target": kpi.target, "met": kpi.met(total["value"])},
        "trend": [{"month": month, **summarise(kpi, trend[month])} for month in sorted(trend)],
        "worst": worst[:3],
    }
