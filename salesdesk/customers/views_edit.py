"""Create and edit customers, their contacts, ship-to addresses and invoicing details (C1).

The forms only collect the POST. The view calls one service and shows a ValidationFailed
next to the fields it names; a failing check digit brings up the override reason, possible
duplicates are listed with links and need "save anyway" (C1.4).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.accounts.models import User
from salesdesk.accounts.selectors import team_member_ids
from salesdesk.core.crypto import mask_account
from salesdesk.core.errors import Conflict, DomainError, ValidationFailed
from salesdesk.customers import services
from salesdesk.customers.forms import (
    AddressEditForm,
    AddressForm,
    ContactForm,
    CustomerForm,
    FirstContactForm,
    InvoicingForm,
)
from salesdesk.customers.inputs import CUSTOMER_FIELDS, clean_contact, clean_customer
from salesdesk.customers.models import Customer, InvoicingDetails
from salesdesk.customers.policies import can_edit
from salesdesk.customers.selectors import masked_contact
from salesdesk.customers.views_common import apply_errors, customer_or_404


def _editable_or_403(user, customer_id: int) -> Customer:
    customer = customer_or_404(user, customer_id)
    if not can_edit(user, customer):
        raise PageForbidden
    return customer


def _owner_choices(actor, current: User | None = None) -> list | None:
    """Owners the actor may pick; None hides the field (the actor owns what they create)."""
    if not (
        actor.has_perm("customers.view_team_customers")
        or actor.has_perm("customers.transfer_customer")
    ):
        return None
    users = User.objects.with_perm(
        "customers.add_customer",
        is_active=True,
        include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",
    ).filter(is_system=False)
    if not actor.has_perm("customers.transfer_customer"):
        users = users.filter(pk__in=team_member_ids(actor))
    choices = [(str(u.pk), str(u)) for u in users.order_by("username")]
    if current is not None and str(current.pk) not in dict(choices):
        choices.append((str(current.pk), str(current)))
    return choices


def _run(form, context: dict, call) -> Any:
    """Call the service; on a refusal put its messages on the form and return None."""
    try:
        return call()
    except ValidationFailed as exc:
        apply_errors(form, exc)
        if exc.extra.get("codes", {}).get("tax_id") == "tax_id_checksum":
            context["checksum_warning"] = True
            form.fields["tax_id_override_reason"].widget.attrs["autofocus"] = True
    except Conflict as exc:
        if exc.code == "possible_duplicate":
            context["duplicates"] = exc.extra.get("duplicates", [])
            form.add_error(None, exc.message)
        else:
            apply_errors(form, exc)
            if exc.extra.get("duplicate"):
                context["same_tax_id"] = exc.extra["duplicate"]
    except DomainError as exc:
        apply_errors(form, exc)
    return None


def _form_page(request, context: dict, *, saved: bool):
    status = 200 if saved or request.method == "GET" else 422
    return render(request, "customers/customer_form.html", context, status=status)


@login_required
def customer_create_view(request):
    """Record a prospect or customer, optionally with its first contact (C1.1–C1.4)."""
    if not request.user.has_perm("customers.add_customer"):
        raise PageForbidden
    data = request.POST if request.method == "POST" else None
    form = CustomerForm(
        data,
        owner_choices=_owner_choices(request.user),
        initial={
            "kind": "enterprise",
            "country": "CN",
            "potential": "unknown",
            "intention_level": "none",
            "owner": str(request.user.pk),
        },
    )
    contact_form = FirstContactForm(data, prefix="contact")
    context = {"form": form, "contact_form": contact_form, "creating": True}
    if data is None or not (form.is_valid() and contact_form.is_valid()):
        return _form_page(request, context, saved=False)
    customer_data = form.service_data()
    contacts = [contact_form.service_data()] if contact_form.has_content() else []
    if contacts and _run(contact_form, context, lambda: clean_contact(contacts[0])) is None:
        # Show the customer's own mistakes in the same round.
        _run(form, context, lambda: clean_customer(customer_data, actor=request.user))
        return _form_page(request, context, saved=False)
    saved = _run(
        form,
        context,
        lambda: services.customer_create(
            actor=request.user,
            data=customer_data,
            contacts=contacts,
            acknowledge_warnings=form.cleaned_data["acknowledge_warnings"],
        ),
    )
    if saved is None:
        return _form_page(request, context, saved=False)
    messages.success(request, _("Customer %(code)s saved.") % {"code": saved.customer.code})
    return redirect("customers:detail", customer_id=saved.customer.pk)


def _initial(customer: Customer) -> dict:
    initial = {name: getattr(customer, name) for name in CUSTOMER_FIELDS if name != "owner"}
    initial["owner"] = str(customer.owner_id)
    if customer.annual_capacity is not None:
        initial["annual_capacity"] = str(customer.annual_capacity)
    return initial


@login_required
def customer_edit_view(request, customer_id: int):
    """Change a customer's fields; only the changed ones go to the service (C1.2)."""
    customer = _editable_or_403(request.user, customer_id)
    data = request.POST if request.method == "POST" else None
    form = CustomerForm(
        data, owner_choices=_owner_choices(request.user, customer.owner), initial=_initial(customer)
    )
    context = {"form": form, "customer": customer, "creating": False}
    if data is None or not form.is_valid():
        return _form_page(request, context, saved=False)
    saved = _run(
        form,
        context,
        lambda: services.customer_update(
            actor=request.user,
            customer_id=customer.pk,
            data=form.service_data(changed_only=True),
            acknowledge_warnings=form.cleaned_data["acknowledge_warnings"],
        ),
    )
    if saved is None:
        return _form_page(request, context, saved=False)
    messages.success(request, _("Customer %(code)s saved.") % {"code": customer.code})
    return redirect("customers:detail", customer_id=customer.pk)


def _small_form(request, customer: Customer, form, title: str, call):
    """A sub-record form page: on POST call the service, then back to the customer."""
    context = {"form": form, "customer": customer, "title": title}
    if request.method == "POST" and form.is_valid() and _run(form, context, call) is not None:
        messages.success(request, _("Saved."))
        return redirect("customers:detail", customer_id=customer.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "customers/customer_subform.html", context, status=status)


@login_required
def contact_add_view(request, customer_id: int):
    customer = _editable_or_403(request.user, customer_id)
    form = ContactForm(request.POST if request.method == "POST" else None)
    return _small_form(
        request,
        customer,
        form,
        _("Add a contact"),
        lambda: services.contact_add(
            actor=request.user, customer_id=customer.pk, data=form.service_data()
        ),
    )


@login_required
def contact_edit_view(request, customer_id: int, contact_id: int):
    customer = _editable_or_403(request.user, customer_id)
    contact = get_object_or_404(customer.contacts, pk=contact_id, erased_at__isnull=True)
    initial = {name: getattr(contact, name) for name in ContactForm.service_fields}
    for name in ("name", "mobile", "phone", "email"):
        initial[name] = ""
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        masked=masked_contact(contact),
    )
    return _small_form(
        request,
        customer,
        form,
        _("Edit contact"),
        lambda: services.contact_update(
            actor=request.user, contact_id=contact.pk, data=form.service_data()
        ),
    )


@login_required
@require_POST
def contact_deactivate_view(request, customer_id: int, contact_id: int):
    """A person who left the customer stays on record but is no longer offered."""
    customer = customer_or_404(request.user, customer_id)
    contact = get_object_or_404(customer.contacts, pk=contact_id)
    services.contact_deactivate(
        actor=request.user, contact_id=contact.pk, note=request.POST.get("note", "")
    )
    messages.success(request, _("The contact is marked as left."))
    return redirect("customers:detail", customer_id=customer.pk)


@login_required
def address_add_view(request, customer_id: int):
    customer = _editable_or_403(request.user, customer_id)
    form = AddressForm(request.POST if request.method == "POST" else None)
    return _small_form(
        request,
        customer,
        form,
        _("Add a ship-to address"),
        lambda: services.address_add(
            actor=request.user, customer_id=customer.pk, data=form.service_data()
        ),
    )


@login_required
def address_edit_view(request, customer_id: int, address_id: int):
    customer = _editable_or_403(request.user, customer_id)
    address = get_object_or_404(customer.addresses, pk=address_id)
    initial = {name: getattr(address, name) for name in AddressEditForm.service_fields}
    form = AddressEditForm(request.POST if request.method == "POST" else None, initial=initial)
    return _small_form(
        request,
        customer,
        form,
        _("Edit ship-to address"),
        lambda: services.address_update(
            actor=request.user, address_id=address.pk, data=form.service_data()
        ),
    )


@login_required
def invoicing_edit_view(request, customer_id: int):
    """Set the invoicing details (開票信息); an empty bank account keeps the stored one."""
    customer = _editable_or_403(request.user, customer_id)
    details = InvoicingDetails.objects.filter(customer=customer).first()
    initial = {}
    if details is not None:
        initial = {name: getattr(details, name) for name in InvoicingForm.service_fields}
        initial["bank_account"] = ""
    form = InvoicingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        masked_account=mask_account(details.bank_account) if details else "",
    )

    def save():
        data = form.service_data()
        if details is not None and not data["bank_account"]:
            data["bank_account"] = details.bank_account
        return services.invoicing_set(actor=request.user, customer_id=customer.pk, data=data)

    return _small_form(request, customer, form, _("Invoicing details"), save)
