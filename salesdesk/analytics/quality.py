"""Data quality of the analytics inputs (A1.2): which records are incomplete, and how many.

Each rule is one condition on one table. Counts are single COUNT queries; the sales-line rules
are meant to be backed by partial indexes on their conditions (docs/dashboards.md). Every
count and list is scoped like the metrics: sales lines and customers to the customers the
viewer may see; products only for viewers who may see the catalogue.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.models import CustomerFirstOrder, SalesFact
from salesdesk.catalog.models import Product
from salesdesk.core.errors import NotFound, PermissionDenied
from salesdesk.customers.models import Customer
from salesdesk.customers.policies import visible_to

FACTS, CUSTOMERS, PRODUCTS = "facts", "customers", "products"


@dataclass(frozen=True)
class Rule:
    """One completeness rule: its key (URL slug), label, the table it checks and the fix."""

    key: str
    label: Any
    kind: str
    condition: Q
    hint: Any


RULES = (
    Rule(
        "lines-without-cost",
        _("Sales lines without cost"),
        FACTS,
        Q(cost__isnull=True),
        _("Gross margin counts their cost as 0. Enter the product's standard cost."),
    ),
    Rule(
        "lines-below-cost",
        _("Order lines sold below cost"),
        FACTS,
        Q(cost__isnull=False, revenue__lt=F("cost")),
        _("Check the price, the discount or the product's standard cost."),
    ),
    Rule(
        "delivered-without-promised-date",
        _("Delivered lines without a promised date"),
        FACTS,
        Q(delivery_date__isnull=False, promised_date__isnull=True),
        _("They are left out of the on-time delivery rate's comparison."),
    ),
    Rule(
        "lines-without-salesperson",
        _("Sales lines without a salesperson"),
        FACTS,
        Q(salesperson=""),
        _("They are missing from every figure by salesperson."),
    ),
    Rule(
        "lines-of-unknown-customers",
        _("Sales lines of customers not in salesdesk"),
        FACTS,
        Q(customer__isnull=True),
        _("Imported history whose customer number matches no customer: import the customer."),
    ),
    Rule(
        "lines-without-category",
        _("Sales lines without a product category"),
        FACTS,
        Q(category=""),
        _("They are missing from every figure by category."),
    ),
    Rule(
        "lines-without-region",
        _("Sales lines without a region"),
        FACTS,
        Q(region=""),
        _("Only imported history carries a region; figures by region leave these lines out."),
    ),
    Rule(
        "customers-without-industry",
        _("Customers with sales but no industry"),
        CUSTOMERS,
        Q(industry=""),
        _("Enter the industry on the customer."),
    ),
    Rule(
        "customers-without-province",
        _("Customers with sales but no province"),
        CUSTOMERS,
        Q(province=""),
        _("Enter the address on the customer."),
    ),
    Rule(
        "products-without-category",
        _("Products without a category"),
        PRODUCTS,
        Q(category=""),
        _("Enter the category on the product."),
    ),
    Rule(
        "products-without-cost",
        _("Products without a standard cost"),
        PRODUCTS,
        Q(standard_cost__isnull=True),
        _("Enter the standard cost on the product; its sales lines have no cost."),
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def _may_see(user: Any, rule: Rule) -> bool:
    if rule.kind == PRODUCTS:
        return user.has_perm("catalog.view_product")
    return True


def _check_viewer(user: Any) -> None:
    if not user.has_perm("customers.view_customer"):
        raise PermissionDenied(_("You may not see sales figures."))


def rule_queryset(user: Any, rule: Rule) -> QuerySet:
    """The records breaking `rule` that `user` may see (unsorted)."""
    if rule.kind == FACTS:
        records = SalesFact.objects.filter(rule.condition)
        if not user.has_perm("customers.view_all_customers"):
            visible = Customer.objects.filter(visible_to(user)).values("code")
            records = records.filter(customer_code__in=visible)
        return records
    if rule.kind == CUSTOMERS:
        with_sales = CustomerFirstOrder.objects.values("customer_code")
        return Customer.objects.filter(visible_to(user), rule.condition, code__in=with_sales)
    return Product.objects.filter(rule.condition, is_active=True)


def quality_rules(*, user: Any) -> list[dict[str, Any]]:
    """Each rule the viewer may see with its count of records (A1.2)."""
    _check_viewer(user)
    return [
        {"rule": rule, "count": rule_queryset(user, rule).order_by().count()}
        for rule in RULES
        if _may_see(user, rule)
    ]


def quality_rule_get(*, user: Any, key: str) -> Rule:
    _check_viewer(user)
    rule = RULES_BY_KEY.get(key)
    if rule is None or not _may_see(user, rule):
        raise NotFound(_("No such data quality rule."))
    return rule


SEARCH = {
    FACTS: ("order_number", "customer_code", "sku"),
    CUSTOMERS: ("code", "legal_name", "short_name"),
    PRODUCTS: ("sku", "name"),
}


def quality_records(*, user: Any, rule: Rule, q: str = "") -> QuerySet:
    """The records breaking `rule`, searched by number, code or name (A1.2)."""
    records = rule_queryset(user, rule)
    q = q.strip()
    if q:
        condition = Q()
        for column in SEARCH[rule.kind]:
            condition |= Q(**{f"{column}__icontains": q})
        records = records.filter(condition)
    if rule.kind == CUSTOMERS:
        records = records.select_related("owner")
    return records
