"""Helpers the customer pages share: visibility as 404, list filters, valid NDAs."""

from dataclasses import replace
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from salesdesk.core import policies
from salesdesk.core.errors import DomainError, NotFound
from salesdesk.customers.models import Customer, DataSharingAgreement
from salesdesk.customers.selectors import SORTS, CustomerFilters, customer_get

DEFAULT_SORT = "-created"


def customer_or_404(user, customer_id: int) -> Customer:
    """The customer if `user` may see it; otherwise the page does not exist for them."""
    try:
        return customer_get(user=user, customer_id=customer_id)
    except NotFound:
        raise Http404 from None


def verify_due_date() -> date:
    """Verified before this date means "due": the same window as the owner's work queue,
    which links to the list with ?verify=due (C2.2)."""
    days = policies.value("customers.verify_days") - policies.value("customers.verify_warning_days")
    return timezone.localdate() - timedelta(days=days)


def list_filters(request) -> tuple[CustomerFilters, str]:
    """The list's filters and sort from the query string (the same for page and export)."""
    filters = CustomerFilters.from_query(request.GET)
    if request.GET.get("verify") == "due":
        filters = replace(filters, verify_due_before=verify_due_date())
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort.lstrip("-") not in SORTS:
        sort = DEFAULT_SORT
    return filters, sort


def valid_agreements() -> QuerySet[DataSharingAgreement]:
    """NDAs to offer for an outside export; the service decides again on submit (C3.4)."""
    today = timezone.localdate()
    return DataSharingAgreement.objects.filter(
        revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
    ).order_by("recipient")


def apply_errors(form, error: DomainError) -> None:
    """Show a refusal next to the fields it names, or above the form."""
    fields = error.extra.get("fields") or {}
    if not fields:
        fields = {error.field or "": [error.message]}
    for name, field_messages in fields.items():
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, str(message))
