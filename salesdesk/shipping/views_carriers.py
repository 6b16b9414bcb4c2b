"""The carrier register (S2.1, S2.2): list, create and edit carriers; the tracking push secret
shown once; agreements with validity and the signed copy; customers' preferred carriers."""

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from salesdesk.core.errors import DomainError, NotFound
from salesdesk.customers.models import Customer
from salesdesk.shipping import forms
from salesdesk.shipping.models import Carrier, CarrierPreference
from salesdesk.shipping.selectors import agreement_state, carrier_get, carrier_list
from salesdesk.shipping.services.register import (
    agreement_add,
    carrier_create,
    carrier_secret_regenerate,
    carrier_update,
    preference_set,
)
from salesdesk.shipping.views_actions import problem_text


def _carrier_or_404(user: Any, carrier_id: int) -> Carrier:
    try:
        return carrier_get(user=user, carrier_id=carrier_id)
    except NotFound:
        raise Http404 from None


def _require_view(user: Any) -> None:
    if not user.has_perm("shipping.view_carrier"):
        raise PageForbidden


def _show_errors(form, error: DomainError) -> None:
    fields = error.extra.get("fields") or {error.field or "": [error.message]}
    for name, problems in fields.items():
        for message in problems:
            form.add_error(name if name in form.fields else None, str(message))


def _secret_page(request, carrier: Carrier, secret: str):
    return render(request, "shipping/carrier_secret.html", {"carrier": carrier, "secret": secret})


@login_required
def carrier_list_view(request):
    _require_view(request.user)
    carriers = carrier_list(user=request.user).order_by("-is_active", "code")
    rows = [{"carrier": c, "agreement": agreement_state(c)} for c in carriers]
    return render(
        request,
        "shipping/carrier_list.html",
        {"rows": rows, "can_add": request.user.has_perm("shipping.add_carrier")},
    )


def _carrier_data(form) -> dict[str, Any]:
    data = form.values()
    if "is_active" in form.fields:
        data["is_active"] = bool(data.get("is_active"))
    return data


@login_required
@never_cache
def carrier_create_view(request):
    """Add a carrier; its tracking push secret is shown once (S2.1, S3.2)."""
    if not request.user.has_perm("shipping.add_carrier"):
        raise PageForbidden
    form = forms.CarrierForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            carrier, secret = carrier_create(actor=request.user, data=_carrier_data(form))
        except DomainError as exc:
            _show_errors(form, exc)
            status = exc.status
        else:
            return _secret_page(request, carrier, secret)
    return render(request, "shipping/carrier_form.html", {"form": form}, status=status)


@login_required
def carrier_edit_view(request, carrier_id: int):
    carrier = _carrier_or_404(request.user, carrier_id)
    if not request.user.has_perm("shipping.change_carrier"):
        raise PageForbidden
    initial = {
        "name": carrier.name,
        "modes": carrier.modes,
        "service_areas": ", ".join(carrier.service_areas or []),
        "base_rate": carrier.base_rate,
        "rate_per_kg": carrier.rate_per_kg,
        "transit_days": carrier.transit_days,
        "is_active": carrier.is_active,
    }
    form = forms.CarrierForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        try:
            carrier_update(actor=request.user, carrier_id=carrier.pk, data=_carrier_data(form))
        except DomainError as exc:
            _show_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Carrier saved."))
            return redirect("shipping:carrier_detail", carrier_id=carrier.pk)
    context = {"form": form, "carrier": carrier}
    return render(request, "shipping/carrier_form.html", context, status=status)


@login_required
def carrier_detail_view(request, carrier_id: int):
    """A carrier with its agreements and the customers who prefer it."""
    _require_view(request.user)
    carrier = _carrier_or_404(request.user, carrier_id)
    user = request.user
    context = {
        "carrier": carrier,
        "agreement": agreement_state(carrier),
        "agreements": carrier.agreements.all(),
        "preferences": CarrierPreference.objects.filter(carrier=carrier)
        .select_related("customer")
        .order_by("customer__code"),
        "can_change": user.has_perm("shipping.change_carrier"),
        "can_add_agreement": user.has_perm("shipping.add_carrieragreement"),
        "can_prefer": user.has_perm("shipping.change_carrierpreference"),
        "agreement_form": forms.AgreementForm(),
        "preference_form": forms.PreferenceForm(),
        "has_secret": bool(carrier.webhook_secret),
    }
    return render(request, "shipping/carrier_detail.html", context)


@login_required
@require_POST
@never_cache
def carrier_secret_view(request, carrier_id: int):
    """Issue a new tracking push secret and show it once."""
    carrier = _carrier_or_404(request.user, carrier_id)
    try:
        carrier, secret = carrier_secret_regenerate(actor=request.user, carrier_id=carrier.pk)
    except DomainError as exc:
        messages.error(request, problem_text(exc))
        return redirect("shipping:carrier_detail", carrier_id=carrier.pk)
    return _secret_page(request, carrier, secret)


def _carrier_attempt(request, carrier: Carrier, call, success: str):
    try:
        call()
    except DomainError as exc:
        messages.error(request, problem_text(exc))
    else:
        messages.success(request, success)
    return redirect("shipping:carrier_detail", carrier_id=carrier.pk)


@login_required
@require_POST
def agreement_add_view(request, carrier_id: int):
    carrier = _carrier_or_404(request.user, carrier_id)
    data = forms.AgreementForm(request.POST, request.FILES).values()
    return _carrier_attempt(
        request,
        carrier,
        lambda: agreement_add(
            actor=request.user,
            carrier_id=carrier.pk,
            reference=data.get("reference", ""),
            valid_from=data.get("valid_from", ""),
            valid_until=data.get("valid_until", ""),
            document=data.get("document"),
        ),
        _("Agreement filed."),
    )


@login_required
@require_GET
def agreement_document_view(request, carrier_id: int, agreement_id: int):
    """The signed agreement, for those who may see agreements."""
    carrier = _carrier_or_404(request.user, carrier_id)
    agreement = carrier.agreements.filter(pk=agreement_id).first()
    if not request.user.has_perm("shipping.view_carrieragreement"):
        raise PageForbidden
    if agreement is None or not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=PurePath(agreement.document.name).name,
    )


@login_required
@require_POST
def preference_set_view(request, carrier_id: int):
    """A customer (by number) prefers this carrier (S2.1)."""
    carrier = _carrier_or_404(request.user, carrier_id)
    code = forms.PreferenceForm(request.POST).values().get("customer", "").strip()
    customer = Customer.objects.filter(code=code).first() if code else None
    return _carrier_attempt(
        request,
        carrier,
        lambda: preference_set(
            actor=request.user,
            customer_id=customer.pk if customer else 0,
            carrier_id=carrier.pk,
        ),
        _("Preferred carrier set."),
    )


@login_required
@require_POST
def preference_clear_view(request, carrier_id: int, customer_id: int):
    carrier = _carrier_or_404(request.user, carrier_id)
    if not CarrierPreference.objects.filter(carrier=carrier, customer_id=customer_id).exists():
        raise Http404
    return _carrier_attempt(
        request,
        carrier,
        lambda: preference_set(actor=request.user, customer_id=customer_id, carrier_id=None),
        _("Preferred carrier removed."),
    )
