"""Payment pages: list with filters and export, the record form with allocation to the
customer's open invoices, and the detail page with the rest to allocate (U1, U6, U11)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate
from salesdesk.finance.forms import PaymentFilterForm, PaymentForm, allocations_from
from salesdesk.finance.models import Payment
from salesdesk.finance.policies import VIEW_PAYMENTS, may_view, visible_customers
from salesdesk.finance.selectors import invoice_list, payment_get, payment_list
from salesdesk.finance.services import payment_allocate, payment_record

PAYMENT_FIELDS = ("amount", "received_on", "method", "reference", "notes")
EXPORT_HEADERS = (
    gettext_lazy("Payment number"),
    gettext_lazy("Received on"),
    gettext_lazy("Customer number"),
    gettext_lazy("Customer"),
    gettext_lazy("Method"),
    gettext_lazy("Reference"),
    gettext_lazy("Amount"),
    gettext_lazy("Allocated"),
    gettext_lazy("Not allocated"),
)


def _payment_or_404(user: Any, payment_id: int) -> Payment:
    try:
        return payment_get(user=user, payment_id=payment_id)
    except NotFound:
        raise Http404 from None


def _export_row(payment: Payment) -> list[Any]:
    return [
        payment.number,
        payment.received_on,
        payment.customer.code,
        payment.customer.legal_name,
        payment.get_method_display(),
        payment.reference,
        payment.amount,
        payment.allocated_amount,
        payment.unallocated_amount,
    ]


@login_required
def payment_list_view(request):
    """Payments of the customers the user may see, filtered, paged, exported (U6, U11)."""
    if not may_view(request.user, VIEW_PAYMENTS):
        raise PageForbidden
    form = PaymentFilterForm(request.GET)
    chosen = form.filters()
    payments = payment_list(
        user=request.user,
        q=chosen.get("q", ""),
        unallocated=chosen.get("unallocated", False),
        customer_id=chosen.get("customer"),
    )
    if request.GET.get("export") == "xlsx":
        rows = (_export_row(p) for p in payments.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        return xlsx_response(f"payments-{stamp}", EXPORT_HEADERS, rows, sheet=_("Payments"))
    context = paginate(request, payments)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context.update(
        form=form,
        export_query=query.urlencode(),
        can_record=request.user.has_perm("finance.add_payment"),
    )
    return render(request, "finance/payment_list.html", context)


def _customer(request, code: str):
    code = (code or "").strip()
    if not code:
        return None
    return visible_customers(request.user, VIEW_PAYMENTS).filter(code=code).first()


@login_required
def payment_create_view(request):
    """Choose the customer, enter what was received and how to allocate it (U6)."""
    if not request.user.has_perm("finance.add_payment"):
        raise PageForbidden
    data = request.POST if request.method == "POST" else request.GET
    customer = _customer(request, data.get("customer", ""))
    form = PaymentForm(
        request.POST or None, initial={"received_on": timezone.localdate().isoformat()}
    )
    if request.method == "POST" and customer is not None and form.is_valid():
        wanted = None if form.cleaned_data["auto"] else allocations_from(request.POST)
        try:
            payment = payment_record(
                actor=request.user,
                customer_id=customer.pk,
                **{k: form.cleaned_data[k] for k in PAYMENT_FIELDS},
                allocations=wanted,
            )
        except DomainError as exc:
            _show(form, exc)
        else:
            messages.success(request, _("Payment %(n)s recorded.") % {"n": payment.number})
            return redirect("finance:payment_detail", payment_id=payment.pk)
    open_invoices = (
        invoice_list(user=request.user, customer_id=customer.pk, open_only=True).order_by(
            "due_date", "pk"
        )
        if customer
        else []
    )
    return render(
        request,
        "finance/payment_form.html",
        {
            "form": form,
            "customer": customer,
            "customer_code": data.get("customer", ""),
            "allocation_rows": _allocation_rows(open_invoices, request.POST),
        },
    )


def _allocation_rows(invoices, post) -> list[tuple[Any, str]]:
    """Each open invoice with the amount entered for it (kept when the form is refused)."""
    entered = dict(allocations_from(post))
    return [(invoice, entered.get(invoice.pk, "")) for invoice in invoices]


def _show(form: PaymentForm, error: DomainError) -> None:
    """A refusal next to the fields it names, or above the form."""
    fields = error.extra.get("fields") or {error.field or "": [error.message]}
    for name, problems in fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, str(problem))


@login_required
def payment_detail_view(request, payment_id: int):
    """One payment with its allocations and, for finance, the rest to allocate (U6)."""
    payment = _payment_or_404(request.user, payment_id)
    can_allocate = request.user.has_perm("finance.allocate_payment") and (
        payment.unallocated_amount > 0
    )
    open_invoices = (
        invoice_list(user=request.user, customer_id=payment.customer_id, open_only=True).order_by(
            "due_date", "pk"
        )
        if can_allocate
        else []
    )
    return render(
        request,
        "finance/payment_detail.html",
        {
            "payment": payment,
            "allocations": payment.allocations.select_related("invoice").order_by("pk"),
            "can_allocate": can_allocate,
            "allocation_rows": _allocation_rows(open_invoices, {}),
        },
    )


@login_required
@require_POST
def payment_allocate_view(request, payment_id: int):
    """Allocate the rest as entered, or oldest due first; a refusal changes nothing."""
    _payment_or_404(request.user, payment_id)
    wanted = None if request.POST.get("auto") else allocations_from(request.POST)
    try:
        payment_allocate(actor=request.user, payment_id=payment_id, allocations=wanted)
    except DomainError as exc:
        fields = exc.extra.get("fields") or {}
        details = [str(m) for problems in fields.values() for m in problems]
        messages.error(request, " ".join([str(exc.message), *details]))
    else:
        messages.success(request, _("Payment allocated."))
    return redirect("finance:payment_detail", payment_id=payment_id)
