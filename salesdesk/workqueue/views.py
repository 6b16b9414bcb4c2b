"""The home page: what waits for me (U5)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from salesdesk.core import policies
from salesdesk.workqueue.selectors import work_item_list, work_summary


@login_required
def home_view(request):
    overdue_only = request.GET.get("overdue") == "1"
    items = work_item_list(user=request.user, overdue_only=overdue_only)
    context = {
        "items": items,
        "summary": work_summary(user=request.user),
        "overdue_only": overdue_only,
        "due_soon_hours": policies.value("workqueue.due_soon_hours"),
    }
    template = "workqueue/partials/items.html" if request.htmx else "workqueue/home.html"
    return render(request, template, context)
