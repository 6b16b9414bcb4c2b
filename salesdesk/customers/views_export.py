"""Exports of the filtered customer list to XLSX or CSV (U11); rules and audit trail live in
`services/exporting.py`."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.core.errors import ValidationFailed
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.customers.forms import RevealExportForm
from salesdesk.customers.selectors import CustomerFilters, customer_list
from salesdesk.customers.services.exporting import (
    EXPORT_HEADERS,
    customers_export,
    primary_contact,
    with_current_contacts,
)
from salesdesk.customers.views_common import list_filters

EXPORT_FORMATS = ("xlsx", "csv")
__all__ = ["export_customers", "primary_contact", "with_current_contacts"]


def export_customers(
    request,
    customers,
    filters: CustomerFilters,
    *,
    fmt: str,
    purpose: str = "",
    reveal: bool = False,
    outside: bool = False,
    agreement_id: int | None = None,
):
    """Run the export service (checks and audit trail), then answer with the file."""
    rows = customers_export(
        actor=request.user,
        customers=customers,
        filters=filters.as_dict(),
        fmt=fmt,
        purpose=purpose,
        reveal=reveal,
        outside=outside,
        agreement_id=agreement_id,
    )
    filename = f"customers-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        return csv_response(filename, EXPORT_HEADERS, rows)
    return xlsx_response(filename, EXPORT_HEADERS, rows, sheet=_("Customers"))


@login_required
@require_POST
def customer_export_revealed_view(request):
    """The filtered list with full contact details, for a stated purpose (C3.3)."""
    form = RevealExportForm(request.POST)
    filters, sort = list_filters(request)
    if not form.is_valid():
        raise ValidationFailed(
            _("Say why you need to see this personal data."), extra={"field": "purpose"}
        )
    customers = customer_list(user=request.user, filters=filters, sort=sort)
    return export_customers(
        request,
        customers,
        filters,
        fmt=form.cleaned_data["format"],
        purpose=form.cleaned_data["purpose"],
        reveal=True,
    )
