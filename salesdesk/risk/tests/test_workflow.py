"""The risk lifecycle (R1.1): the full transition table and the service guards."""

import pytest

from salesdesk.audit.models import Event
from salesdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from salesdesk.risk.models import Risk
from salesdesk.risk.services import risk_assess, risk_transition
from salesdesk.risk.tests.conftest import raw_risk
from salesdesk.risk.workflow import RISK
from salesdesk.testing.workflow import assert_transition_table

pytestmark = pytest.mark.req("R1.1")


def test_transition_table(sales_manager):
    counts = assert_transition_table(
        RISK,
        make_subject=lambda state: raw_risk(owner=sales_manager, status=state),
        actor=sales_manager,
    )
    assert counts == {"allowed": 11, "refused": 14}


def _events(risk):
    return Event.objects.filter(object_id=risk.pk, verb__startswith="risk.").count()


def test_walks_the_lifecycle_through_the_services(sales_manager):
    risk = raw_risk(owner=sales_manager)
    risk_assess(actor=sales_manager, risk_id=risk.pk, likelihood=3, impact=4)
    for action, state in (("treat", "treated"), ("monitor", "monitored")):
        assert risk_transition(actor=sales_manager, risk_id=risk.pk, action=action).status == state
    closed = risk_transition(actor=sales_manager, risk_id=risk.pk, action="close", note="已收回")
    assert closed.status == "closed"
    verbs = list(
        Event.objects.filter(object_id=risk.pk).order_by("pk").values_list("verb", flat=True)
    )
    assert verbs == ["risk.assessed", "risk.treated", "risk.monitored", "risk.closed"]


@pytest.mark.parametrize(
    ("state", "action", "note", "error"),
    [
        ("assessed", "treat", "", ValidationFailed),  # no response plan
        ("monitored", "close", "", ValidationFailed),  # no reason
        ("closed", "reopen", " ", ValidationFailed),
        ("identified", "monitor", "", InvalidTransition),
        ("identified", "assess", "", ValidationFailed),  # assess needs ratings
    ],
)
def test_refusals_change_nothing_and_write_no_event(sales_manager, state, action, note, error):
    risk = raw_risk(owner=sales_manager, status=state, response_plan="")
    with pytest.raises(error):
        risk_transition(actor=sales_manager, risk_id=risk.pk, action=action, note=note)
    assert Risk.objects.get(pk=risk.pk).status == state
    assert _events(risk) == 0


def test_a_user_who_may_not_edit_the_risk_cannot_move_it(sales_manager, legal):
    risk = raw_risk(owner=sales_manager, status="treated")
    with pytest.raises(PermissionDenied):
        risk_transition(actor=legal, risk_id=risk.pk, action="monitor")
    assert Risk.objects.get(pk=risk.pk).status == "treated" and _events(risk) == 0
