"""Reads of risks, the heat map and credit scores, scoped to who asks (R1.1, R1.2)."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from salesdesk.core.errors import NotFound
from salesdesk.risk import matrix as level_matrix
from salesdesk.risk.models import ContingencyActivation, CreditScore, Risk, RiskStatus
from salesdesk.risk.policies import can_see_scores, visible_to

FILTERS = ("status", "category", "level", "owner", "customer", "likelihood", "impact")


def risk_list(*, user: Any, q: str = "", open_only: bool = False, **filters: Any) -> QuerySet[Risk]:
    """The risks `user` may see, filtered by any of FILTERS and a text search."""
    risks = Risk.objects.filter(visible_to(user)).select_related("owner", "customer")
    for name in FILTERS:
        value = filters.get(name)
        if value not in (None, ""):
            risks = risks.filter(**{f"{name}_id" if name in ("owner", "customer") else name: value})
    if open_only:
        risks = risks.exclude(status=RiskStatus.CLOSED)
    q = (q or "").strip()
    if q:
        risks = risks.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        )
    return risks


def risk_get(*, user: Any, risk_id: int) -> Risk:
    risk = (
        Risk.objects.filter(visible_to(user), pk=risk_id)
        .select_related("owner", "customer", "order", "contract", "shipment", "created_by")
        .first()
    )
    if risk is None:
        raise NotFound(_("No such risk."))
    return risk


def activations_of(risk: Risk) -> QuerySet[ContingencyActivation]:
    return risk.activations.select_related("activated_by")


def heat_map(*, user: Any, open_only: bool = True, category: str = "") -> dict[str, Any]:
    """Counts of assessed risks per (likelihood, impact) with each cell's level; rows run from
    the highest likelihood down, as a heat map is read."""
    scale, cells = level_matrix.current()
    risks = risk_list(user=user, open_only=open_only, category=category).exclude(
        likelihood__isnull=True
    )
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in risks.order_by().values("likelihood", "impact").annotate(n=Count("pk"))
    }
    rows = []
    for likelihood in range(scale, 0, -1):
        rows.append(
            {
                "likelihood": likelihood,
                "cells": [
                    {
                        "likelihood": likelihood,
                        "impact": impact,
                        "level": cells[likelihood - 1][impact - 1],
                        "count": counts.get((likelihood, impact), 0),
                    }
                    for impact in range(1, scale + 1)
                ],
            }
        )
    outside = sum(n for (lk, im), n in counts.items() if lk > scale or im > scale)
    return {"scale": scale, "rows": rows, "impacts": list(range(1, scale + 1)), "outside": outside}


def credit_score_latest(*, user: Any, customer_id: int) -> tuple[Any, CreditScore | None]:
    """(customer, latest score or None) if `user` may see both; else NotFound."""
    from salesdesk.customers.models import Customer
    from salesdesk.customers.policies import visible_to as customers_visible

    customer = None
    if can_see_scores(user):
        customer = Customer.objects.filter(customers_visible(user), pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer, CreditScore.objects.filter(customer=customer).first()


def credit_score_history(customer: Any, limit: int = 30) -> list[CreditScore]:
    return list(CreditScore.objects.filter(customer=customer)[:limit])
