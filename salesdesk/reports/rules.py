"""Problems found by rules in a pack's figures, each with a suggested action (A3.1).

Every rule is a plain function over numbers and a threshold, testable alone; `find_problems`
feeds it the pack's figures and the thresholds from the policies. A problem is stored as
data (code, severity, dimension, segment, numbers); `finding_text` and `action_text` write
it in the reader's language, so a pack reads right in every language.

Thresholds are strict: a segment down exactly the threshold does not fire.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.core import policies
from salesdesk.reports import formatting as fmt

FALLING_SEGMENT = "falling_segment"
RISING_CHURN = "rising_churn"
MARGIN_EROSION = "margin_erosion"
LATE_DELIVERIES = "late_deliveries"
RULE_LABELS = {
    FALLING_SEGMENT: gettext_lazy("Falling segment"),
    RISING_CHURN: gettext_lazy("Rising churn"),
    MARGIN_EROSION: gettext_lazy("Margin erosion"),
    LATE_DELIVERIES: gettext_lazy("Late deliveries"),
}
SEVERITY_LABELS = {"high": gettext_lazy("High"), "medium": gettext_lazy("Medium")}
MAX_PER_DIMENSION = 10
HUNDRED = Decimal(100)
RATE = Decimal("0.0001")
# On-time delivery this far below the target is a high-severity problem.
LATE_HIGH_GAP = Decimal("0.10")


def _problem(code: str, severity: str, dimension: str, segment: Any, **numbers) -> dict:
    return {
        "code": code,
        "severity": severity,
        "dimension": dimension,
        "segment": "" if segment is None else str(segment),
        "numbers": {k: None if v is None else str(v) for k, v in numbers.items()},
    }


def falling_segments(
    dimension: str, pairs: dict[Any, tuple], *, percent: Decimal, minimum: Decimal = Decimal(0)
) -> list[dict]:
    """Segments whose revenue fell by more than `percent` % against the previous period."""
    limit = -Decimal(percent) / HUNDRED
    found = []
    for segment, (current, previous) in pairs.items():
        current, previous = Decimal(current or 0), Decimal(previous or 0)
        if previous <= 0 or previous < minimum:
            continue
        drop = ((current - previous) / previous).quantize(RATE)
        if drop < limit:
            severity = "high" if current <= 0 or drop <= 2 * limit else "medium"
            found.append(
                _problem(
                    FALLING_SEGMENT,
                    severity,
                    dimension,
                    segment,
                    current=current,
                    previous=previous,
                    change=drop,
                    threshold=percent,
                )
            )
    found.sort(key=lambda p: Decimal(p["numbers"]["current"]) - Decimal(p["numbers"]["previous"]))
    return found[:MAX_PER_DIMENSION]


def rising_churn(
    current: Decimal | None, previous: Decimal | None, *, points: Decimal
) -> list[dict]:
    """The churn rate rose by more than `points` percentage points."""
    if current is None or previous is None:
        return []
    rise = Decimal(current) - Decimal(previous)
    limit = Decimal(points) / HUNDRED
    if rise <= limit:
        return []
    severity = "high" if rise > 2 * limit else "medium"
    return [
        _problem(
            RISING_CHURN,
            severity,
            "",
            "",
            current=current,
            previous=previous,
            change=rise,
            threshold=points,
        )
    ]


def margin_erosion(dimension: str, pairs: dict[Any, tuple], *, points: Decimal) -> list[dict]:
    """Gross margin rates down by more than `points` percentage points (overall: dimension "")."""
    limit = Decimal(points) / HUNDRED
    found = []
    for segment, (current, previous) in pairs.items():
        if current is None or previous is None:
            continue
        fall = Decimal(previous) - Decimal(current)
        if fall > limit:
            found.append(
                _problem(
                    MARGIN_EROSION,
                    "high" if fall > 2 * limit else "medium",
                    dimension,
                    segment,
                    current=current,
                    previous=previous,
                    change=-fall,
                    threshold=points,
                )
            )
    found.sort(key=lambda p: Decimal(p["numbers"]["change"]))
    return found[:MAX_PER_DIMENSION]


def late_deliveries(
    dimension: str, rates: dict[Any, Decimal | None], *, minimum_percent: Decimal
) -> list[dict]:
    """On-time delivery rates below `minimum_percent` % (overall: dimension "")."""
    target = Decimal(minimum_percent) / HUNDRED
    found = []
    for segment, rate in rates.items():
        if rate is None or Decimal(rate) >= target:
            continue
        severity = "high" if Decimal(rate) < target - LATE_HIGH_GAP else "medium"
        found.append(
            _problem(
                LATE_DELIVERIES,
                severity,
                dimension,
                segment,
                current=rate,
                threshold=minimum_percent,
            )
        )
    found.sort(key=lambda p: Decimal(p["numbers"]["current"]))
    return found[:MAX_PER_DIMENSION]


def thresholds() -> dict[str, Decimal]:
    return {
        "falling_percent": policies.value("reports.falling_segment_percent"),
        "falling_minimum": policies.value("reports.falling_segment_min_revenue"),
        "churn_points": policies.value("reports.churn_rise_points"),
        "margin_points": policies.value("reports.margin_erosion_points"),
        "on_time_percent": policies.value("reports.on_time_minimum_percent"),
    }


def find_problems(figures: Any, limits: dict[str, Decimal] | None = None) -> list[dict]:
    """Run every rule over a pack's figures (`content.Figures`); high severity first."""
    limits = limits or thresholds()
    found: list[dict] = []
    for dimension, pairs in figures.segments.items():
        if dimension in ("region", "category", "salesperson", "customer"):
            found += falling_segments(
                dimension,
                pairs,
                percent=limits["falling_percent"],
                minimum=limits["falling_minimum"],
            )
    churn = figures.metric("churn_rate")
    found += rising_churn(churn["value"], churn["previous"], points=limits["churn_points"])
    margin = figures.metric("gross_margin_rate")
    overall = {"": (margin["value"], margin["previous"])}
    found += margin_erosion("", overall, points=limits["margin_points"])
    for dimension, pairs in figures.margin_rates.items():
        found += margin_erosion(dimension, pairs, points=limits["margin_points"])
    on_time = figures.metric("on_time_delivery_rate")["value"]
    found += late_deliveries("", {"": on_time}, minimum_percent=limits["on_time_percent"])
    for dimension, rates in figures.delivery.items():
        found += late_deliveries(dimension, rates, minimum_percent=limits["on_time_percent"])
    return sorted(found, key=lambda p: p["severity"] != "high")


def _params(problem: dict) -> dict[str, str]:
    numbers = problem.get("numbers", {})
    money_like = problem["code"] == FALLING_SEGMENT
    show = fmt.money if money_like else fmt.percent
    return {
        "dimension": fmt.dimension(problem.get("dimension", "")),
        "segment": fmt.segment(problem.get("segment")),
        "current": show(numbers.get("current")),
        "previous": show(numbers.get("previous")),
        "change": fmt.growth(numbers.get("change"))
        if money_like
        else fmt.points(numbers.get("change")),
        "threshold": f"{numbers.get('threshold')}",
    }


def finding_text(problem: dict) -> str:
    """The finding with its numbers, in the active language."""
    p = _params(problem)
    code, scoped = problem["code"], bool(problem.get("dimension"))
    if code == FALLING_SEGMENT:
        text = _(
            "Revenue of %(dimension)s “%(segment)s” changed %(change)s, from %(previous)s to "
            "%(current)s (rule: a fall of more than %(threshold)s%%)."
        )
    elif code == RISING_CHURN:
        text = _(
            "The churn rate rose from %(previous)s to %(current)s (%(change)s points; rule: "
            "more than %(threshold)s points)."
        )
    elif code == MARGIN_EROSION and scoped:
        text = _(
            "The gross margin rate of %(dimension)s “%(segment)s” fell from %(previous)s to "
            "%(current)s (%(change)s points; rule: more than %(threshold)s points)."
        )
    elif code == MARGIN_EROSION:
        text = _(
            "The gross margin rate fell from %(previous)s to %(current)s (%(change)s points; "
            "rule: more than %(threshold)s points)."
        )
    elif scoped:
        text = _(
            "On-time delivery for %(dimension)s “%(segment)s” was %(current)s, below the "
            "target of %(threshold)s%%."
        )
    else:
        text = _("On-time delivery was %(current)s, below the target of %(threshold)s%%.")
    return text % p


def action_text(problem: dict) -> str:
    """The suggested action for a problem, in the active language."""
    p = _params(problem)
    code, dimension = problem["code"], problem.get("dimension", "")
    if code == FALLING_SEGMENT and dimension == "customer":
        text = _(
            "Contact customer “%(segment)s”: find out why orders fell (needs, prices, "
            "competitors, service problems) and agree on the next orders."
        )
    elif code == FALLING_SEGMENT and dimension == "salesperson":
        text = _(
            "Review the pipeline and visit plan of salesperson “%(segment)s” and agree on "
            "recovery targets for the next period."
        )
    elif code == FALLING_SEGMENT:
        text = _(
            "Break the fall in %(dimension)s “%(segment)s” down by customer and product, and "
            "plan a promotion, a price review or extra sales visits."
        )
    elif code == RISING_CHURN:
        text = _(
            "Call the customers who ordered in the previous period but not in this one, "
            "find out why, and plan win-back offers."
        )
    elif code == MARGIN_EROSION and dimension:
        text = _(
            "Check the discounts granted and the unit costs in %(dimension)s “%(segment)s”; "
            "review its prices and discount limits."
        )
    elif code == MARGIN_EROSION:
        text = _(
            "Check discounts granted, the product mix and cost increases; review price lists "
            "and discount limits."
        )
    elif dimension:
        text = _(
            "Review promised dates and carrier performance for %(dimension)s “%(segment)s” "
            "with logistics and the warehouse; promise realistic dates."
        )
    else:
        text = _(
            "Review the causes of late deliveries with logistics, the warehouse and "
            "production; promise realistic dates."
        )
    return text % p


def rule_label(problem: dict) -> str:
    return str(RULE_LABELS.get(problem["code"], problem["code"]))


def severity_label(problem: dict) -> str:
    return str(SEVERITY_LABELS.get(problem["severity"], problem["severity"]))
