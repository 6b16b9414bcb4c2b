"""Risk pages (R1.1, R1.2): the register list, a risk's page with its timeline, the heat map
and a customer's credit score. Writes are in views_edit.py; every one calls one service."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import DomainError, NotFound
from salesdesk.core.exports import csv_response, xlsx_response
from salesdesk.core.listing import paginate, query_without, sort_columns, sort_queryset
from salesdesk.core.workflow import allowed_for
from salesdesk.risk import matrix as level_matrix
from salesdesk.risk import rules, selectors
from salesdesk.risk.forms import AssessForm, RiskFilterForm
from salesdesk.risk.models import LEVEL_ORDER, Risk
from salesdesk.risk.policies import can_edit
from salesdesk.risk.scoring import WEIGHTS
from salesdesk.risk.workflow import RISK

LEVEL_BADGES = {
    "low": "badge-ok",
    "medium": "badge-warn",
    "high": "badge-danger",
    "critical": "badge-danger",
}
SORTS = {
    "number": "number",
    "title": "title",
    "category": "category",
    "status": "status",
    "level": "level_rank",
    "created": "created_at",
}
SORT_COLUMNS = (
    ("number", _("Risk number")),
    ("title", _("Title")),
    ("category", _("Category")),
    ("level", _("Risk level")),
    ("status", _("Status")),
)
EXPORT_HEADERS = (
    _("Risk number"),
    _("Title"),
    _("Category"),
    _("Status"),
    _("Likelihood"),
    _("Impact"),
    _("Risk level"),
    _("Owner"),
    _("Customer number"),
    _("Customer"),
    _("Response plan"),
    _("Contingency plan"),
    _("Created"),
)


def risk_or_404(user: Any, risk_id: int) -> Risk:
    try:
        return selectors.risk_get(user=user, risk_id=risk_id)
    except NotFound:
        raise Http404 from None


def filtered_risks(request):
    form = RiskFilterForm(request.GET)
    chosen = form.filters()
    risks = selectors.risk_list(user=request.user, **chosen).annotate(
        level_rank=Case(
            *[When(level=level, then=Value(rank)) for level, rank in LEVEL_ORDER.items()],
            default=Value(-1),
        )
    )
    risks, sort = sort_queryset(risks, request.GET.get("sort", ""), SORTS, "-created")
    return risks, form, sort


def _export_row(risk: Risk) -> list[Any]:
    return [
        risk.number,
        risk.title,
        risk.get_category_display(),
        risk.get_status_display(),
        risk.likelihood,
        risk.impact,
        risk.get_level_display(),
        str(risk.owner),
        risk.customer.code if risk.customer_id else "",
        risk.customer.legal_name if risk.customer_id else "",
        risk.response_plan,
        risk.contingency_plan,
        risk.created_at,
    ]


@login_required
def risk_list_view(request):
    """The register: filter, search, sort, page and export the risks the user may see (R1.1)."""
    if not request.user.has_perm("risk.view_risk"):
        raise PageForbidden
    risks, form, sort = filtered_risks(request)
    export = request.GET.get("export")
    if export in ("xlsx", "csv"):
        rows = (_export_row(r) for r in risks.iterator(chunk_size=500))
        stamp = timezone.localdate().isoformat()
        if export == "csv":
            return csv_response(f"risks-{stamp}", EXPORT_HEADERS, rows)
        return xlsx_response(f"risks-{stamp}", EXPORT_HEADERS, rows, sheet=str(_("Risks")))
    context = paginate(request, risks)
    context.update(
        form=form,
        sort=sort,
        columns=sort_columns(request, sort, SORT_COLUMNS),
        export_query=query_without(request, "page", "export"),
        badges=LEVEL_BADGES,
        can_add=request.user.has_perm("risk.add_risk"),
    )
    return render(request, "risk/risk_list.html", context)


@login_required
def risk_detail_view(request, risk_id: int):
    """One risk: links, assessment, plans, contingency activations, actions, timeline."""
    risk = risk_or_404(request.user, risk_id)
    editable = can_edit(request.user, risk)
    transitions = [t for t in allowed_for(RISK, risk, request.user) if t.name != "assess"]
    assess_form = None
    matrix_problem = ""
    if editable and any(t.name == "assess" for t in allowed_for(RISK, risk, request.user)):
        try:
            scale, _cells = level_matrix.current()
            assess_form = AssessForm(
                scale=scale,
                initial={"likelihood": risk.likelihood, "impact": risk.impact},
            )
        except DomainError as exc:
            matrix_problem = str(exc.message)
    context = {
        "risk": risk,
        "badge": LEVEL_BADGES.get(risk.level, ""),
        "can_edit": editable and risk.status != "closed",
        "transitions": transitions,
        "assess_form": assess_form,
        "matrix_problem": matrix_problem,
        "activations": selectors.activations_of(risk),
        "can_activate": editable and risk.status != "closed" and bool(risk.contingency_plan),
    }
    return render(request, "risk/risk_detail.html", context)


@login_required
def risk_heatmap_view(request):
    """Likelihood × impact with counts per cell; each cell links to its list (R1.2)."""
    if not request.user.has_perm("risk.view_risk"):
        raise PageForbidden
    category = request.GET.get("category", "")
    open_only = request.GET.get("all") != "1"
    problem = ""
    heat = None
    try:
        heat = selectors.heat_map(user=request.user, open_only=open_only, category=category)
    except DomainError as exc:
        problem = str(exc.message)
    form = RiskFilterForm(request.GET)
    context = {
        "heat": heat,
        "problem": problem,
        "open_only": open_only,
        "category": category,
        "category_field": form["category"],
        "level_labels": rules.LEVEL_LABELS,
    }
    return render(request, "risk/risk_heatmap.html", context)


def _score_context(request, customer_id: int) -> dict[str, Any]:
    try:
        customer, latest = selectors.credit_score_latest(user=request.user, customer_id=customer_id)
    except NotFound:
        raise Http404 from None
    inputs = latest.inputs if latest else {}
    return {
        "customer": customer,
        "latest": latest,
        "badge": LEVEL_BADGES.get(latest.level, "") if latest else "",
        "inputs": inputs,
        "penalties": inputs.get("penalties", {}),
        "weights": WEIGHTS,
        "history": selectors.credit_score_history(customer),
        "can_recompute": request.user.has_perm("risk.recompute_credit_score"),
    }


@login_required
def credit_score_view(request, customer_id: int):
    """A customer's credit score, its inputs beside it, and its history (R1.2)."""
    return render(request, "risk/credit_score.html", _score_context(request, customer_id))


@login_required
def credit_score_panel_view(request, customer_id: int):
    """The small panel the customer page loads (HTMX): score, level and inputs (R1.2)."""
    return render(
        request, "risk/partials/credit_score_panel.html", _score_context(request, customer_id)
    )
