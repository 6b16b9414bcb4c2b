"""The user's notifications and the admins' e-mail outbox, with HTMX and without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesdesk.core.listing import paginate
from salesdesk.core.workflow import available_actions
from salesdesk.notifications import selectors, services
from salesdesk.notifications.models import EmailState
from salesdesk.notifications.workflow import OUTBOX


@login_required
def notification_list_view(request):
    notifications = selectors.notification_list(user=request.user)
    context = {
        "unread_count": selectors.notification_unread_count(user=request.user),
        **paginate(request, notifications),
    }
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notification_read_view(request, notification_id: int):
    notification = services.notification_mark_read(
        notification_id=notification_id, actor=request.user
    )
    if request.htmx:
        return render(
            request,
            "notifications/partials/notification_row.html",
            {"notification": notification},
        )
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all_view(request):
    count = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("notifications:list")


def _outbox_url(state: str) -> str:
    url = reverse("notifications:outbox")
    return f"{url}?{urlencode({'state': state})}" if state in EmailState.values else url


@login_required
@permission_required("notifications.view_outboundemail", raise_exception=True)
def outbox_view(request):
    state = request.GET.get("state", "")
    if state not in EmailState.values:
        state = ""
    emails = selectors.outbox_list(user=request.user, state=state)
    context = {"state": state, "states": EmailState.choices, **paginate(request, emails)}
    context["rows"] = [
        {"email": email, "actions": available_actions(OUTBOX, email, request.user)}
        for email in context["page_obj"]
    ]
    return render(request, "notifications/outboundemail_list.html", context)


@login_required
@require_POST
def outbox_retry_view(request, email_id: int):
    services.email_retry(email_id=email_id, actor=request.user)
    messages.success(request, _("The e-mail is queued again."))
    return redirect(_outbox_url(request.POST.get("state", "")))


@login_required
@require_POST
def outbox_cancel_view(request, email_id: int):
    services.email_cancel(email_id=email_id, actor=request.user)
    messages.success(request, _("The e-mail is cancelled."))
    return redirect(_outbox_url(request.POST.get("state", "")))
