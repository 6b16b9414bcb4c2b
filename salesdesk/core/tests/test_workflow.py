"""The workflow engine: one transition table + one helper (STYLE rule 3, issue #2 item 6)."""

import threading
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from salesdesk.audit.models import Event
from salesdesk.core.errors import InvalidTransition, PermissionDenied
from salesdesk.core.workflow import (
    Transition,
    Workflow,
    allowed_for,
    apply_transition,
    available_actions,
)
from salesdesk.testing.models import TicketSample, TicketState
from salesdesk.testing.workflow import assert_transition_table

# The test model has no permissions of its own; borrow real ones so has_perm() is exercised.
ACCEPT = "core.view_policy"
CLOSE = "core.change_policy"


def _owner_only(user, ticket) -> bool:
    return ticket.owner_id == user.pk


TICKETS = Workflow(
    name="ticket",
    state_field="state",
    states=TicketState,
    transitions=(
        Transition("accept", ("open",), "accepted", ACCEPT, "ticket.accepted", "accept"),
        Transition("decline", ("open",), "declined", ACCEPT, "ticket.declined", "decline"),
        Transition(
            "finish",
            ("accepted",),
            "done",
            CLOSE,
            "ticket.finished",
            "finish",
            check=_owner_only,
            action="mark-done",
        ),
        Transition("reopen", ("done", "declined"), "open", CLOSE, "ticket.reopened", "reopen"),
    ),
)


@pytest.fixture
def clerk(it_admin):
    """it_admin holds both borrowed permissions."""
    return it_admin


def _ticket(state, owner):
    return TicketSample.objects.create(state=state, owner=owner)


def test_transition_table(clerk):
    counts = assert_transition_table(
        TICKETS, make_subject=lambda state: _ticket(state, clerk), actor=clerk
    )
    assert counts == {"allowed": 5, "refused": 11}


def test_refused_without_permission_changes_nothing(salesperson):
    ticket = _ticket("open", salesperson)
    with pytest.raises(PermissionDenied) as info:
        apply_transition(ticket, "accept", workflow=TICKETS, actor=salesperson)
    assert info.value.status == 403
    ticket.refresh_from_db()
    assert ticket.state == "open"
    assert not Event.objects.exists()


def test_object_check_refuses_non_owner(clerk, sales_admin):
    ticket = _ticket("accepted", sales_admin)
    with pytest.raises(PermissionDenied):
        apply_transition(ticket, "finish", workflow=TICKETS, actor=clerk)
    ticket.refresh_from_db()
    assert ticket.state == "accepted"
    assert not Event.objects.exists()


def test_invalid_transition_is_409_with_state(clerk):
    ticket = _ticket("done", clerk)
    with pytest.raises(InvalidTransition) as info:
        apply_transition(ticket, "accept", workflow=TICKETS, actor=clerk)
    assert info.value.status == 409
    assert info.value.code == "invalid_transition"
    assert info.value.extra == {"action": "accept", "state": "done"}


def test_unknown_action(clerk):
    with pytest.raises(InvalidTransition) as info:
        apply_transition(_ticket("open", clerk), "fly", workflow=TICKETS, actor=clerk)
    assert info.value.code == "unknown_action"


def test_changes_saved_with_state_and_event_data(clerk):
    ticket = _ticket("open", clerk)
    apply_transition(
        ticket,
        "accept",
        workflow=TICKETS,
        actor=clerk,
        note="can do",
        data={"promised": "2026-12-01"},
        changes={"promised_on": date(2026, 12, 1)},
    )
    assert ticket.state == "accepted"  # the caller's instance is refreshed
    ticket.refresh_from_db()
    assert ticket.promised_on == date(2026, 12, 1)
    event = Event.objects.get()
    assert (event.verb, event.note, event.data) == (
        "ticket.accepted",
        "can do",
        {"promised": "2026-12-01"},
    )
    assert (event.from_state, event.to_state, event.actor) == ("open", "accepted", clerk)


def test_allowed_for_and_available_actions(clerk, salesperson, sales_admin):
    ticket = _ticket("accepted", clerk)
    assert available_actions(TICKETS, ticket, clerk) == ["mark-done"]
    assert available_actions(TICKETS, ticket, salesperson) == []
    sales_admin.user_permissions.add(Permission.objects.get(codename="change_policy"))
    sales_admin = type(sales_admin).objects.get(pk=sales_admin.pk)  # reset perm cache
    assert allowed_for(TICKETS, ticket, sales_admin) == []  # not the owner
    assert [t.name for t in allowed_for(TICKETS, _ticket("open", clerk), clerk)] == [
        "accept",
        "decline",
    ]


def test_declaring_unknown_states_fails():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("bad", "state", TicketState, (Transition("x", ("open",), "nowhere", ACCEPT, "v"),))


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_apply_once(it_admin):
    """Two racing `accept`/`decline` calls: exactly one wins, one event (lock, then decide)."""
    ticket = _ticket("open", it_admin)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(name):
        try:
            barrier.wait()
            apply_transition(ticket, name, workflow=TICKETS, actor=it_admin)
            results.append("ok")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("accept", "decline")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Event.objects.count() == 1
