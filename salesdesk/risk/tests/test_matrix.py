"""The likelihood × impact level matrix (R1.2): every default cell, a custom matrix, refusals."""

import pytest

from salesdesk.audit.models import Event
from salesdesk.core import policies
from salesdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from salesdesk.core.models import Policy
from salesdesk.risk import matrix
from salesdesk.risk.services import risk_assess, risk_matrix_set
from salesdesk.risk.tests.conftest import raw_risk

pytestmark = pytest.mark.req("R1.2")

# Likelihood (row) × impact (column) → level: low ≤ 3 < medium ≤ 9 < high ≤ 16 < critical.
EXPECTED = {
    (lk, im): "low"
    if lk * im <= 3
    else "medium"
    if lk * im <= 9
    else "high"
    if lk * im <= 16
    else "critical"
    for lk in range(1, 6)
    for im in range(1, 6)
}


@pytest.mark.parametrize(("likelihood", "impact"), sorted(EXPECTED))
def test_every_cell_of_the_default_matrix(db, likelihood, impact):
    scale, cells = matrix.current()
    assert scale == 5
    level = matrix.level_for(likelihood, impact, scale=scale, matrix=cells)
    assert level == EXPECTED[(likelihood, impact)]


def test_assessment_takes_the_level_from_the_matrix(sales_manager):
    risk = raw_risk(owner=sales_manager)
    risk = risk_assess(actor=sales_manager, risk_id=risk.pk, likelihood=4, impact=5)
    assert (risk.likelihood, risk.impact, risk.level, risk.status) == (4, 5, "critical", "assessed")
    event = Event.objects.get(verb="risk.assessed", object_id=risk.pk)
    assert event.data["level"] == "critical" and event.data["likelihood"] == 4


def test_a_custom_three_point_matrix_is_used(sales_manager, it_admin):
    rows = [
        ["low", "medium", "high"],
        ["medium", "high", "critical"],
        ["high", "critical", "critical"],
    ]
    assert risk_matrix_set(actor=it_admin, scale=3, rows=rows) == (3, rows)
    assert policies.value("risk.scale") == 3
    risk = raw_risk(owner=sales_manager)
    assert risk_assess(actor=sales_manager, risk_id=risk.pk, likelihood=2, impact=2).level == "high"
    with pytest.raises(ValidationFailed) as refused:
        risk_assess(actor=sales_manager, risk_id=risk.pk, likelihood=4, impact=1)
    assert "likelihood" in refused.value.extra["fields"]


@pytest.mark.parametrize(
    ("scale", "rows", "field"),
    [
        (5, [["low"] * 5] * 4, "matrix"),  # a row missing
        (3, [["low", "low"], ["low", "low", "low"], ["low", "low", "low"]], "matrix"),  # short row
        (2, [["low", "severe"], ["low", "high"]], "matrix"),  # unknown level
        (2, [["high", "low"], ["high", "high"]], "matrix"),  # falls as impact rises
        (2, [["low", "low"], ["low", "critical"]][::-1], "matrix"),  # falls as likelihood rises
        (1, [["low"]], "scale"),  # scale below the policy minimum
    ],
)
def test_an_invalid_matrix_is_refused_and_nothing_changes(it_admin, scale, rows, field):
    before = Event.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        risk_matrix_set(actor=it_admin, scale=scale, rows=rows)
    assert field in refused.value.extra["fields"]
    assert not Policy.objects.filter(key__startswith="risk.").exists()
    assert Event.objects.count() == before


def test_only_policy_admins_set_the_matrix(sales_manager):
    with pytest.raises(PermissionDenied):
        risk_matrix_set(
            actor=sales_manager, scale=5, rows=matrix.parse(matrix.policies.value("risk.matrix"))
        )
    assert not Policy.objects.filter(key__startswith="risk.").exists()


def test_a_scale_changed_alone_makes_assessment_refuse_naming_the_policy(sales_manager, it_admin):
    policies.policy_set(key="risk.scale", raw_value=4, actor=it_admin)
    risk = raw_risk(owner=sales_manager)
    before = Event.objects.filter(object_id=risk.pk, verb__startswith="risk.").count()
    with pytest.raises(Conflict) as refused:
        risk_assess(actor=sales_manager, risk_id=risk.pk, likelihood=1, impact=1)
    assert (
        refused.value.code == "invalid_risk_matrix" and refused.value.extra["key"] == "risk.matrix"
    )
    risk.refresh_from_db()
    assert (risk.status, risk.level) == ("identified", "")
    assert Event.objects.filter(object_id=risk.pk, verb__startswith="risk.").count() == before
