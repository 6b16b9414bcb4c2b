"""Notifications API: the caller's notifications and, for admins, the e-mail outbox."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from salesdesk.core.workflow import available_actions
from salesdesk.notifications import selectors, services
from salesdesk.notifications.models import OutboundEmail
from salesdesk.notifications.workflow import OUTBOX

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class ReadAllOut(Schema):
    updated: int


class OutboundEmailOut(Schema):
    id: int
    to: str
    subject: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str
    sent_at: datetime | None
    created_at: datetime
    actions: list[str]

    @staticmethod
    def resolve_to(obj: OutboundEmail) -> str:
        return obj.recipients_masked

    @staticmethod
    def resolve_actions(obj: OutboundEmail, context) -> list[str]:
        return available_actions(OUTBOX, obj, context["request"].user)


@router.get("/notifications", response=list[NotificationOut], summary="My notifications")
@paginate
def notification_list_api(request, unread: bool = False):
    return selectors.notification_list(user=request.user, unread_only=unread)


@router.post(
    "/notifications/read-all", response=ReadAllOut, summary="Mark all my notifications read"
)
def notification_read_all_api(request):
    return {"updated": services.notification_mark_all_read(actor=request.user)}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark a notification read",
)
def notification_read_api(request, notification_id: int):
    return services.notification_mark_read(notification_id=notification_id, actor=request.user)


@router.get("/outbox", response=list[OutboundEmailOut], summary="The e-mail outbox (admins)")
@paginate
def outbox_list_api(request, state: str = ""):
    return selectors.outbox_list(user=request.user, state=state)


@router.post("/outbox/{email_id}/retry", response=OutboundEmailOut, summary="Retry a failed e-mail")
def outbox_retry_api(request, email_id: int):
    return services.email_retry(email_id=email_id, actor=request.user)


@router.post("/outbox/{email_id}/cancel", response=OutboundEmailOut, summary="Cancel an e-mail")
def outbox_cancel_api(request, email_id: int):
    return services.email_cancel(email_id=email_id, actor=request.user)
