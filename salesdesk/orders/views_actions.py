"""The order detail page's buttons and small forms (O1.2, O2, O4.2, O4.3). Each calls one
service; a refusal comes back as a message on the order page and changes nothing."""

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from salesdesk.core.errors import DomainError
from salesdesk.orders.forms import (
    ConfirmationForm,
    DelayForm,
    GuaranteeForm,
    NoteForm,
    OverrideForm,
    ReasonForm,
)
from salesdesk.orders.services import (
    order_approve,
    order_cancel,
    order_compliance_override,
    order_confirm_written,
    order_credit_release,
    order_delay_record,
    order_guarantee_record,
    order_reject,
    order_submit,
    status_link_create,
)
from salesdesk.orders.views_common import order_or_404


def _attempt(request, order_id: int, call: Callable[[], Any], success: str):
    """Call the service for a visible order; say what happened on the order page."""
    order_or_404(request.user, order_id)
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("orders:detail", order_id=order_id)


def _cleaned(form) -> dict[str, Any]:
    form.is_valid()
    return getattr(form, "cleaned_data", {})


@login_required
@require_POST
def order_transition_view(request, order_id: str, action: str):
    """Submit, approve, reject (with a reason) or cancel (with a reason) (O2, U4)."""
    order_id, actor = int(order_id), request.user
    reason = _cleaned(ReasonForm(request.POST)).get("reason", "")
    calls = {
        "submit": (lambda: order_submit(actor=actor, order_id=order_id), _("Order submitted.")),
        "approve": (lambda: order_approve(actor=actor, order_id=order_id), _("Order approved.")),
        "reject": (
            lambda: order_reject(actor=actor, order_id=order_id, reason=reason),
            _("Order rejected."),
        ),
        "cancel": (
            lambda: order_cancel(actor=actor, order_id=order_id, reason=reason),
            _("Order cancelled."),
        ),
    }
    call, success = calls[action]
    return _attempt(request, order_id, call, success)


@login_required
@require_POST
def order_guarantee_view(request, order_id: int):
    """Record an extra guarantee that covers the credit excess (O2.1)."""
    data = _cleaned(GuaranteeForm(request.POST, request.FILES))
    return _attempt(
        request,
        order_id,
        lambda: order_guarantee_record(
            actor=request.user,
            order_id=order_id,
            kind=data.get("kind", ""),
            amount=data.get("amount", ""),
            document=data.get("document"),
            note=data.get("note", ""),
        ),
        _("Guarantee recorded."),
    )


@login_required
@require_POST
def order_credit_release_view(request, order_id: int):
    """A credit approver releases the hold within their authority (O2.1)."""
    note = _cleaned(NoteForm(request.POST)).get("note", "")
    return _attempt(
        request,
        order_id,
        lambda: order_credit_release(actor=request.user, order_id=order_id, note=note),
        _("Credit hold released."),
    )


@login_required
@require_POST
def order_override_view(request, order_id: int):
    """A sales manager accepts a compliance finding with a reason (O2.2)."""
    rule = request.POST.get("rule", "")
    data = _cleaned(OverrideForm(request.POST, rules=[rule]))
    return _attempt(
        request,
        order_id,
        lambda: order_compliance_override(
            actor=request.user, order_id=order_id, rule=rule, reason=data.get("reason", "")
        ),
        _("Compliance finding overridden."),
    )


@login_required
@require_POST
def order_confirm_view(request, order_id: int):
    """Attach the written record of a verbal order (O1.2)."""
    data = _cleaned(ConfirmationForm(request.POST, request.FILES))
    return _attempt(
        request,
        order_id,
        lambda: order_confirm_written(
            actor=request.user,
            order_id=order_id,
            upload=data.get("file"),
            note=data.get("note", ""),
        ),
        _("Written confirmation attached."),
    )


@login_required
@require_POST
def order_delay_view(request, order_id: int):
    """Record a delay with its cause and new date; the customer is told (O4.3)."""
    data = _cleaned(DelayForm(request.POST))
    return _attempt(
        request,
        order_id,
        lambda: order_delay_record(
            actor=request.user,
            order_id=order_id,
            cause=data.get("cause", ""),
            new_date=data.get("new_date", ""),
            description=data.get("description", ""),
            notify_customer=bool(data.get("notify_customer")),
        ),
        _("Delay recorded."),
    )


@login_required
@require_POST
@never_cache
def order_status_link_view(request, order_id: int):
    """Create a customer status link and show it once; only its digest is stored (O4.2)."""
    order = order_or_404(request.user, order_id)
    try:
        link, url = status_link_create(actor=request.user, order_id=order.pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("orders:detail", order_id=order.pk)
    return render(
        request, "orders/order_status_link.html", {"order": order, "link": link, "url": url}
    )


@login_required
@require_GET
def guarantee_document_view(request, order_id: int, guarantee_id: int):
    """The document of a guarantee, for those who may see the order."""
    order = order_or_404(request.user, order_id)
    guarantee = order.guarantees.filter(pk=guarantee_id).first()
    if guarantee is None or not guarantee.document:
        raise Http404
    return FileResponse(
        guarantee.document.open("rb"),
        as_attachment=True,
        filename=PurePath(guarantee.document.name).name,
    )
