"""The exhaustive transition-table test every workflow gets (STYLE: Tests).

For every (state, transition) pair: an allowed pair reaches the target state and writes
exactly one event with the transition's verb; a forbidden pair raises InvalidTransition,
leaves the state as it was and writes nothing.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models

from salesdesk.audit.selectors import event_list_for
from salesdesk.core.errors import InvalidTransition
from salesdesk.core.workflow import Workflow, apply_transition


def assert_transition_table(
    workflow: Workflow,
    *,
    make_subject: Callable[[str], models.Model],
    actor: Any,
    apply: Callable[..., Any] | None = None,
) -> dict[str, int]:
    """Walk all pairs; `make_subject(state)` returns a fresh saved object in that state.

    `apply(obj, transition, actor)` defaults to `apply_transition`; pass the app's service
    when the transition needs arguments. Returns counts of allowed and refused pairs.
    """
    counts = {"allowed": 0, "refused": 0}
    for state in workflow.states.values:
        for transition in workflow.transitions:
            subject = make_subject(state)
            before = event_list_for(subject).count()
            run = apply or (
                lambda obj, t, user: apply_transition(obj, t.name, workflow=workflow, actor=user)
            )
            if state in transition.sources:
                run(subject, transition, actor)
                subject.refresh_from_db()
                assert workflow.state_of(subject) == transition.target, (state, transition.name)
                events = list(event_list_for(subject))
                assert len(events) == before + 1, (state, transition.name)
                assert events[0].verb == transition.verb
                assert (events[0].from_state, events[0].to_state) == (state, transition.target)
                counts["allowed"] += 1
            else:
                with pytest.raises(InvalidTransition):
                    run(subject, transition, actor)
                subject.refresh_from_db()
                assert workflow.state_of(subject) == state, (state, transition.name)
                assert event_list_for(subject).count() == before, (state, transition.name)
                counts["refused"] += 1
    assert counts["allowed"] > 0
    return counts
