"""Receivables pages: the ageing report and the customer statement (U6, U11).

Invoices are in views_invoices.py, payments in views_payments.py. Every read goes through
the finance selectors, which scope it to the customers the user may see.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from salesdesk.core.errors import NotFound, ValidationFailed
from salesdesk.finance.ageing import ageing, bucket_labels
from salesdesk.finance.documents import (
    ageing_xlsx_response,
    statement_pdf_response,
    statement_rows,
    statement_xlsx_response,
)
from salesdesk.finance.forms import AgeingFilterForm, PeriodForm
from salesdesk.finance.models import InvoiceStatus
from salesdesk.finance.policies import may_view, visible_customers
from salesdesk.finance.selectors import customer_for_receivables, receivables
from salesdesk.finance.statement import statement

CHOICES_LIMIT = 2000


def _filter_form(request) -> AgeingFilterForm:
    """Filters offering only the customers and salespeople that have invoices to show."""
    billed = (
        visible_customers(request.user)
        .filter(invoices__status=InvoiceStatus.ISSUED)
        .distinct()
        .order_by()
    )
    customers = billed.values_list("pk", "code", "legal_name").order_by("code")[:CHOICES_LIMIT]
    people = (
        billed.values_list("owner_id", "owner__username").distinct().order_by("owner__username")
    )
    return AgeingFilterForm(
        request.GET,
        customers=[(pk, f"{code} {name}") for pk, code, name in customers],
        salespeople=list(people),
    )


@login_required
def receivables_ageing_view(request):
    """Open amounts by days past due, per customer or salesperson, with export (U6, U11)."""
    if not may_view(request.user):
        raise PageForbidden
    form = _filter_form(request)
    chosen = form.filters()
    report = ageing(
        user=request.user,
        as_of=chosen.get("as_of"),
        group_by=chosen.get("group_by") or "customer",
        customer_id=chosen.get("customer"),
        salesperson_id=chosen.get("salesperson"),
    )
    if request.GET.get("export") == "xlsx":
        return ageing_xlsx_response(report)
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "finance/receivables_ageing.html",
        {
            "form": form,
            "report": report,
            "buckets": bucket_labels(),
            "rows": [(row, list(row.buckets.values())) for row in report.rows],
            "totals": list(report.totals.values()),
            "export_query": query.urlencode(),
        },
    )


def period_query(query: QueryDict) -> QueryDict:
    """The query with the default period (this month up to today) where none is chosen."""
    filled, today = query.copy(), timezone.localdate()
    for key, default in (("start", today.replace(day=1)), ("to", today)):
        if not filled.get(key):
            filled[key] = default.isoformat()
    return filled


@login_required
def customer_statement_view(request, customer_id: int):
    """The statement (對賬單) of a period on screen, as XLSX and as PDF (U6)."""
    try:
        customer = customer_for_receivables(user=request.user, customer_id=customer_id)
    except NotFound:
        raise Http404 from None
    form = PeriodForm(period_query(request.GET))
    start, end = form.period()
    try:
        result = statement(customer, start, end)
    except ValidationFailed as exc:
        form.add_error(None, str(exc.message))
        result = None
    requested = request.GET.get("format")
    if result is not None and requested == "xlsx":
        return statement_xlsx_response(result)
    if result is not None and requested == "pdf":
        return statement_pdf_response(result, get_language())
    query = period_query(request.GET)
    query.pop("format", None)
    return render(
        request,
        "finance/customer_statement.html",
        {
            "customer": customer,
            "form": form,
            "statement": result,
            "rows": statement_rows(result) if result else [],
            "owed": receivables(customer),
            "download_query": query.urlencode(),
        },
    )
