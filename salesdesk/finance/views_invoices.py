"""Invoice pages: list with filters and export, invoicing an order's shipped lines, detail
with its lines, payments and timeline, and voiding (U1, U6, U7, U11)."""

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
from salesdesk.finance.forms import InvoiceCreateForm, InvoiceFilterForm, ReasonForm
from salesdesk.finance.models import Invoice, InvoiceStatus
from salesdesk.finance.policies import may_view
from salesdesk.finance.selectors import invoice_get, invoice_list
from salesdesk.finance.services import invoice_from_shipments, invoice_void
from salesdesk.finance.services.invoicing import uninvoiced_shipment_lines
from salesdesk.orders.models import Order
from salesdesk.orders.policies import visible_to as orders_visible_to

EXPORT_HEADERS = (
    gettext_lazy("Invoice number"),
    gettext_lazy("Issue date"),
    gettext_lazy("Due date"),
    gettext_lazy("Customer number"),
    gettext_lazy("Customer"),
    gettext_lazy("Order"),
    gettext_lazy("Finance system reference"),
    gettext_lazy("Net"),
    gettext_lazy("Tax"),
    gettext_lazy("Total incl. tax"),
    gettext_lazy("Paid"),
    gettext_lazy("Open"),
    gettext_lazy("Status"),
)


def _invoice_or_404(user: Any, invoice_id: int) -> Invoice:
    try:
        return invoice_get(user=user, invoice_id=invoice_id)
    except NotFound:
        raise Http404 from None


def _export_row(invoice: Invoice) -> list[Any]:
    return [
        invoice.number,
        invoice.issue_date,
        invoice.due_date,
        invoice.customer.code,
        invoice.customer.legal_name,
        invoice.order.number if invoice.order else "",
        invoice.external_reference,
        invoice.net_amount,
        invoice.tax_amount,
        invoice.gross_amount,
        invoice.paid_amount,
        invoice.open_amount,
        invoice.get_status_display(),
    ]


@login_required
def invoice_list_view(request):
    """The invoices of the customers the user may see, filtered, paged, exported (U6, U11)."""
    if not may_view(request.user):
        raise PageForbidden
    form = InvoiceFilterForm(request.GET)
    chosen = form.filters()
    invoices = invoice_list(
        user=request.user,
        status=chosen.get("status", ""),
        q=chosen.get("q", ""),
        open_only=chosen.get("open_only", False),
        customer_id=request.GET.get("customer")
        if request.GET.get("customer", "").isdigit()
        else None,
    )
    if request.GET.get("export") == "xlsx":
        rows = (_export_row(i) for i in invoices.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        return xlsx_response(f"invoices-{stamp}", EXPORT_HEADERS, rows, sheet=_("Invoices"))
    context = paginate(request, invoices)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context.update(
        form=form,
        export_query=query.urlencode(),
        can_invoice=request.user.has_perm("finance.add_invoice"),
    )
    return render(request, "finance/invoice_list.html", context)


def _order_for(user: Any, number: str) -> Order | None:
    number = (number or "").strip()
    if not number:
        return None
    return Order.objects.filter(orders_visible_to(user), number=number).first()


@login_required
def invoice_create_view(request):
    """Pick an order, see its shipped lines not yet invoiced, and invoice them (U1)."""
    if not request.user.has_perm("finance.add_invoice"):
        raise PageForbidden
    data = request.POST if request.method == "POST" else request.GET
    form = InvoiceCreateForm(data or None)
    order = _order_for(request.user, data.get("order", ""))
    if data.get("order") and order is None:
        form.add_error("order", _("No such order."))
    if request.method == "POST" and order is not None:
        chosen = [int(pk) for pk in request.POST.getlist("shipment_line") if pk.isdigit()]
        try:
            invoice = invoice_from_shipments(
                actor=request.user,
                order_id=order.pk,
                shipment_line_ids=chosen,
                issue_date=request.POST.get("issue_date") or None,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Invoice %(n)s issued.") % {"n": invoice.number})
            return redirect("finance:invoice_detail", invoice_id=invoice.pk)
    return render(
        request,
        "finance/invoice_form.html",
        {
            "form": form,
            "order": order,
            "candidates": uninvoiced_shipment_lines(order) if order else [],
        },
    )


@login_required
def invoice_detail_view(request, invoice_id: int):
    """One invoice: lines traced to shipments, payments allocated, timeline, void (U1, U9)."""
    invoice = _invoice_or_404(request.user, invoice_id)
    can_void = (
        request.user.has_perm("finance.void_invoice")
        and invoice.status == InvoiceStatus.ISSUED
        and invoice.paid_amount == 0
    )
    return render(
        request,
        "finance/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.select_related("shipment_line__shipment", "order_line"),
            "allocations": invoice.allocations.select_related("payment").order_by("pk"),
            "can_void": can_void,
            "void_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def invoice_void_view(request, invoice_id: int):
    """Void with a reason; a refusal is shown on the invoice page and changes nothing."""
    _invoice_or_404(request.user, invoice_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        invoice_void(actor=request.user, invoice_id=invoice_id, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Invoice voided."))
    return redirect("finance:invoice_detail", invoice_id=invoice_id)
