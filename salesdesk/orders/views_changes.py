"""Change requests from the order page (U4): propose new lines and dates on the prefilled
grid with a reason; someone else approves or rejects it. Each step calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.core.errors import DomainError, ValidationFailed
from salesdesk.orders.forms import ChangeRequestForm, NoteForm, rows_with_paste, service_lines
from salesdesk.orders.models import ChangeRequest, Order
from salesdesk.orders.services import (
    change_request_approve,
    change_request_create,
    change_request_reject,
)
from salesdesk.orders.services.changes import CHANGEABLE
from salesdesk.orders.views_common import (
    apply_errors,
    can_change,
    grid_context,
    order_or_404,
    order_rows,
    plain,
    totals_preview,
)
from salesdesk.orders.views_entry import GRID_ACTIONS


def _initial(order: Order) -> dict:
    return {
        "payment_terms": order.payment_terms,
        "requested_delivery_date": plain(order.requested_delivery_date),
        "customer_reference": order.customer_reference,
        "note": order.note,
    }


def _page(request, order, form, rows, *, size, fields=None, status=200, preview=True):
    context = {
        "order": order,
        "form": form,
        "totals": totals_preview(rows, prices_include_tax=order.prices_include_tax)
        if preview
        else {},
        **grid_context(rows, fields or {}, size),
    }
    return render(request, "orders/changerequest_form.html", context, status=status)


@login_required
def change_request_create_view(request, order_id: int):
    """Propose a change to an approved order; the grid starts with its current lines (U4)."""
    order = order_or_404(request.user, order_id)
    if order.status not in CHANGEABLE or not can_change(request.user, order):
        raise PageForbidden
    if request.method != "POST":
        rows = order_rows(order)
        form = ChangeRequestForm(initial=_initial(order))
        return _page(request, order, form, rows, size=len(rows) + 1)
    form = ChangeRequestForm(request.POST)
    form.is_valid()
    rows, posted = rows_with_paste(request.POST)
    action = request.POST.get("action", "save")
    if action in GRID_ACTIONS:
        size = posted + 1 if action == "add_line" else len(rows) + 1
        return _page(request, order, form, rows, size=size)
    try:
        change_request_create(
            actor=request.user,
            order_id=order.pk,
            header=form.header(),
            lines=service_lines(rows),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationFailed as exc:
        apply_errors(form, exc)
        fields = exc.extra.get("fields") or {}
        if exc.field == "lines":
            fields = {"lines": [exc.message]}
        return _page(request, order, form, rows, size=len(rows) + 1, fields=fields, status=422)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("orders:detail", order_id=order.pk)
    messages.success(request, _("Change requested; it waits for a decision."))
    return redirect("orders:detail", order_id=order.pk)


@login_required
@require_POST
def change_request_decide_view(request, change_id: int, decision: str):
    """Approve (applies the change and re-reviews) or reject with a note (U4)."""
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404
    order = order_or_404(request.user, change.order_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "approve":
            change_request_approve(actor=request.user, change_id=change.pk, note=note)
            messages.success(request, _("Change approved and applied."))
        else:
            change_request_reject(actor=request.user, change_id=change.pk, note=note)
            messages.success(request, _("Change rejected."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("orders:detail", order_id=order.pk)
