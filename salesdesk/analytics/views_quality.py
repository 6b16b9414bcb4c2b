"""Data quality pages (A1.2, U11): the rules with counts, and each rule's records as a list
that filters, sorts, paginates and exports to Excel."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.analytics.quality import CUSTOMERS, FACTS, quality_records, quality_rule_get
from salesdesk.analytics.quality import quality_rules as rules_with_counts
from salesdesk.core.errors import NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.orders.models import Order

# kind -> (column key, label, model field, sortable)
COLUMNS = {
    FACTS: (
        ("date", _("Order date"), "order_date", True),
        ("order", _("Order number"), "order_number", True),
        ("line", _("Line"), "line_number", False),
        ("customer", _("Customer number"), "customer_code", True),
        ("sku", _("SKU"), "sku", True),
        ("category", _("Category"), "category", False),
        ("salesperson", _("Salesperson"), "salesperson", True),
        ("quantity", _("Quantity"), "quantity", False),
        ("revenue", _("Revenue"), "revenue", True),
        ("cost", _("Cost"), "cost", True),
        ("promised", _("Promised date"), "promised_date", False),
        ("delivered", _("Delivery date"), "delivery_date", False),
    ),
    CUSTOMERS: (
        ("code", _("Customer number"), "code", True),
        ("name", _("Legal name"), "legal_name", True),
        ("industry", _("Industry"), "industry", True),
        ("province", _("Province"), "province", True),
        ("owner", _("Owner"), "owner__username", True),
    ),
    "products": (
        ("sku", _("SKU"), "sku", True),
        ("name", _("Name"), "name", True),
        ("category", _("Category"), "category", True),
        ("list_price", _("List price (excl. tax)"), "list_price", True),
        ("cost", _("Standard cost"), "standard_cost", True),
    ),
}
DEFAULT_SORT = {FACTS: "-date", CUSTOMERS: "code", "products": "sku"}
NUMERIC = {"line", "quantity", "revenue", "cost", "list_price"}


def _value(record: Any, field: str) -> Any:
    for part in field.split("__"):
        record = getattr(record, part, None) if record is not None else None
    return record


def _links(request, kind: str, records: list) -> list[str | None]:
    """Each shown record's page: the order, the customer or the product form."""
    if kind == FACTS:
        numbers = [r.order_number for r in records]
        ids = dict(Order.objects.filter(number__in=numbers).values_list("number", "pk"))
        return [
            reverse("orders:detail", args=[ids[r.order_number]]) if r.order_number in ids else None
            for r in records
        ]
    if kind == CUSTOMERS:
        return [reverse("customers:detail", args=[r.pk]) for r in records]
    if request.user.has_perm("catalog.change_product"):
        return [reverse("catalog:product_edit", args=[r.pk]) for r in records]
    return [None] * len(records)


def _headers(request, columns, sort: str) -> list[dict[str, Any]]:
    links = sort_columns(request, sort, [(k, label) for k, label, _f, s in columns if s])
    return [
        {"label": label, "num": key in NUMERIC, "sort": links.get(key)}
        for key, label, _field, _sortable in columns
    ]


@login_required
def quality_view(request):
    """Incomplete analytics inputs with counts and links to the records (A1.2)."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    return render(request, "analytics/quality.html", {"rows": rules_with_counts(user=request.user)})


@login_required
def quality_rule_view(request, rule: str):
    """The records breaking one rule: search, sort, pages, Excel export (A1.2, U11)."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    try:
        found = quality_rule_get(user=request.user, key=rule)
    except NotFound:
        raise Http404 from None
    columns = COLUMNS[found.kind]
    q = request.GET.get("q", "")
    records = quality_records(user=request.user, rule=found, q=q)
    allowed = {key: field for key, _label, field, sortable in columns if sortable}
    records, sort = sort_queryset(
        records, request.GET.get("sort", ""), allowed, DEFAULT_SORT[found.kind]
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            [_value(record, field) for _key, _label, field, _s in columns]
            for record in records.iterator(chunk_size=1000)
        )
        stamp = timezone.localdate().isoformat()
        return xlsx_response(
            f"data-quality-{found.key}-{stamp}",
            [label for _key, label, _field, _s in columns],
            rows,
            sheet=str(found.label),
        )
    context = paginate(request, records)
    shown = list(context["page_obj"])
    links = _links(request, found.kind, shown)
    context.update(
        {
            "rule": found,
            "q": q,
            "sort": sort,
            "headers": _headers(request, columns, sort),
            "rows": [
                {
                    "link": link,
                    "cells": [
                        {"value": _value(record, field), "num": key in NUMERIC}
                        for key, _label, field, _s in columns
                    ],
                }
                for record, link in zip(shown, links, strict=True)
            ],
            "export_query": query_without(request, "page", "export"),
        }
    )
    return render(request, "analytics/quality_rule.html", context)
