"""Risk page writes (R1.1, R1.2, R2.2): create, edit, assess, move, activate the contingency
plan, recompute a credit score. Each calls one service; a refusal changes nothing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.core.errors import DomainError
from salesdesk.risk import services
from salesdesk.risk.forms import RiskForm
from salesdesk.risk.policies import can_edit
from salesdesk.risk.views import risk_or_404

LOOKUPS = {
    "customer": ("salesdesk.customers.models", "Customer", "code"),
    "order": ("salesdesk.orders.models", "Order", "number"),
    "contract": ("salesdesk.contracts.models", "Contract", "number"),
    "shipment": ("salesdesk.shipping.models", "Shipment", "number"),
}


def problem_text(error: DomainError) -> str:
    details = [m for found in (error.extra.get("fields") or {}).values() for m in found]
    return " ".join([str(error.message), *[str(d) for d in details]])


def _apply_errors(form, error: DomainError) -> None:
    fields = error.extra.get("fields") or {error.field or "": [error.message]}
    for name, found in fields.items():
        for message in found:
            form.add_error(name if name in form.fields else None, str(message))


def _payload(form: RiskForm) -> dict[str, Any]:
    """The form's values with linked records' numbers turned into ids; the service checks
    that the user may see them. An unknown number becomes an impossible id (a field error)."""
    from importlib import import_module

    data = dict(form.cleaned_data)
    data["owner"] = data["owner"].pk if data.get("owner") else None
    for name, (module, model, field) in LOOKUPS.items():
        number = (data.get(name) or "").strip()
        if not number:
            data[name] = None
            continue
        klass = getattr(import_module(module), model)
        data[name] = klass.objects.filter(**{field: number}).values_list("pk", flat=True).first()
        data[name] = data[name] or "missing"
    return data


def _initial(risk) -> dict[str, Any]:
    return {
        "title": risk.title,
        "category": risk.category,
        "owner": risk.owner_id,
        "description": risk.description,
        "customer": risk.customer.code if risk.customer_id else "",
        "order": risk.order.number if risk.order_id else "",
        "contract": risk.contract.number if risk.contract_id else "",
        "shipment": risk.shipment.number if risk.shipment_id else "",
        "response_plan": risk.response_plan,
        "contingency_plan": risk.contingency_plan,
    }


@login_required
def risk_create_view(request):
    """Record a risk (R1.1)."""
    if not request.user.has_perm("risk.add_risk"):
        raise PageForbidden
    form = RiskForm(request.POST or None, initial={"owner": request.user.pk, **request.GET.dict()})
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(actor=request.user, data=_payload(form))
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Risk %(number)s recorded.") % {"number": risk.number})
            return redirect("risk:detail", risk_id=risk.pk)
    return render(request, "risk/risk_form.html", {"form": form, "risk": None})


@login_required
def risk_edit_view(request, risk_id: int):
    """Edit an open risk (R1.1, R2.2)."""
    risk = risk_or_404(request.user, risk_id)
    if not can_edit(request.user, risk):
        raise PageForbidden
    form = RiskForm(request.POST or None, initial=_initial(risk))
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(actor=request.user, risk_id=risk.pk, data=_payload(form))
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Risk saved."))
            return redirect("risk:detail", risk_id=risk.pk)
    return render(request, "risk/risk_form.html", {"form": form, "risk": risk})


def _attempt(request, risk_id: int, call, success: str):
    risk_or_404(request.user, risk_id)
    try:
        call()
    except DomainError as exc:
        messages.error(request, problem_text(exc))
    else:
        messages.success(request, success)
    return redirect("risk:detail", risk_id=risk_id)


@login_required
@require_POST
def risk_assess_view(request, risk_id: int):
    """Rate likelihood and impact; the level comes from the matrix (R1.2)."""
    post = request.POST
    return _attempt(
        request,
        risk_id,
        lambda: services.risk_assess(
            actor=request.user,
            risk_id=risk_id,
            likelihood=post.get("likelihood"),
            impact=post.get("impact"),
            note=post.get("note", ""),
        ),
        _("Assessment saved."),
    )


@login_required
@require_POST
def risk_transition_view(request, risk_id: int, action: str):
    """Treat, monitor, close or reopen (R1.1)."""
    if action not in ("treat", "monitor", "close", "reopen"):
        raise Http404
    return _attempt(
        request,
        risk_id,
        lambda: services.risk_transition(
            actor=request.user, risk_id=risk_id, action=action, note=request.POST.get("note", "")
        ),
        _("Done."),
    )


@login_required
@require_POST
def risk_contingency_view(request, risk_id: int):
    """Activate the contingency plan with a note of what was done (R2.2)."""
    return _attempt(
        request,
        risk_id,
        lambda: services.contingency_activate(
            actor=request.user, risk_id=risk_id, note=request.POST.get("note", "")
        ),
        _("Contingency plan activation recorded."),
    )


@login_required
@require_POST
def credit_score_recompute_view(request, customer_id: int):
    """Recompute a customer's credit score now (R1.2)."""
    try:
        services.credit_score_compute(actor=request.user, customer_id=customer_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, problem_text(exc))
    else:
        messages.success(request, _("Credit score recomputed."))
    return redirect("risk:credit_score", customer_id=customer_id)
