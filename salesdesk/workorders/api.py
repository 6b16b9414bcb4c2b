"""Work-orders API (O3.1, O4.1): each department's queue, and accept with a promised date,
progress, done or declined; every work order shows the caller's `available_actions`.

Members of a department see the work orders allocated to their role; holders of
`workorders.view_workorder` (sales admins, managers, supervisors) see all of them. Anything
else is 404, an action the caller may not take 403, a wrong state 409.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from salesdesk.audit.api import add_events_route
from salesdesk.core.errors import NotFound
from salesdesk.core.workflow import available_actions
from salesdesk.workorders import services
from salesdesk.workorders.models import WorkKind, WorkOrder, WorkStatus
from salesdesk.workorders.workflow import WORK

router = Router(tags=["work orders"])

ITEM = "/work-orders/{int:work_order_id}"


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class WorkOrderQuery(Schema):
    role: str = Field("", description="Department role, e.g. warehouse or production.")
    status: Literal[tuple(WorkStatus.values)] | Literal["", "active"] = Field(
        "", description="One status, `active` (open, accepted, in progress) or empty for all."
    )
    kind: Literal[tuple(WorkKind.values)] | Literal[""] = ""
    order: int | None = Field(None, description="Order id.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class AcceptIn(In):
    promised_date: date
    note: str = Field("", max_length=2000)


class ProgressIn(In):
    progress: int = Field(description="Percent done, 0 to 100.")
    note: str = Field("", max_length=2000)


class NoteIn(In):
    note: str = Field("", max_length=2000)


class DeclineIn(In):
    reason: str


class WorkOrderOut(Schema):
    id: int
    number: str
    kind: str
    role: str
    status: str
    order: int | None
    order_number: str | None
    order_line: int | None = Field(description="Line number on the order.")
    product: str | None = Field(description="SKU.")
    quantity: Decimal | None
    needed_by: date | None
    promised_date: date | None
    progress: int
    instructions: str
    result_note: str
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    available_actions: list[str]

    @staticmethod
    def resolve_order(obj: WorkOrder) -> int | None:
        return obj.order_id

    @staticmethod
    def resolve_order_number(obj: WorkOrder) -> str | None:
        return obj.order.number if obj.order_id else None

    @staticmethod
    def resolve_order_line(obj: WorkOrder) -> int | None:
        return obj.order_line.line_number if obj.order_line_id else None

    @staticmethod
    def resolve_product(obj: WorkOrder) -> str | None:
        return obj.product.sku if obj.product_id else None

    @staticmethod
    def resolve_assignee(obj: WorkOrder) -> str | None:
        return obj.assignee.username if obj.assignee_id else None

    @staticmethod
    def resolve_available_actions(obj: WorkOrder, context) -> list[str]:
        return actions_for(obj, context["request"].user)


class WorkOrderPageOut(Schema):
    count: int
    items: list[WorkOrderOut]


def actions_for(work: WorkOrder, user: Any) -> list[str]:
    """The workflow's actions as the API offers them: `progress` starts accepted work."""
    allowed = set(available_actions(WORK, work, user))
    offered = {"accept", "decline"} & allowed
    if "complete" in allowed:
        offered |= {"progress", "complete"}
    return [action for action in ("accept", "progress", "complete", "decline") if action in offered]


def visible_to(user: Any) -> Q:
    """The caller's department queue, or every work order for those who oversee them."""
    if user.has_perm("workorders.view_workorder"):
        return Q()
    return Q(role__in=list(user.groups.values_list("name", flat=True)))


def _work_orders(user: Any) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(visible_to(user)).select_related(
        "order", "order_line", "product", "assignee"
    )


def _work_order(request, work_order_id: int) -> WorkOrder:
    work = _work_orders(request.user).filter(pk=work_order_id).first()
    if work is None:
        raise NotFound(_("No such work order."))
    return work


ACTIVE = (WorkStatus.OPEN, WorkStatus.ACCEPTED, WorkStatus.IN_PROGRESS)


@router.get("/work-orders", response=WorkOrderPageOut, summary="My department's work orders")
def work_order_list_api(request, query: Query[WorkOrderQuery]):
    works = _work_orders(request.user)
    if query.role:
        works = works.filter(role=query.role)
    if query.status == "active":
        works = works.filter(status__in=ACTIVE)
    elif query.status:
        works = works.filter(status=query.status)
    if query.kind:
        works = works.filter(kind=query.kind)
    if query.order:
        works = works.filter(order_id=query.order)
    works = works.order_by("needed_by", "created_at", "pk")
    return {"count": works.count(), "items": list(works[query.offset : query.offset + query.limit])}


@router.get(ITEM, response=WorkOrderOut, summary="One work order")
def work_order_get_api(request, work_order_id: int):
    return _work_order(request, work_order_id)


@router.post(f"{ITEM}/accept", response=WorkOrderOut, summary="Accept with a promised date")
def work_order_accept_api(request, work_order_id: int, payload: AcceptIn):
    services.work_order_accept(
        actor=request.user,
        work_order_id=work_order_id,
        promised_date=payload.promised_date,
        note=payload.note,
    )
    return _work_order(request, work_order_id)


@router.post(f"{ITEM}/progress", response=WorkOrderOut, summary="Report progress (O4.1)")
def work_order_progress_api(request, work_order_id: int, payload: ProgressIn):
    services.work_order_progress(
        actor=request.user,
        work_order_id=work_order_id,
        progress=payload.progress,
        note=payload.note,
    )
    return _work_order(request, work_order_id)


@router.post(f"{ITEM}/complete", response=WorkOrderOut, summary="Mark the work done")
def work_order_complete_api(request, work_order_id: int, payload: NoteIn | None = None):
    services.work_order_complete(
        actor=request.user, work_order_id=work_order_id, note=payload.note if payload else ""
    )
    return _work_order(request, work_order_id)


@router.post(f"{ITEM}/decline", response=WorkOrderOut, summary="Decline the work, with a reason")
def work_order_decline_api(request, work_order_id: int, payload: DeclineIn):
    services.work_order_decline(
        actor=request.user, work_order_id=work_order_id, reason=payload.reason
    )
    return _work_order(request, work_order_id)


add_events_route(router, "/work-orders", _work_order)
