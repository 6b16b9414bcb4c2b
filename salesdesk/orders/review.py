"""The three-part order review (O2.1 credit, O2.2 compliance, O2.3 stock).

Each finding names the rule (a policy key or a record field) that fired, so the person who
resolves it knows exactly what to fix or override.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from salesdesk.catalog.models import Stock
from salesdesk.catalog.pricing import price_quotes
from salesdesk.core import policies
from salesdesk.finance.selectors import receivables, uninvoiced_order_total
from salesdesk.orders.models import Order, OrderStatus

OPEN_STATUSES = (
    OrderStatus.APPROVED,
    OrderStatus.IN_FULFILLMENT,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)
DISCOUNT_ROLES = ("sales_manager", "sales_admin", "salesperson")


@dataclass
class Exposure:
    open_orders: Decimal
    unpaid_invoices: Decimal
    opening_balance: Decimal
    this_order: Decimal
    overdue_amount: Decimal
    overdue_days: int
    limit: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.open_orders + self.unpaid_invoices + self.opening_balance + self.this_order

    @property
    def excess(self) -> Decimal:
        return max(Decimal(0), self.total - (self.limit or Decimal(0)))

    def as_dict(self) -> dict[str, Any]:
        return {
            k: str(v) if v is not None else None
            for k, v in {
                "open_orders": self.open_orders,
                "unpaid_invoices": self.unpaid_invoices,
                "opening_balance": self.opening_balance,
                "this_order": self.this_order,
                "total": self.total,
                "limit": self.limit,
                "excess": self.excess,
                "overdue_amount": self.overdue_amount,
                "overdue_days": self.overdue_days,
            }.items()
        }


def receivables_of(customer) -> tuple[Decimal, Decimal, int]:
    """(invoiced not paid, overdue amount, oldest overdue days) from the finance records (U6):
    open invoices less payments not yet allocated, and the open amounts past their due date."""
    owed = receivables(customer)
    return owed.invoiced_not_paid, owed.overdue, owed.oldest_overdue_days


def exposure_of(order: Order) -> Exposure:
    """Credit exposure = approved-not-invoiced orders (gross less what was invoiced on each) +
    invoiced-not-paid + opening balance + this order (O2.1)."""
    customer = order.customer
    open_orders = uninvoiced_order_total(customer, OPEN_STATUSES, exclude_order_id=order.pk)
    unpaid, overdue, days = receivables_of(customer)
    return Exposure(
        open_orders,
        unpaid,
        customer.opening_balance,
        order.gross_amount,
        overdue,
        days,
        customer.credit_limit,
    )


def finding(kind: str, rule: str, text: str, params: dict, *, holds: bool = True, **extra) -> dict:
    """One review finding. The message is kept as its msgid and parameters, so each reader
    sees it in their own language (`finding_message`); `message` is the text as first shown."""
    params = {key: str(value) for key, value in params.items()}
    return {
        "kind": kind,
        "rule": rule,
        "text": text,
        "params": params,
        "message": _(text) % params,
        "holds": holds,
        "resolved": False,
        **extra,
    }


def finding_message(item: dict) -> str:
    """A finding's message in the active language (findings stored before #6 keep theirs)."""
    if "text" not in item:
        return item.get("message", "")
    return _(item["text"]) % item.get("params", {})


def risk_findings(order: Order, kind: str) -> list[dict]:
    """The risk app's automatic responses for this customer (R2.1): one place calls it."""
    from salesdesk.risk.responses import order_findings

    return order_findings(order, kind)


def credit_findings(order: Order, exposure: Exposure) -> list[dict]:
    if order.payment_terms == "prepayment":
        return []
    found = risk_findings(order, "credit")  # R2.1 hook: customer risk level → order rules
    if exposure.limit is None:
        found.append(
            finding(
                "credit",
                "customers.credit_limit",
                gettext_noop("The customer has no credit limit; only prepayment is safe."),
                {},
                excess=str(exposure.total),
            )
        )
    elif exposure.total > exposure.limit:
        found.append(
            finding(
                "credit",
                "customers.credit_limit",
                gettext_noop(
                    "Credit exposure %(total)s exceeds the limit %(limit)s by %(excess)s."
                ),
                {"total": exposure.total, "limit": exposure.limit, "excess": exposure.excess},
                excess=str(exposure.excess),
            )
        )
    if exposure.overdue_amount > 0:
        found.append(
            finding(
                "credit",
                "receivables.overdue",
                gettext_noop("The customer has %(amount)s overdue for up to %(days)s days."),
                {"amount": exposure.overdue_amount, "days": exposure.overdue_days},
                excess=str(exposure.overdue_amount),
            )
        )
    return found


def _max_discount(user) -> tuple[Decimal, str]:
    roles = [r for r in DISCOUNT_ROLES if user.groups.filter(name=r).exists()]
    if not roles:
        return Decimal(0), "orders.max_discount.salesperson"
    best = max(roles, key=lambda r: policies.value(f"orders.max_discount.{r}"))
    return policies.value(f"orders.max_discount.{best}"), f"orders.max_discount.{best}"


def compliance_findings(order: Order, lines: list) -> list[dict]:
    customer = order.customer
    found = []
    if customer.is_blocked:
        found.append(
            finding(
                "compliance",
                "customers.is_blocked",
                gettext_noop("The customer is blocked: %(reason)s"),
                {"reason": customer.blocked_reason},
            )
        )
    allowed = policies.value(f"orders.terms_for_grade.{customer.grade}")
    if order.payment_terms not in allowed:
        found.append(
            finding(
                "compliance",
                f"orders.terms_for_grade.{customer.grade}",
                gettext_noop("Payment terms %(terms)s are not allowed for grade %(grade)s."),
                {"terms": order.payment_terms, "grade": customer.grade},
            )
        )
    limit, rule = _max_discount(order.salesperson)
    # The minimum of the price list that applies to this customer today (same precedence as
    # the price itself), so an expired or overridden list's minimum never holds an order.
    quotes = price_quotes(
        customer=customer, products=[line.product for line in lines], on=timezone.localdate()
    )
    minimums = {
        pid: q.item.min_price
        for pid, q in quotes.items()
        if q.item is not None and q.item.min_price is not None
    }
    for line in lines:
        if line.discount_rate > limit:
            found.append(
                finding(
                    "compliance",
                    rule,
                    gettext_noop("Line %(n)s: discount %(d)s is above the allowed %(max)s."),
                    {"n": line.line_number, "d": line.discount_rate, "max": limit},
                    line=line.line_number,
                )
            )
        net_unit = line.net_amount / line.quantity
        minimum = minimums.get(line.product_id)
        if minimum is not None and net_unit < minimum:
            found.append(
                finding(
                    "compliance",
                    "catalog.min_price",
                    gettext_noop("Line %(n)s: price %(p)s is below the lowest price %(min)s."),
                    {"n": line.line_number, "p": round(net_unit, 2), "min": minimum},
                    line=line.line_number,
                )
            )
    found += risk_findings(order, "compliance")  # R2.1 hook: customer risk level → order rules
    cap = policies.value("orders.verbal_order_cap")
    if order.channel == "verbal" and order.gross_amount > cap:
        found.append(
            finding(
                "compliance",
                "orders.verbal_order_cap",
                gettext_noop("A verbal order may not exceed %(cap)s."),
                {"cap": cap},
            )
        )
    return found


def stock_findings(lines: list) -> list[dict]:
    """Lines that stock cannot cover now; they go to production or purchasing (O2.3)."""
    available = {}
    for row in Stock.objects.filter(product_id__in=[line.product_id for line in lines]):
        available[row.product_id] = available.get(row.product_id, Decimal(0)) + row.available
    found = []
    for line in lines:
        free = available.get(line.product_id, Decimal(0))
        if free < line.quantity:
            found.append(
                finding(
                    "stock",
                    "stock.available",
                    gettext_noop("Line %(n)s: %(free)s available of %(qty)s ordered."),
                    {"n": line.line_number, "free": free, "qty": line.quantity},
                    holds=False,
                    line=line.line_number,
                    short=str(line.quantity - max(free, 0)),
                )
            )
        available[line.product_id] = free - line.quantity
    return found
