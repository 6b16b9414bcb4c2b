"""The likelihood × impact level matrix (R1.2): read from policy, validated, applied."""

from typing import Any

from django.utils.translation import gettext as _

from salesdesk.core import policies
from salesdesk.core.errors import Conflict, ValidationFailed
from salesdesk.risk.models import LEVEL_ORDER, RiskLevel

Matrix = list[list[str]]


def parse(rows: list[str] | list[list[str]]) -> Matrix:
    """Rows as stored (space-separated text) or already split into cells."""
    return [row.split() if isinstance(row, str) else [str(c) for c in row] for row in rows]


def problems(scale: int, matrix: Matrix) -> list[str]:
    """Every reason the matrix is unusable for `scale`; empty when it is valid."""
    found = []
    if len(matrix) != scale:
        found.append(
            _("The matrix has %(rows)s rows; the scale needs %(scale)s.")
            % {"rows": len(matrix), "scale": scale}
        )
    for n, row in enumerate(matrix, start=1):
        if len(row) != scale:
            found.append(
                _("Row %(n)s has %(cells)s cells; the scale needs %(scale)s.")
                % {"n": n, "cells": len(row), "scale": scale}
            )
        unknown = sorted({cell for cell in row if cell not in LEVEL_ORDER})
        if unknown:
            found.append(
                _("Row %(n)s has unknown levels: %(levels)s.")
                % {"n": n, "levels": ", ".join(unknown)}
            )
    if found:
        return found
    for i in range(scale):
        for j in range(scale):
            here = LEVEL_ORDER[matrix[i][j]]
            if (i and LEVEL_ORDER[matrix[i - 1][j]] > here) or (
                j and LEVEL_ORDER[matrix[i][j - 1]] > here
            ):
                found.append(
                    _("Likelihood %(l)s, impact %(i)s: the level falls as the risk rises.")
                    % {"l": i + 1, "i": j + 1}
                )
    return found


def validate(scale: Any, rows: list) -> tuple[int, Matrix]:
    """A clean (scale, matrix) or ValidationFailed naming the field and the rule."""
    try:
        size = int(scale)
    except (TypeError, ValueError):
        size = 0
    definition = policies.definition("risk.scale")
    if not definition.minimum <= size <= definition.maximum:
        raise ValidationFailed.from_fields(
            _("Please correct the marked fields."),
            {
                "scale": [
                    _("Choose a scale from %(min)s to %(max)s.")
                    % {"min": definition.minimum, "max": definition.maximum}
                ]
            },
        )
    matrix = parse(rows if isinstance(rows, list) else [])
    found = problems(size, matrix)
    if found:
        raise ValidationFailed(
            _("The risk matrix is not valid."),
            code="invalid_risk_matrix",
            extra={"fields": {"matrix": found}},
        )
    return size, matrix


def current() -> tuple[int, Matrix]:
    """The configured scale and matrix; Conflict if an admin stored an unusable pair."""
    scale = policies.value("risk.scale")
    matrix = parse(policies.value("risk.matrix"))
    found = problems(scale, matrix)
    if found:
        raise Conflict(
            _("The risk matrix policy is not valid: %(problems)s") % {"problems": " ".join(found)},
            code="invalid_risk_matrix",
            extra={"key": "risk.matrix", "problems": found},
        )
    return scale, matrix


def level_for(likelihood: int, impact: int, *, scale: int, matrix: Matrix) -> str:
    """The level of one cell; likelihood and impact run from 1 to `scale`."""
    return RiskLevel(matrix[likelihood - 1][impact - 1]).value
