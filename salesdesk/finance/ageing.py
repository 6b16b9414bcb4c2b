"""Receivables ageing per customer or salesperson on a day (U6): open invoice amounts in
buckets of days past due, scoped to the customers the viewer may see. A customer's amounts
count for its owner, the salesperson who follows up the collection."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, DateField, Min, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import ValidationFailed
from salesdesk.core.money import quantize_money
from salesdesk.finance.policies import visible_to
from salesdesk.finance.rules import BUCKETS, NOT_DUE, NOT_DUE_LABEL
from salesdesk.finance.selectors import MONEY_FIELD, ZERO, open_invoices

GROUPS = {
    "customer": ("customer_id", "customer__code", "customer__legal_name"),
    "salesperson": (
        "customer__owner_id",
        "customer__owner__username",
        "customer__owner__first_name",
        "customer__owner__last_name",
    ),
}
BUCKET_KEYS = (NOT_DUE, *(key for key, *_rest in BUCKETS))


def bucket_labels() -> list[tuple[str, Any]]:
    return [(NOT_DUE, NOT_DUE_LABEL), *((key, label) for key, label, *_rest in BUCKETS)]


@dataclass
class AgeingRow:
    """One customer's or salesperson's open amounts by bucket."""

    key: int
    code: str
    name: str
    buckets: dict[str, Decimal]
    total: Decimal
    overdue: Decimal
    oldest_overdue_days: int


@dataclass
class Ageing:
    as_of: date
    group_by: str
    rows: list[AgeingRow]
    totals: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    overdue: Decimal = ZERO


def _bucket_condition(day: date, key: str) -> Q:
    if key == NOT_DUE:
        return Q(due_date__gte=day)
    for bucket, _label, first, last in BUCKETS:
        if bucket == key:
            condition = Q(due_date__lte=day - timedelta(days=max(first, 1)))
            if last is not None:
                condition &= Q(due_date__gte=day - timedelta(days=last))
            return condition
    raise KeyError(key)


def _open_in(day: date, key: str):
    return Sum(
        Case(
            When(_bucket_condition(day, key), then="open_as_of"),
            default=Value(ZERO),
            output_field=MONEY_FIELD,
        )
    )


def ageing(
    *,
    user: Any,
    as_of: date | None = None,
    group_by: str = "customer",
    customer_id: int | None = None,
    salesperson_id: int | None = None,
) -> Ageing:
    """Open amounts not yet due and 0–30, 31–60, 61–90, 91–180, over 180 days past due (U6)."""
    if group_by not in GROUPS:
        raise ValidationFailed(
            _("Group by customer or salesperson."),
            code="invalid_group",
            extra={"field": "group_by"},
        )
    day = as_of or timezone.localdate()
    invoices = open_invoices(day).filter(visible_to(user))
    if customer_id:
        invoices = invoices.filter(customer_id=customer_id)
    if salesperson_id:
        invoices = invoices.filter(customer__owner_id=salesperson_id)
    fields = GROUPS[group_by]
    rows = (
        invoices.values(*fields)
        .annotate(
            total=Sum("open_as_of"),
            oldest=Min(Case(When(due_date__lt=day, then="due_date"), output_field=DateField())),
            **{key: _open_in(day, key) for key in BUCKET_KEYS},
        )
        .order_by(fields[1])
    )
    report = Ageing(as_of=day, group_by=group_by, rows=[])
    report.totals = dict.fromkeys(BUCKET_KEYS, ZERO)
    for row in rows:
        report.rows.append(_row(row, fields, day))
    for row in report.rows:
        for key in BUCKET_KEYS:
            report.totals[key] += row.buckets[key]
        report.total += row.total
        report.overdue += row.overdue
    return report


def _row(row: dict, fields: tuple[str, ...], day: date) -> AgeingRow:
    buckets = {key: quantize_money(row[key] or ZERO) for key in BUCKET_KEYS}
    if len(fields) == 3:
        name = row[fields[2]]
    else:
        name = f"{row[fields[2]]} {row[fields[3]]}".strip() or row[fields[1]]
    return AgeingRow(
        key=row[fields[0]],
        code=row[fields[1]],
        name=name,
        buckets=buckets,
        total=quantize_money(row["total"] or ZERO),
        overdue=sum((buckets[key] for key in BUCKET_KEYS if key != NOT_DUE), ZERO),
        oldest_overdue_days=(day - row["oldest"]).days if row["oldest"] else 0,
    )
