"""The contract list (K3.2) with the expiring-soon and expired lists (K3.3) and an XLSX/CSV
export of exactly the listed rows, and the reviewers' queue (K1.2)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.accounts.roles import role_label
from salesdesk.contracts.forms import ContractFilterForm
from salesdesk.contracts.models import Contract, ContractType
from salesdesk.contracts.selectors import contract_list, expiry_window_end, reviews_waiting
from salesdesk.contracts.views_common import STATUS_BADGES
from salesdesk.core import policies
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.orders.rules import payment_term_label

SORTS = {
    "number": "number",
    "customer": "customer__legal_name",
    "status": "status",
    "signed": "signed_on",
    "end": "end_date",
    "amount": "amount",
}
SORT_COLUMNS = (
    ("number", _("Number")),
    ("customer", _("Customer")),
    ("status", _("Status")),
    ("signed", _("Signed on")),
    ("end", _("End date")),
    ("amount", _("Amount")),
)
DEFAULT_SORT = "-number"
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_HEADERS = (
    _("Number"),
    _("Title"),
    _("Type"),
    _("Customer number"),
    _("Customer"),
    _("Status"),
    _("Amends contract"),
    _("Amount incl. tax"),
    _("Currency"),
    _("Payment terms"),
    _("Start date"),
    _("End date"),
    _("Signed on"),
    _("Signing method"),
    _("Customer's original received"),
    _("Reason"),
)


def _filter_form(request) -> ContractFilterForm:
    visible = contract_list(user=request.user).order_by()
    customers = (
        visible.values_list("customer_id", "customer__code", "customer__legal_name")
        .distinct()
        .order_by("customer__code")
    )
    types = ContractType.objects.order_by("code").values_list("pk", "name")
    return ContractFilterForm(
        request.GET,
        customers=[(pk, f"{code} {name}") for pk, code, name in customers],
        types=list(types),
    )


def filtered_contracts(request) -> tuple[QuerySet[Contract], ContractFilterForm, str]:
    """The list's rows for the query string: the page and the export show the same."""
    form = _filter_form(request)
    contracts = contract_list(user=request.user, filters=form.filters())
    contracts, sort = sort_queryset(contracts, request.GET.get("sort", ""), SORTS, DEFAULT_SORT)
    return contracts, form, sort


def _export_row(contract: Contract) -> list[Any]:
    return [
        contract.number,
        contract.title,
        contract.contract_type.name,
        contract.customer.code,
        contract.customer.legal_name,
        contract.get_status_display(),
        contract.parent.number if contract.parent_id else "",
        contract.amount,
        contract.currency,
        payment_term_label(contract.payment_terms) if contract.payment_terms else "",
        contract.start_date,
        contract.end_date,
        contract.signed_on,
        contract.get_signing_method_display(),
        contract.original_received_at,
        contract.end_reason,
    ]


@login_required
def contract_list_view(request):
    """Filter, sort, page and export the contracts the user may see (K3.2, K3.3, U11)."""
    if not request.user.has_perm("contracts.view_contract"):
        raise PageForbidden
    contracts, form, sort = filtered_contracts(request)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        rows = (_export_row(c) for c in contracts.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        if export == "csv":
            return csv_response(f"contracts-{stamp}", EXPORT_HEADERS, rows)
        return xlsx_response(f"contracts-{stamp}", EXPORT_HEADERS, rows, sheet=_("Contracts"))
    context = paginate(request, contracts)
    today = timezone.localdate()
    window = expiry_window_end(today)
    context.update(
        form=form,
        sort=sort,
        rows=[
            {
                "contract": c,
                "badge": STATUS_BADGES.get(c.status, ""),
                "expiring": c.status == "active" and c.end_date and today <= c.end_date <= window,
                "ended": c.status == "active" and c.end_date and c.end_date < today,
            }
            for c in context["page_obj"]
        ],
        columns=sort_columns(request, sort, SORT_COLUMNS),
        export_query=query_without(request, "page", "export"),
        warning_days=policies.value("contracts.expiry_warning_days"),
        can_draft=request.user.has_perm("contracts.draft_contract"),
        can_review=request.user.has_perm("contracts.review_contract"),
        can_edit_types=request.user.has_perm("contracts.change_contracttype"),
    )
    return render(request, "contracts/contract_list.html", context)


@login_required
def review_queue_view(request):
    """The reviews waiting for the user's roles, soonest due first; overdue stand out (K1.2)."""
    if not request.user.has_perm("contracts.review_contract"):
        raise PageForbidden
    now = timezone.now()
    reviews = [
        {
            "review": review,
            "role": role_label(review.role),
            "overdue": review.due_at is not None and review.due_at < now,
        }
        for review in reviews_waiting(user=request.user)[:200]
    ]
    return render(request, "contracts/contract_review_queue.html", {"reviews": reviews})
