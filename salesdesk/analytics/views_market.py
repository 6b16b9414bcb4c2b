"""Market sizes page (A2.2): the list (filter, sort, page, export) and the entry form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesdesk.analytics.market import market_size_enter
from salesdesk.analytics.models import MarketSize
from salesdesk.core.errors import DomainError
from salesdesk.core.exports import xlsx_response
from salesdesk.core.listing import paginate, sort_queryset

SORTS = {"period": "-period_start", "segment": "segment", "region": "region", "size": "-size"}
EXPORT_HEADERS = (
    gettext_lazy("Segment (product category)"),
    gettext_lazy("Region"),
    gettext_lazy("Period start"),
    gettext_lazy("Period end"),
    gettext_lazy("Market size (excl. tax)"),
    gettext_lazy("Source of the estimate"),
    gettext_lazy("Entered by"),
)


class MarketSizeForm(forms.Form):
    """Collects the POST; `clean_market_size` in the service validates."""

    segment = forms.CharField(label=gettext_lazy("Segment (product category)"), required=False)
    region = forms.CharField(label=gettext_lazy("Region"), required=False)
    period_start = forms.CharField(
        label=gettext_lazy("Period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.CharField(
        label=gettext_lazy("Period end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    size = forms.CharField(label=gettext_lazy("Market size (excl. tax)"))
    source = forms.CharField(label=gettext_lazy("Source of the estimate"), required=False)


def market_size_rows(request):
    """The entries for the query string; the page and the export show the same."""
    rows = MarketSize.objects.select_related("entered_by")
    chosen = {k: request.GET.get(k, "").strip() for k in ("segment", "region", "year")}
    if chosen["segment"]:
        rows = rows.filter(segment=chosen["segment"])
    if chosen["region"]:
        rows = rows.filter(region=chosen["region"])
    if chosen["year"].isdigit():
        rows = rows.filter(period_start__year=int(chosen["year"]))
    rows, sort = sort_queryset(rows, request.GET.get("sort", ""), SORTS, "period")
    return rows, chosen, sort


@login_required
def market_sizes_view(request):
    """List market sizes and enter a new one (or correct one) (A2.2)."""
    if not request.user.has_perm("analytics.view_marketsize"):
        raise PageForbidden
    can_add = request.user.has_perm("analytics.add_marketsize")
    form = MarketSizeForm()
    status = 200
    if request.method == "POST":
        if not can_add:
            raise PageForbidden
        form = MarketSizeForm(request.POST)
        form.is_valid()
        try:
            entry = market_size_enter(actor=request.user, data=request.POST.dict())
        except DomainError as exc:
            fields = exc.extra.get("fields") or {exc.field or "": [exc.message]}
            for name, field_messages in fields.items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, str(message))
            status = 422
        else:
            messages.success(request, _("Market size saved: %(entry)s.") % {"entry": entry})
            return redirect("analytics:market_sizes")
    rows, chosen, sort = market_size_rows(request)
    if request.GET.get("export") == "xlsx":
        data = (
            [r.segment, r.region, r.period_start, r.period_end, r.size, r.source, str(r.entered_by)]
            for r in rows.iterator(chunk_size=500)
        )
        name = f"market-sizes-{timezone.localdate().isoformat()}"
        return xlsx_response(name, EXPORT_HEADERS, data, sheet=_("Market sizes"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = paginate(request, rows)
    context.update(
        form=form,
        chosen=chosen,
        sort=sort,
        sorts=[
            ("period", _("Period")),
            ("segment", _("Segment")),
            ("region", _("Region")),
            ("size", _("Market size")),
        ],
        export_query=query.urlencode(),
        can_add=can_add,
    )
    return render(request, "analytics/market_sizes.html", context, status=status)
