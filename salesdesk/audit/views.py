"""The event log and access log pages (U9, C3.3), with filters, paging and Excel export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from salesdesk.audit import verbs
from salesdesk.audit.forms import EventFilterForm
from salesdesk.audit.selectors import access_log_list, event_list
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.listing import paginate, sort_queryset

EVENT_SORTS = {"time": "created_at", "verb": "verb", "actor": "actor__username"}


def _event_rows(events):
    for event in events.iterator(chunk_size=2000):
        yield [
            event.created_at,
            str(verbs.label(event.verb)),
            event.actor.username,
            event.subject_label,
            event.from_state,
            event.to_state,
            event.note,
        ]


@login_required
def event_list_view(request):
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = event_list(user=request.user, **{k: v for k, v in filters.items() if v})
    events, sort = sort_queryset(events, request.GET.get("sort", "-time"), EVENT_SORTS, "-time")
    export = request.GET.get("export")
    if export in {"xlsx", "csv"}:
        headers = [_("Time"), _("Action"), _("User"), _("Record"), _("From"), _("To"), _("Note")]
        render_export = xlsx_response if export == "xlsx" else csv_response
        return render_export("events", headers, _event_rows(events))
    context = {"form": form, "sort": sort, **paginate(request, events)}
    return render(request, "audit/event_list.html", context)


@login_required
def access_log_view(request):
    logs = access_log_list(user=request.user, actor=request.GET.get("actor", ""))
    return render(request, "audit/accesslog_list.html", paginate(request, logs))
