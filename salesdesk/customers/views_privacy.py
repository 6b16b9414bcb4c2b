"""Personal data on the customer pages (C3.1, C3.3): audited reveals, a person's data export
and erasure, and the access logs.

A reveal asks for a purpose. With HTMX the contact's table row (or the bank-account cell)
turns into the purpose form and then into the revealed values; without JavaScript the same
URLs are ordinary pages. Revealed values are rendered once and never put in a URL or session.
"""

import json
from functools import reduce
from operator import or_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.audit.models import AccessLog
from salesdesk.audit.selectors import access_log_for, access_log_list
from salesdesk.core.crypto import mask_account
from salesdesk.core.errors import ValidationFailed
from salesdesk.core.listing import paginate
from salesdesk.customers import services
from salesdesk.customers.forms import EraseForm, PurposeForm
from salesdesk.customers.models import Contact, Customer, InvoicingDetails
from salesdesk.customers.policies import can_reveal
from salesdesk.customers.selectors import masked_contact
from salesdesk.customers.services.privacy import invoicing_reveal
from salesdesk.customers.views_common import apply_errors, customer_or_404


def _contact_of(user, customer_id: int, contact_id: int) -> tuple[Customer, Contact]:
    customer = customer_or_404(user, customer_id)
    return customer, get_object_or_404(customer.contacts, pk=contact_id)


@login_required
def contact_reveal_view(request, customer_id: int, contact_id: int):
    """GET: the purpose form. POST: the contact's full details, logged (C3.3)."""
    customer, contact = _contact_of(request.user, customer_id, contact_id)
    if not can_reveal(request.user, customer):
        raise PageForbidden
    form = PurposeForm(request.POST if request.method == "POST" else None)
    context = {
        "customer": customer,
        "contact": masked_contact(contact),
        "form": form,
        "can_reveal": True,
    }
    if request.method == "POST" and form.is_valid():
        try:
            context["revealed"] = services.contact_reveal(
                actor=request.user, contact_id=contact.pk, purpose=form.cleaned_data["purpose"]
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
    if request.htmx:
        template = (
            "customers/partials/contact_row.html"
            if "revealed" in context
            else "customers/partials/contact_reveal_row.html"
        )
        return render(request, template, context)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "customers/contact_reveal.html", context, status=status)


@login_required
def invoicing_reveal_view(request, customer_id: int):
    """GET: the purpose form. POST: the full bank account, logged (C3.3)."""
    customer = customer_or_404(request.user, customer_id)
    details = get_object_or_404(InvoicingDetails, customer=customer)
    if not can_reveal(request.user, customer):
        raise PageForbidden
    form = PurposeForm(request.POST if request.method == "POST" else None)
    context = {
        "customer": customer,
        "invoicing": details,
        "bank_account": mask_account(details.bank_account),
        "form": form,
        "can_reveal": True,
    }
    if request.method == "POST" and form.is_valid():
        try:
            context["revealed_account"] = invoicing_reveal(
                actor=request.user, customer_id=customer.pk, purpose=form.cleaned_data["purpose"]
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
    if request.htmx:
        template = (
            "customers/partials/bank_account.html"
            if "revealed_account" in context
            else "customers/partials/bank_account_reveal.html"
        )
        return render(request, template, context)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "customers/invoicing_reveal.html", context, status=status)


@login_required
def contact_privacy_view(request, customer_id: int, contact_id: int):
    """Data-subject requests for one person: export their data or erase it (C3.1)."""
    if not request.user.has_perm("customers.erase_contact"):
        raise PageForbidden
    customer, contact = _contact_of(request.user, customer_id, contact_id)
    context = {
        "customer": customer,
        "contact": masked_contact(contact),
        "export_form": PurposeForm(prefix="export"),
        "erase_form": EraseForm(),
    }
    return render(request, "customers/contact_privacy.html", context)


@login_required
@require_POST
def contact_export_view(request, customer_id: int, contact_id: int):
    """Everything stored about the person as a JSON download; the service logs it."""
    _customer, contact = _contact_of(request.user, customer_id, contact_id)
    form = PurposeForm(request.POST, prefix="export")
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    data = services.contact_export_personal_data(
        actor=request.user, contact_id=contact.pk, purpose=purpose
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="person-{contact.pk}.json"'
    return response


@login_required
@require_POST
def contact_erase_view(request, customer_id: int, contact_id: int):
    """Anonymise a person on request; the customer and its history stay (C3.1)."""
    customer, contact = _contact_of(request.user, customer_id, contact_id)
    form = EraseForm(request.POST)
    form.is_valid()
    if not form.cleaned_data.get("confirm"):
        raise ValidationFailed(
            _("Tick the box to confirm the erasure."), extra={"field": "confirm"}
        )
    services.contact_erase(
        actor=request.user, contact_id=contact.pk, reason=form.cleaned_data.get("reason", "")
    )
    messages.success(request, _("The person's data was erased."))
    return redirect("customers:detail", customer_id=customer.pk)


@login_required
def customer_access_log_view(request, customer_id: int):
    """Who saw which personal data of this customer, when and why (C3.3)."""
    customer = customer_or_404(request.user, customer_id)
    if not (
        request.user.has_perm("customers.view_team_customers")
        or request.user.has_perm("audit.view_accesslog")
    ):
        raise PageForbidden
    subjects = [*customer.contacts.all(), *InvoicingDetails.objects.filter(customer=customer)]
    logs = (
        reduce(or_, (access_log_for(s) for s in subjects)) if subjects else AccessLog.objects.none()
    )
    context = {"customer": customer, **paginate(request, logs.select_related("actor"))}
    return render(request, "customers/accesslog_list.html", context)


@login_required
def user_access_log_view(request, username: str):
    """One user's reveals: for access-log readers, and for the user about themselves."""
    if request.user.has_perm("audit.view_accesslog"):
        logs = access_log_list(user=request.user, actor=username)
    elif username == request.user.username:
        logs = request.user.access_logs.all()
    else:
        raise PageForbidden
    context = {"subject_user": username, **paginate(request, logs.select_related("actor"))}
    return render(request, "customers/accesslog_list.html", context)
