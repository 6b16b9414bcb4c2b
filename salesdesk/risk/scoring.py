"""The customer credit score (R1.2): inputs from payment behaviour, a documented formula.

score = 100 − the penalties below, rounded and kept within 0–100 (docs/risk.md):

| input | penalty (at most) |
|---|---|
| max days past due (paid late or still open) | 30 × min(1, days / 90)  (30) |
| amount-weighted average days past due | 20 × min(1, days / 60)  (20) |
| overdue share of open receivables | 20 × share  (20) |
| payment history length in months | 10 × max(0, 1 − months / 24)  (10) |
| credit utilisation (receivables + open orders) ÷ limit | 15 × clamp((u − 0.7) / 0.3)  (15) |
| complaints in the look-back window | 5 × min(1, count / 3)  (5) |

Every penalty rises (never falls) with its input, so the score never rises with days past due.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from salesdesk.core import policies
from salesdesk.risk.models import RiskLevel

WEIGHTS = {
    "max_days_past_due": 30,
    "average_days_past_due": 20,
    "overdue_share": 20,
    "history": 10,
    "utilisation": 15,
    "complaints": 5,
}


@dataclass(frozen=True)
class ScoreInputs:
    """What the score is computed from; stored with it as JSON."""

    max_days_past_due: int = 0
    average_days_past_due: float = 0.0
    overdue_amount: str = "0.00"
    open_receivables: str = "0.00"
    overdue_share: float = 0.0
    history_months: int = 0
    exposure: str = "0.00"
    credit_limit: str | None = None
    utilisation: float | None = 0.0
    complaints: int = 0
    lookback_days: int = 365

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def penalties(inputs: ScoreInputs) -> dict[str, float]:
    """Each input's penalty in points (docs/risk.md)."""
    utilisation = 1.0 if inputs.utilisation is None else float(inputs.utilisation)
    return {
        "max_days_past_due": WEIGHTS["max_days_past_due"] * _clamp(inputs.max_days_past_due / 90),
        "average_days_past_due": WEIGHTS["average_days_past_due"]
        * _clamp(inputs.average_days_past_due / 60),
        "overdue_share": WEIGHTS["overdue_share"] * _clamp(inputs.overdue_share),
        "history": WEIGHTS["history"] * _clamp(1 - inputs.history_months / 24),
        "utilisation": WEIGHTS["utilisation"] * _clamp((utilisation - 0.7) / 0.3),
        "complaints": WEIGHTS["complaints"] * _clamp(inputs.complaints / 3),
    }


def score_of(inputs: ScoreInputs) -> int:
    """0 (worst) to 100 (best)."""
    return max(0, min(100, round(100 - sum(penalties(inputs).values()))))


def level_of_score(score: int) -> str:
    """The risk level a score maps to (policy thresholds risk.score_below.*)."""
    for level in (RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.MEDIUM):
        if score < policies.value(f"risk.score_below.{level}"):
            return level.value
    return RiskLevel.LOW.value


def _days_past_due(customer, today: date, since: date) -> tuple[int, float]:
    """(max, amount-weighted average) days past due over invoices due in the window: open
    ones count until today, paid ones until the payment that settled them."""
    from salesdesk.finance.models import Invoice, InvoiceStatus
    from salesdesk.finance.selectors import open_invoices

    open_ids = set(open_invoices(today).filter(customer=customer).values_list("pk", flat=True))
    invoices = (
        Invoice.objects.filter(
            customer=customer,
            status=InvoiceStatus.ISSUED,
            due_date__lt=today,
            issue_date__lte=today,
        )
        .filter(due_date__gte=since)
        .annotate(settled_on=Max("allocations__payment__received_on"))
        .values_list("pk", "due_date", "gross_amount", "settled_on")
    )
    worst, weighted, total = 0, Decimal(0), Decimal(0)
    for pk, due, gross, settled in invoices:
        end = today if pk in open_ids else (settled or due)
        days = max(0, (end - due).days)
        worst = max(worst, days)
        weighted += gross * days
        total += gross
    return worst, float(weighted / total) if total else 0.0


def _history_months(customer, today: date) -> int:
    from salesdesk.finance.models import Invoice, InvoiceStatus, Payment

    first_invoice = Invoice.objects.filter(
        customer=customer, status=InvoiceStatus.ISSUED
    ).aggregate(first=Min("issue_date"))["first"]
    first_payment = Payment.objects.filter(customer=customer).aggregate(first=Min("received_on"))[
        "first"
    ]
    first = min((d for d in (first_invoice, first_payment) if d), default=None)
    return max(0, (today - first).days // 30) if first else 0


def inputs_for(customer, *, today: date | None = None) -> ScoreInputs:
    """Gather the inputs from finance, orders and shipping records (R1.2)."""
    from salesdesk.finance.selectors import receivables, uninvoiced_order_total
    from salesdesk.orders.review import OPEN_STATUSES
    from salesdesk.shipping.models import Complaint

    day = today or timezone.localdate()
    lookback = policies.value("risk.score_lookback_days")
    since = day - timedelta(days=lookback)
    owed = receivables(customer, as_of=day)
    worst, average = _days_past_due(customer, day, since)
    exposure = (
        uninvoiced_order_total(customer, OPEN_STATUSES)
        + owed.invoiced_not_paid
        + customer.opening_balance
    )
    limit = customer.credit_limit
    if limit:
        utilisation = float(max(exposure, Decimal(0)) / limit)
    else:
        utilisation = None if exposure > 0 else 0.0
    complaints = Complaint.objects.filter(
        shipment__order__customer=customer, created_at__date__gte=since
    ).count()
    return ScoreInputs(
        max_days_past_due=worst,
        average_days_past_due=round(average, 1),
        overdue_amount=str(owed.overdue),
        open_receivables=str(owed.unpaid),
        overdue_share=round(float(owed.overdue / owed.unpaid), 4) if owed.unpaid > 0 else 0.0,
        history_months=_history_months(customer, day),
        exposure=str(exposure),
        credit_limit=None if limit is None else str(limit),
        utilisation=None if utilisation is None else round(utilisation, 4),
        complaints=complaints,
        lookback_days=lookback,
    )
