"""Customer list and detail pages, stage changes and verification (C1–C3, U11).

Forms live in views_edit.py, reveals, erasure and access logs in views_privacy.py, exports
in views_export.py and the data-sharing register in views_sharing.py. Every write calls one
service; a refusal the service raises becomes a flash message (core.middleware).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.core.crypto import mask_account, mask_name, mask_phone
from salesdesk.core.listing import paginate, query_without, sort_columns
from salesdesk.core.workflow import allowed_for
from salesdesk.customers import completeness, rules, services
from salesdesk.customers.forms import NoteForm
from salesdesk.customers.models import (
    Customer,
    CustomerKind,
    CustomerStage,
    InvoicingDetails,
    Potential,
)
from salesdesk.customers.policies import can_edit, can_reveal
from salesdesk.customers.selectors import (
    CustomerFilters,
    customer_counts,
    customer_list,
    masked_contact,
)
from salesdesk.customers.views_common import (
    customer_or_404,
    list_filters,
    valid_agreements,
    verify_due_date,
)
from salesdesk.customers.views_export import (
    EXPORT_FORMATS,
    export_customers,
    primary_contact,
    with_current_contacts,
)
from salesdesk.customers.workflow import STAGES

SORT_COLUMNS = (
    ("code", gettext_lazy("Number")),
    ("name", gettext_lazy("Name")),
    ("stage", gettext_lazy("Stage")),
    ("completeness", gettext_lazy("Completeness")),
    ("verified", gettext_lazy("Last verified")),
    ("created", gettext_lazy("Created")),
)
STAGE_BADGES = {
    CustomerStage.SIGNED: "badge-ok",
    CustomerStage.DORMANT: "badge-warn",
    CustomerStage.LOST: "badge-danger",
}
# (filter, label, fixed choices or None for the values found in the data)
FACETS = (
    ("kind", gettext_lazy("Kind"), lambda: CustomerKind.choices),
    ("stage", gettext_lazy("Stage"), lambda: CustomerStage.choices),
    ("potential", gettext_lazy("Purchase potential"), lambda: Potential.choices),
    ("source", gettext_lazy("Source"), rules.source_choices),
    ("industry", gettext_lazy("Industry"), None),
    ("province", gettext_lazy("Province/region"), None),
    ("owner", gettext_lazy("Owner"), None),
)


def _facets(user, filters: CustomerFilters) -> list[dict]:
    """Each filter's values with the number of listed customers having it (C2.1)."""
    counts = customer_counts(user=user, filters=filters)
    filtered = any(getattr(filters, name) for name, _label, _choices in FACETS)
    found = customer_counts(user=user, filters=CustomerFilters(q=filters.q)) if filtered else counts
    facets = []
    for name, label, choices in FACETS:
        current = dict(counts[name])
        values = choices() if choices else [(v, v) for v, _n in found[name] if v]
        selected = getattr(filters, name)
        if selected and selected not in {v for v, _label in values}:
            values = [*values, (selected, selected)]
        options = [(str(v), lbl, current.get(v, 0)) for v, lbl in values]
        facets.append({"name": name, "label": label, "value": selected, "options": options})
    return facets


@login_required
def customer_list_view(request):
    """Filter, search, sort, page and export the customers the user may see (C2.1, U11)."""
    if not request.user.has_perm("customers.view_customer"):
        raise PageForbidden
    filters, sort = list_filters(request)
    customers = customer_list(user=request.user, filters=filters, sort=sort)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        return export_customers(request, customers, filters, fmt=export)
    context = paginate(request, with_current_contacts(customers))
    context.update(
        filters=filters,
        sort=sort,
        verify_due=filters.verify_due_before is not None,
        columns=sort_columns(request, sort, SORT_COLUMNS),
        export_query=query_without(request, "page", "export"),
        rows=[_list_row(c) for c in context["page_obj"]],
        can_export=request.user.has_perm("customers.export_customer"),
        can_reveal=request.user.has_perm("customers.reveal_contact"),
        can_share=request.user.has_perm("customers.share_customer"),
        can_add=request.user.has_perm("customers.add_customer"),
    )
    context["agreements"] = valid_agreements() if context["can_share"] else []
    if request.htmx and request.htmx.target == "customer-results":
        response = render(request, "customers/partials/customer_results.html", context)
    else:
        context["facets"] = _facets(request.user, filters)
        response = render(request, "customers/customer_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _list_row(customer: Customer) -> dict:
    contact = primary_contact(customer)
    return {
        "customer": customer,
        "contact": masked_contact(contact) if contact else None,
        "stage_badge": STAGE_BADGES.get(customer.stage, ""),
        "source": rules.source_label(customer.source),
    }


@login_required
def customer_detail_view(request, customer_id: int):
    """One customer: summary, completeness, stage actions, people, addresses (C1–C3.3)."""
    customer = customer_or_404(request.user, customer_id)
    user = request.user
    score, missing = completeness.evaluate(customer)
    invoicing = InvoicingDetails.objects.filter(customer=customer).first()
    last_verified = customer.last_verified_at
    context = {
        "customer": customer,
        "score": score,
        "missing": missing,
        "stage_badge": STAGE_BADGES.get(customer.stage, ""),
        "source": rules.source_label(customer.source),
        "transitions": allowed_for(STAGES, customer, user),
        "verify_due": last_verified is None
        or timezone.localdate(last_verified) < verify_due_date(),
        "contacts": [masked_contact(c) for c in customer.contacts.all()],
        "addresses": [_masked_address(a) for a in customer.addresses.all()],
        "invoicing": invoicing,
        "bank_account": mask_account(invoicing.bank_account) if invoicing else "",
        "can_edit": can_edit(user, customer),
        "can_reveal": can_reveal(user, customer),
        "can_erase": user.has_perm("customers.erase_contact"),
        "can_view_access_log": user.has_perm("customers.view_team_customers")
        or user.has_perm("audit.view_accesslog"),
        "note_form": NoteForm(),
    }
    return render(request, "customers/customer_detail.html", context)


def _masked_address(address) -> dict:
    return {
        "address": address,
        "recipient": mask_name(address.recipient),
        "recipient_phone": mask_phone(address.recipient_phone),
    }


@login_required
@require_POST
def customer_transition_view(request, customer_id: int, action: str):
    """POST /customers/<id>/<action>/: one stage transition (C2.1)."""
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    customer = services.customer_transition(
        actor=request.user, customer_id=customer_id, action=action, note=note
    )
    messages.success(
        request, _("The customer is now %(stage)s.") % {"stage": customer.get_stage_display()}
    )
    return redirect("customers:detail", customer_id=customer.pk)


@login_required
@require_POST
def customer_verify_view(request, customer_id: int):
    """The owner confirms the record is still accurate (C2.2)."""
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.customer_verify(actor=request.user, customer_id=customer_id, note=note)
    messages.success(request, _("Marked as verified today."))
    return redirect("customers:detail", customer_id=customer_id)
