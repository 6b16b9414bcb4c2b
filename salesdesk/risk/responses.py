"""Automatic responses to customer risk (R2.1, R2.3), called from the order review and the
contract review routing.

A customer's risk level is the higher of the level of their latest credit score and the
levels of their open (not closed) register risks. Order rules come from
`risk.order_rules.<level>`, extra contract reviewers from `risk.contract_reviewers.<level>`.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from salesdesk.core import policies
from salesdesk.risk.models import LEVEL_ORDER, CreditScore, Risk, RiskStatus


def customer_level(customer) -> tuple[str, dict[str, Any]]:
    """(level, where it came from) — level is "" when nothing is known about the customer."""
    levels: list[tuple[str, dict[str, Any]]] = []
    score = (
        CreditScore.objects.filter(customer=customer).values("score", "level").first()
        if customer.pk
        else None
    )
    if score:
        levels.append((score["level"], {"source": "credit_score", "score": score["score"]}))
    risks = (
        Risk.objects.filter(customer=customer)
        .exclude(status=RiskStatus.CLOSED)
        .exclude(level="")
        .values_list("number", "level")
    )
    levels += [(level, {"source": "risk", "risk": number}) for number, level in risks]
    if not levels:
        return "", {}
    return max(levels, key=lambda item: LEVEL_ORDER[item[0]])


def _rules(level: str) -> list[str]:
    return list(policies.value(f"risk.order_rules.{level}")) if level else []


def order_findings(order, kind: str) -> list[dict]:
    """Review findings of `kind` ("credit" or "compliance") the customer's level calls for:
    guarantee (credit: an extra guarantee covering a share of the order), shorter terms,
    prepayment only, block (compliance). Each names its rule and the policy (R2.1)."""
    from salesdesk.orders.review import finding

    level, source = customer_level(order.customer)
    rules = _rules(level)
    if not rules:
        return []
    policy = f"risk.order_rules.{level}"
    common = {"level": level, "policy": policy, **source}
    found = []
    if kind == "credit" and "guarantee" in rules:
        share = Decimal(policies.value("risk.guarantee_share"))
        amount = (order.gross_amount * share).quantize(Decimal("0.01"))
        found.append(
            finding(
                "credit",
                "risk.guarantee_required",
                gettext_noop(
                    "Risk level %(level)s (%(policy)s): an extra guarantee of %(amount)s is "
                    "required."
                ),
                {"level": level, "policy": policy, "amount": amount},
                excess=str(amount),
                risk=common,
            )
        )
    if kind != "compliance":
        return found
    terms = order.payment_terms
    if "block" in rules:
        found.append(
            finding(
                "compliance",
                "risk.blocked",
                gettext_noop("Risk level %(level)s (%(policy)s): new orders are blocked."),
                {"level": level, "policy": policy},
                risk=common,
            )
        )
    if "prepayment_only" in rules and terms != "prepayment":
        found.append(
            finding(
                "compliance",
                "risk.prepayment_only",
                gettext_noop(
                    "Risk level %(level)s (%(policy)s): only prepayment is allowed, not %(terms)s."
                ),
                {"level": level, "policy": policy, "terms": terms},
                risk=common,
            )
        )
    allowed = policies.value("risk.shorter_terms")
    if "shorter_terms" in rules and terms not in allowed:
        found.append(
            finding(
                "compliance",
                "risk.shorter_terms",
                gettext_noop(
                    "Risk level %(level)s (%(policy)s): payment terms %(terms)s are longer than "
                    "allowed (%(allowed)s)."
                ),
                {"level": level, "policy": policy, "terms": terms, "allowed": ", ".join(allowed)},
                risk=common,
            )
        )
    return found


def contract_extra_reviewers(customer) -> list[str]:
    """Roles that also review the contracts of a customer at this risk level (R2.3)."""
    from salesdesk.accounts.roles import ROLE_NAMES

    level, _source = customer_level(customer)
    if not level:
        return []
    roles = policies.value(f"risk.contract_reviewers.{level}")
    return [role for role in roles if role in ROLE_NAMES]
