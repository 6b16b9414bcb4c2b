"""Orders API (O1–O4, U2–U4): intake (electronic orders with `Idempotency-Key`), drafts,
review actions and hold releases, written confirmations, change requests, delays, status
links, history and the last price.

Every handler parses, calls one service or selector, and returns a schema. An order the
caller may not see is 404, an action they may not take 403, a wrong state 409.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from salesdesk.audit.api import add_events_route
from salesdesk.catalog.models import Product
from salesdesk.core.errors import NotFound
from salesdesk.core.idempotency import idempotent_create
from salesdesk.orders import selectors, services
from salesdesk.orders.models import ChangeRequest, Order, OrderStatus
from salesdesk.orders.schemas import (
    ChangeRequestIn,
    ChangeRequestOut,
    DelayIn,
    DelayOut,
    LastPriceOut,
    LastPriceQuery,
    NoteIn,
    OrderCreateIn,
    OrderListQuery,
    OrderOut,
    OrderPageOut,
    OrderPatchIn,
    ReasonIn,
    ReleaseIn,
    StatusLinkOut,
)

router = Router(tags=["orders"])

CREATE_SCOPE = "orders.create"
ITEM = "/orders/{int:order_id}"
HEADER_FIELDS = (
    "channel",
    "payment_terms",
    "requested_delivery_date",
    "customer_reference",
    "note",
    "prices_include_tax",
)


def _order(request, order_id: int) -> Order:
    return selectors.order_get(user=request.user, order_id=order_id)


def _lines(lines: list) -> list[dict[str, Any]]:
    return [line.dict(exclude_none=True) for line in lines]


def _filtered(orders: QuerySet[Order], query: OrderListQuery) -> QuerySet[Order]:
    """Narrow the caller's scoped orders further; never widens what the selector allows."""
    if query.salesperson:
        orders = orders.filter(salesperson__username=query.salesperson)
    if query.date_from:
        orders = orders.filter(created_at__date__gte=query.date_from)
    if query.date_to:
        orders = orders.filter(created_at__date__lte=query.date_to)
    if query.on_hold is not None:
        on_hold = {"status": OrderStatus.ON_HOLD}
        orders = orders.filter(**on_hold) if query.on_hold else orders.exclude(**on_hold)
    return orders


@router.get("/orders", response=OrderPageOut, summary="Orders I may see")
def order_list_api(request, query: Query[OrderListQuery]):
    orders = selectors.order_list(
        user=request.user, status=query.status, customer_id=query.customer, q=query.q
    )
    orders = _filtered(orders, query)
    return {
        "count": orders.count(),
        "items": list(orders[query.offset : query.offset + query.limit]),
    }


@router.post(
    "/orders",
    response={201: OrderOut, 200: OrderOut},
    summary="Enter an order (honours Idempotency-Key; a replay answers 200)",
)
def order_create_api(request, payload: OrderCreateIn):
    header = payload.dict(include=set(HEADER_FIELDS), exclude_none=True)

    def create() -> Order:
        return services.order_create(
            actor=request.user,
            customer_id=payload.customer,
            data=header,
            lines=_lines(payload.lines),
        )

    order, replayed = idempotent_create(
        request,
        CREATE_SCOPE,
        payload.model_dump(mode="json"),
        create=create,
        load=lambda pk: _order(request, pk),
    )
    return Status(200 if replayed else 201, _order(request, order.pk))


@router.get("/orders/last-price", response=LastPriceOut, summary="Last price for a customer")
def last_price_api(request, query: Query[LastPriceQuery]):
    """The unit price on the customer's latest approved order for the product (U2)."""
    reference = query.product.strip()
    product = Product.objects.filter(sku=reference.upper()).first()
    if product is None and reference.isdigit():
        product = Product.objects.filter(pk=int(reference)).first()
    if product is None:
        raise NotFound(_("No such product."), extra={"field": "product"})
    price = selectors.last_price(
        user=request.user, customer_id=query.customer, product_id=product.pk
    )
    return {
        "customer": query.customer,
        "product": product.pk,
        "sku": product.sku,
        "unit_price": price,
    }


@router.get(ITEM, response=OrderOut, summary="One order with lines, review and progress")
def order_get_api(request, order_id: int):
    return _order(request, order_id)


@router.patch(ITEM, response=OrderOut, summary="Change a draft (409 once submitted)")
def order_update_api(request, order_id: int, payload: OrderPatchIn):
    data = payload.dict(include=set(HEADER_FIELDS), exclude_unset=True, exclude_none=True)
    lines = _lines(payload.lines) if payload.lines is not None else None
    services.order_update(actor=request.user, order_id=order_id, data=data, lines=lines)
    return _order(request, order_id)


@router.post(f"{ITEM}/submit", response=OrderOut, summary="Submit for review (O2)")
def order_submit_api(request, order_id: int, payload: NoteIn | None = None):
    services.order_submit(
        actor=request.user, order_id=order_id, note=payload.note if payload else ""
    )
    return _order(request, order_id)


@router.post(f"{ITEM}/approve", response=OrderOut, summary="Approve and reserve stock (O3.1)")
def order_approve_api(request, order_id: int, payload: NoteIn | None = None):
    services.order_approve(
        actor=request.user, order_id=order_id, note=payload.note if payload else ""
    )
    return _order(request, order_id)


@router.post(f"{ITEM}/reject", response=OrderOut, summary="Reject a reviewed order")
def order_reject_api(request, order_id: int, payload: ReasonIn):
    services.order_reject(actor=request.user, order_id=order_id, reason=payload.reason)
    return _order(request, order_id)


@router.post(f"{ITEM}/cancel", response=OrderOut, summary="Cancel before shipment (U4)")
def order_cancel_api(request, order_id: int, payload: ReasonIn):
    services.order_cancel(actor=request.user, order_id=order_id, reason=payload.reason)
    return _order(request, order_id)


@router.post(f"{ITEM}/reopen", response=OrderOut, summary="Take a rejected order back to draft")
def order_reopen_api(request, order_id: int, payload: NoteIn | None = None):
    services.order_reopen(
        actor=request.user, order_id=order_id, note=payload.note if payload else ""
    )
    return _order(request, order_id)


@router.post(
    f"{ITEM}/release",
    response=OrderOut,
    summary="Resolve a hold: credit release, extra guarantee or compliance override (O2.1, O2.2)",
)
def order_release_api(request, order_id: int, payload: ReleaseIn):
    if payload.mode == "credit":
        services.order_credit_release(actor=request.user, order_id=order_id, note=payload.note)
    elif payload.mode == "guarantee":
        services.order_guarantee_record(
            actor=request.user,
            order_id=order_id,
            kind=payload.kind or "",
            amount=payload.amount,
            note=payload.note,
        )
    else:
        services.order_compliance_override(
            actor=request.user, order_id=order_id, rule=payload.rule, reason=payload.reason
        )
    return _order(request, order_id)


@router.post(
    f"{ITEM}/confirm", response=OrderOut, summary="Attach the written record of a verbal order"
)
def order_confirm_api(request, order_id: int, file: File[UploadedFile], note: Form[str] = ""):
    services.order_confirm_written(actor=request.user, order_id=order_id, upload=file, note=note)
    return _order(request, order_id)


@router.post(
    f"{ITEM}/change-requests",
    response={201: ChangeRequestOut},
    summary="Propose a change to an approved order (U4)",
)
def change_request_create_api(request, order_id: int, payload: ChangeRequestIn):
    change = services.change_request_create(
        actor=request.user,
        order_id=order_id,
        header=payload.header.dict(exclude_none=True),
        lines=_lines(payload.lines),
        reason=payload.reason,
    )
    return Status(201, change)


def _change_request(change_id: int) -> ChangeRequest:
    return ChangeRequest.objects.select_related("requested_by", "decided_by").get(pk=change_id)


@router.post(
    "/change-requests/{int:change_id}/approve",
    response=ChangeRequestOut,
    summary="Apply a change request after re-review",
)
def change_request_approve_api(request, change_id: int, payload: NoteIn | None = None):
    services.change_request_approve(
        actor=request.user, change_id=change_id, note=payload.note if payload else ""
    )
    return _change_request(change_id)


@router.post(
    "/change-requests/{int:change_id}/reject",
    response=ChangeRequestOut,
    summary="Refuse a change request",
)
def change_request_reject_api(request, change_id: int, payload: NoteIn):
    services.change_request_reject(actor=request.user, change_id=change_id, note=payload.note)
    return _change_request(change_id)


@router.post(
    f"{ITEM}/delays", response={201: DelayOut}, summary="Record a delay and tell the customer"
)
def order_delay_api(request, order_id: int, payload: DelayIn):
    delay = services.order_delay_record(
        actor=request.user,
        order_id=order_id,
        cause=payload.cause,
        new_date=payload.new_date,
        description=payload.description,
        notify_customer=payload.notify_customer,
    )
    return Status(201, delay)


@router.post(
    f"{ITEM}/status-link",
    response={201: StatusLinkOut},
    summary="A customer status link (the URL is shown only now)",
)
def status_link_create_api(request, order_id: int):
    link, url = services.status_link_create(actor=request.user, order_id=order_id)
    return Status(201, {"url": url, "expires_at": link.expires_at})


add_events_route(router, "/orders", _order)
