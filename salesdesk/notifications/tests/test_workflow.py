import pytest

from salesdesk.audit.models import Event
from salesdesk.core.errors import InvalidTransition, PermissionDenied
from salesdesk.core.workflow import apply_transition
from salesdesk.notifications.models import EmailState
from salesdesk.notifications.tests.factories import OutboundEmailFactory
from salesdesk.notifications.workflow import OUTBOX

PAIRS = [(state, t.name) for state in EmailState.values for t in OUTBOX.transitions]
EXPECTED = {
    ("queued", "send"): "sent",
    ("queued", "fail"): "failed",
    ("queued", "cancel"): "cancelled",
    ("failed", "retry"): "queued",
    ("failed", "cancel"): "cancelled",
}


def _actor_for(transition_name, system_user, it_admin):
    # The system user sends; administrators retry and cancel.
    return system_user if transition_name in {"send", "fail"} else it_admin


@pytest.mark.parametrize(("state", "name"), PAIRS)
def test_outbox_transition_table(state, name, system_user, it_admin):
    email = OutboundEmailFactory(state=state, created_by=it_admin)
    actor = _actor_for(name, system_user, it_admin)
    if (state, name) in EXPECTED:
        apply_transition(email, name, workflow=OUTBOX, actor=actor)
        email.refresh_from_db()
        transition = OUTBOX.transition(name)
        assert email.state == EXPECTED[(state, name)]
        events = list(Event.objects.all())
        assert [(e.verb, e.from_state, e.to_state, e.actor_id) for e in events] == [
            (transition.verb, state, email.state, actor.pk)
        ]
    else:
        with pytest.raises(InvalidTransition) as caught:
            apply_transition(email, name, workflow=OUTBOX, actor=actor)
        assert caught.value.code == "invalid_transition"
        email.refresh_from_db()
        assert email.state == state
        assert Event.objects.count() == 0


def test_transition_verbs_and_permissions_are_declared():
    rows = {(t.name, t.permission, t.verb) for t in OUTBOX.transitions}
    assert rows == {
        ("send", "notifications.send_outboundemail", "email.sent"),
        ("fail", "notifications.send_outboundemail", "email.failed"),
        ("retry", "notifications.retry_outboundemail", "email.requeued"),
        ("cancel", "notifications.cancel_outboundemail", "email.cancelled"),
    }


@pytest.mark.parametrize("name", ["send", "fail", "retry", "cancel"])
def test_salesperson_may_take_no_outbox_transition(name, salesperson):
    state = EmailState.FAILED if name == "retry" else EmailState.QUEUED
    email = OutboundEmailFactory(state=state)
    with pytest.raises(PermissionDenied):
        apply_transition(email, name, workflow=OUTBOX, actor=salesperson)
    email.refresh_from_db()
    assert email.state == state
    assert Event.objects.count() == 0


def test_admin_may_not_send_and_system_may_not_cancel(it_admin, system_user):
    email = OutboundEmailFactory()
    with pytest.raises(PermissionDenied):
        apply_transition(email, "send", workflow=OUTBOX, actor=it_admin)
    with pytest.raises(PermissionDenied):
        apply_transition(email, "cancel", workflow=OUTBOX, actor=system_user)
    email.refresh_from_db()
    assert email.state == EmailState.QUEUED
    assert Event.objects.count() == 0
