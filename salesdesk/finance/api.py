"""Finance API (U1, U6): invoices from shipped lines and voids, payments with allocation,
the receivables ageing and customer statements (JSON, XLSX or PDF).

Every handler parses, calls one service or selector, and returns a schema. A record the
caller may not see is 404, an action they may not take 403, a wrong state 409.
"""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import PermissionDenied
from salesdesk.core.idempotency import idempotent_create
from salesdesk.finance import selectors, services
from salesdesk.finance.ageing import ageing, bucket_labels
from salesdesk.finance.documents import statement_pdf_response, statement_xlsx_response
from salesdesk.finance.models import Invoice, Payment
from salesdesk.finance.policies import may_view
from salesdesk.finance.schemas import (
    AgeingOut,
    AgeingQuery,
    AllocateIn,
    InvoiceCreateIn,
    InvoiceListQuery,
    InvoiceOut,
    InvoicePageOut,
    PaymentCreateIn,
    PaymentListQuery,
    PaymentOut,
    PaymentPageOut,
    ReasonIn,
    StatementOut,
    StatementQuery,
)
from salesdesk.finance.statement import statement

router = Router(tags=["finance"])

INVOICE = "/invoices/{int:invoice_id}"
PAYMENT = "/payments/{int:payment_id}"


def _invoice(request, invoice_id: int) -> Invoice:
    return selectors.invoice_get(user=request.user, invoice_id=invoice_id)


def _payment(request, payment_id: int) -> Payment:
    return selectors.payment_get(user=request.user, payment_id=payment_id)


def _pairs(allocations) -> list[tuple[int, object]] | None:
    if allocations is None:
        return None
    return [(item.invoice, item.amount) for item in allocations]


@router.get("/invoices", response=InvoicePageOut, summary="Invoices I may see")
def invoice_list_api(request, query: Query[InvoiceListQuery]):
    invoices = selectors.invoice_list(
        user=request.user,
        customer_id=query.customer,
        order_id=query.order,
        status=query.status,
        q=query.q,
        open_only=query.open_only,
    )
    return {
        "count": invoices.count(),
        "items": list(invoices[query.offset : query.offset + query.limit]),
    }


@router.post(
    "/invoices",
    response={201: InvoiceOut, 200: InvoiceOut},
    summary="Invoice an order's shipped, not yet invoiced lines (honours Idempotency-Key)",
)
def invoice_create_api(request, payload: InvoiceCreateIn):
    def create() -> Invoice:
        return services.invoice_from_shipments(
            actor=request.user,
            order_id=payload.order,
            shipment_line_ids=payload.shipment_lines,
            issue_date=payload.issue_date,
            note=payload.note,
        )

    invoice, replayed = idempotent_create(
        request,
        "finance.invoice",
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _invoice(request, pk),
    )
    return Status(200 if replayed else 201, _invoice(request, invoice.pk))


@router.get(INVOICE, response=InvoiceOut, summary="One invoice with lines and payments")
def invoice_get_api(request, invoice_id: int):
    return _invoice(request, invoice_id)


@router.post(f"{INVOICE}/void", response=InvoiceOut, summary="Void with a reason (U7)")
def invoice_void_api(request, invoice_id: int, payload: ReasonIn):
    services.invoice_void(actor=request.user, invoice_id=invoice_id, reason=payload.reason)
    return _invoice(request, invoice_id)


@router.get("/payments", response=PaymentPageOut, summary="Payments I may see")
def payment_list_api(request, query: Query[PaymentListQuery]):
    payments = selectors.payment_list(
        user=request.user, customer_id=query.customer, q=query.q, unallocated=query.unallocated
    )
    return {
        "count": payments.count(),
        "items": list(payments[query.offset : query.offset + query.limit]),
    }


@router.post(
    "/payments",
    response={201: PaymentOut, 200: PaymentOut},
    summary="Record a payment and allocate it (honours Idempotency-Key)",
)
def payment_create_api(request, payload: PaymentCreateIn):
    def create() -> Payment:
        return services.payment_record(
            actor=request.user,
            customer_id=payload.customer,
            amount=payload.amount,
            received_on=payload.received_on,
            method=payload.method,
            reference=payload.reference,
            notes=payload.notes,
            allocations=_pairs(payload.allocations),
        )

    payment, replayed = idempotent_create(
        request,
        "finance.payment",
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _payment(request, pk),
    )
    return Status(200 if replayed else 201, _payment(request, payment.pk))


@router.get(PAYMENT, response=PaymentOut, summary="One payment with its allocations")
def payment_get_api(request, payment_id: int):
    return _payment(request, payment_id)


@router.post(f"{PAYMENT}/allocate", response=PaymentOut, summary="Allocate what is left")
def payment_allocate_api(request, payment_id: int, payload: AllocateIn | None = None):
    services.payment_allocate(
        actor=request.user,
        payment_id=payment_id,
        allocations=_pairs(payload.allocations) if payload else None,
    )
    return _payment(request, payment_id)


@router.get("/receivables/ageing", response=AgeingOut, summary="Receivables ageing (U6)")
def ageing_api(request, query: Query[AgeingQuery]):
    if not may_view(request.user):
        raise PermissionDenied(_("You may not see receivables."))
    report = ageing(
        user=request.user,
        as_of=query.as_of,
        group_by=query.group_by,
        customer_id=query.customer,
        salesperson_id=query.salesperson,
    )
    return {
        "as_of": report.as_of,
        "group_by": report.group_by,
        "buckets": [{"key": key, "label": str(label)} for key, label in bucket_labels()],
        "rows": report.rows,
        "totals": report.totals,
        "total": report.total,
        "overdue": report.overdue,
    }


@router.get(
    "/customers/{int:customer_id}/statement",
    response=StatementOut,
    summary="The customer statement for a period: JSON, or ?format=xlsx|pdf (U6)",
)
def statement_api(request, customer_id: int, query: Query[StatementQuery]):
    customer = selectors.customer_for_receivables(user=request.user, customer_id=customer_id)
    today = timezone.localdate()
    result = statement(customer, query.start or today.replace(day=1), query.to or today)
    if query.format == "xlsx":
        return statement_xlsx_response(result)
    if query.format == "pdf":
        return statement_pdf_response(result, get_language())
    return {
        "customer": customer.pk,
        "customer_code": customer.code,
        "customer_name": customer.legal_name,
        "period_start": result.period_start,
        "period_end": result.period_end,
        "currency": result.currency,
        "opening_balance": result.opening,
        "invoiced": result.invoiced,
        "received": result.received,
        "closing_balance": result.closing,
        "lines": result.lines,
    }


add_events_route(router, "/invoices", _invoice)
add_events_route(router, "/payments", _payment)
