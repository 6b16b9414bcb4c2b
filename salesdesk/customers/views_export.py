"""Exports of the filtered customer list to XLSX or CSV (U11, C3.3, C3.4).

An export holds exactly the rows the list shows for the same query string, with the columns
of the screen plus the primary contact. Contact details are masked. A user holding
`customers.reveal_contact` may tick "include full contact details" and give a purpose: the
export then writes one `customer.exported` event marked revealed and one AccessLog row per
exported contact, the same trail an on-screen reveal leaves. Every row is already limited
to customers the user may see, so the permission is the whole reveal rule here; the per-row
`contact_reveal` service would cost four queries a row on long lists. An export for an
outside party needs a valid NDA (`sharing_valid_agreement`) and is always masked.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.audit.services import access_record
from salesdesk.core.errors import PermissionDenied, ValidationFailed
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.customers import rules, services
from salesdesk.customers.forms import RevealExportForm
from salesdesk.customers.models import Contact, Customer
from salesdesk.customers.selectors import CustomerFilters, customer_list, masked_contact
from salesdesk.customers.services.privacy import REVEALABLE
from salesdesk.customers.views_common import list_filters

EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Legal name"),
    gettext_lazy("Short name"),
    gettext_lazy("Kind"),
    gettext_lazy("Stage"),
    gettext_lazy("Purchase potential"),
    gettext_lazy("Industry"),
    gettext_lazy("Province/region"),
    gettext_lazy("City"),
    gettext_lazy("Source"),
    gettext_lazy("Owner"),
    gettext_lazy("Completeness %"),
    gettext_lazy("Last verified"),
    gettext_lazy("Created"),
    gettext_lazy("Contact"),
    gettext_lazy("Mobile"),
    gettext_lazy("Office phone"),
    gettext_lazy("E-mail"),
)


def with_current_contacts(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    current = Contact.objects.filter(is_active=True, erased_at__isnull=True)
    return customers.prefetch_related(
        Prefetch("contacts", queryset=current, to_attr="current_contacts")
    )


def primary_contact(customer: Customer) -> Contact | None:
    """The first active person (primary ones sort first)."""
    contacts = getattr(customer, "current_contacts", None)
    return contacts[0] if contacts else None


def _row(customer: Customer, contact: Contact | None, reveal: bool) -> list[Any]:
    if contact is None:
        person = ["", "", "", ""]
    elif reveal:
        person = [contact.name, contact.mobile, contact.phone, contact.email]
    else:
        masked = masked_contact(contact)
        person = [masked["name"], masked["mobile"], masked["phone"], masked["email"]]
    return [
        customer.code,
        customer.legal_name,
        customer.short_name,
        customer.get_kind_display(),
        customer.get_stage_display(),
        customer.get_potential_display(),
        customer.industry,
        customer.province,
        customer.city,
        rules.source_label(customer.source),
        str(customer.owner),
        customer.completeness,
        customer.last_verified_at,
        customer.created_at,
        *person,
    ]


def export_customers(
    request,
    customers: QuerySet[Customer],
    filters: CustomerFilters,
    *,
    fmt: str,
    purpose: str = "",
    agreement=None,
):
    """Write the export's audit trail, then answer with the file."""
    actor = request.user
    reveal = bool(purpose) and agreement is None
    if agreement is None and not actor.has_perm("customers.export_customer"):
        raise PermissionDenied(_("You may not export customers."))
    if reveal and not actor.has_perm("customers.reveal_contact"):
        raise PermissionDenied(_("You may not reveal personal data."))
    logged = filters.as_dict()
    if agreement is not None:
        # customers_export_log has no purpose argument yet; the filters carry it.
        logged["purpose"] = purpose
    rows = []
    with transaction.atomic():
        for customer in with_current_contacts(customers).iterator(chunk_size=500):
            contact = primary_contact(customer)
            rows.append(_row(customer, contact, reveal))
            if reveal and contact is not None:
                access_record(
                    actor=actor, subject=contact, fields=list(REVEALABLE), purpose=purpose
                )
        services.customers_export_log(
            actor=actor,
            count=len(rows),
            filters=logged,
            revealed=reveal,
            agreement=agreement,
            fmt=fmt,
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
    )
