"""The level matrix editor (R1.2): company admins set the scale and the level of every
likelihood × impact cell on a page; the service validates the whole matrix (levels may not
fall as likelihood or impact rise) and a refusal changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from salesdesk.core import policies
from salesdesk.core.errors import DomainError
from salesdesk.risk import matrix as level_matrix
from salesdesk.risk import rules, services
from salesdesk.risk.models import RiskLevel

CHANGE = "core.change_policy"


def _stored() -> tuple[int, list[list[str]]]:
    """The configured matrix, or (if an admin stored an unusable one) what can be read."""
    try:
        return level_matrix.current()
    except DomainError:
        return policies.value("risk.scale"), level_matrix.parse(policies.value("risk.matrix"))


def _resized(cells: list[list[str]], scale: int) -> list[list[str]]:
    """The matrix at another scale: each cell takes the level of the stored cell at the same
    relative place (corners stay corners)."""
    size = len(cells)
    if not size or any(len(row) != size for row in cells):
        return [[RiskLevel.LOW.value] * scale for _row in range(scale)]

    def source(index: int) -> int:
        return round(index * (size - 1) / (scale - 1)) if scale > 1 else 0

    return [[cells[source(i)][source(j)] for j in range(scale)] for i in range(scale)]


def _scale_choices() -> list[int]:
    definition = policies.definition("risk.scale")
    return list(range(int(definition.minimum), int(definition.maximum) + 1))


def _grid(scale: int, cells: list[list[str]]) -> list[dict]:
    return [
        {
            "likelihood": i + 1,
            "cells": [
                {"name": f"cell_{i + 1}_{j + 1}", "impact": j + 1, "level": cells[i][j]}
                for j in range(scale)
            ],
        }
        for i in range(scale)
    ]


@login_required
def risk_matrix_view(request):
    """GET: the matrix as configured (or resized with ?scale=); POST: store it."""
    if not request.user.has_perm(CHANGE):
        raise PageForbidden
    stored_scale, stored = _stored()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        scale_text = request.POST.get("scale", "")
        scale = int(scale_text) if scale_text.isdigit() else 0
        rows = [
            [request.POST.get(f"cell_{i}_{j}", "") for j in range(1, scale + 1)]
            for i in range(1, scale + 1)
        ]
        try:
            services.risk_matrix_set(actor=request.user, scale=scale_text, rows=rows)
        except DomainError as exc:
            fields = exc.extra.get("fields") or {}
            errors = [str(m) for found in fields.values() for m in found] or [str(exc.message)]
            status = 422
            cells = rows if scale in _scale_choices() else _resized(stored, stored_scale)
            scale = scale if scale in _scale_choices() else stored_scale
        else:
            messages.success(request, _("The risk matrix was saved."))
            return redirect("risk:heatmap")
    else:
        wanted = request.GET.get("scale", "")
        scale = (
            int(wanted) if wanted.isdigit() and int(wanted) in _scale_choices() else stored_scale
        )
        cells = (
            stored if scale == stored_scale and len(stored) == scale else _resized(stored, scale)
        )
    context = {
        "scale": scale,
        "scales": _scale_choices(),
        "grid": _grid(scale, cells),
        "levels": [(level, rules.LEVEL_LABELS[level]) for level in RiskLevel.values],
        "errors": errors,
    }
    return render(request, "risk/risk_matrix.html", context, status=status)
