"""Declared transition tables and the one helper that applies them (STYLE rule 3).

An app's `workflow.py` declares a `Workflow` (data only). `apply_transition()` locks the
row, checks the permission and the current state, saves the new state and writes exactly
one `audit.Event`, all in one transaction. Nothing else writes a state field.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from salesdesk.core.errors import InvalidTransition, PermissionDenied

ObjectCheck = Callable[[Any, models.Model], bool]


@dataclass(frozen=True)
class Transition:
    """One row of a transition table: `name` moves `sources` to `target`."""

    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    verb: str
    label: Any = ""
    # Extra object rule (ownership, separation of duties); None means the permission suffices.
    check: ObjectCheck | None = None
    # The word for the API path: `POST /<things>/{id}/<action>`.
    action: str = ""

    @property
    def path(self) -> str:
        return self.action or self.name.replace("_", "-")


@dataclass(frozen=True)
class Workflow:
    """A lifecycle: the state field, its choices and the transitions between them."""

    name: str
    state_field: str
    states: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    by_name: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"workflow {self.name}: duplicate transition names")
        valid = set(self.states.values)
        for t in self.transitions:
            unknown = (set(t.sources) | {t.target}) - valid
            if unknown:
                raise ValueError(f"workflow {self.name}.{t.name}: unknown states {unknown}")
        object.__setattr__(self, "by_name", {t.name: t for t in self.transitions})

    def transition(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError:
            raise InvalidTransition(
                _("Unknown action “%(action)s”.") % {"action": name},
                code="unknown_action",
                extra={"action": name},
            ) from None

    def state_of(self, obj: models.Model) -> str:
        return getattr(obj, self.state_field)

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


def permitted(transition: Transition, user: Any, obj: models.Model) -> bool:
    """Does `user` hold the transition's permission and pass its object rule?"""
    if user is None or not user.is_active or not user.has_perm(transition.permission):
        return False
    return transition.check is None or bool(transition.check(user, obj))


def allowed_for(workflow: Workflow, obj: models.Model, user: Any) -> list[Transition]:
    """The transitions `user` may take on `obj` now: for buttons and `available_actions`."""
    state = workflow.state_of(obj)
    return [t for t in workflow.from_state(state) if permitted(t, user, obj)]


def available_actions(workflow: Workflow, obj: models.Model, user: Any) -> list[str]:
    return [t.path for t in allowed_for(workflow, obj, user)]


def check_transition(workflow: Workflow, obj: models.Model, name: str, actor: Any) -> Transition:
    """Raise exactly what `apply_transition` would refuse with, changing nothing.

    Services call it before expensive side work (reserving stock) that the transition gates.
    """
    transition = workflow.transition(name)
    if not permitted(transition, actor, obj):
        raise PermissionDenied(
            _("You may not %(action)s this record.")
            % {"action": transition.label or transition.name},
            extra={"action": transition.path, "permission": transition.permission},
        )
    current = workflow.state_of(obj)
    if current not in transition.sources:
        raise InvalidTransition(
            _("Cannot %(action)s: the record is %(state)s.")
            % {
                "action": transition.label or transition.name,
                "state": workflow.states(current).label,
            },
            extra={"action": transition.path, "state": current},
        )
    return transition


def apply_transition(
    obj: models.Model,
    name: str,
    *,
    workflow: Workflow,
    actor: Any,
    note: str = "",
    data: dict | None = None,
    changes: dict[str, Any] | None = None,
) -> models.Model:
    """Move `obj` through transition `name`, or raise and change nothing.

    `changes` are further fields saved with the new state (e.g. `approved_at`). Returns the
    locked, saved instance; the caller's `obj` is refreshed too.
    """
    from salesdesk.audit.services import event_record  # audit sits above core

    transition = workflow.transition(name)
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        current = workflow.state_of(locked)
        check_transition(workflow, locked, name, actor)
        setattr(locked, workflow.state_field, transition.target)
        update_fields = [workflow.state_field]
        for field_name, value in (changes or {}).items():
            setattr(locked, field_name, value)
            update_fields.append(field_name)
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        event_record(
            actor=actor,
            verb=transition.verb,
            subject=locked,
            from_state=current,
            to_state=transition.target,
            note=note,
            data=data,
        )
    for field_name in update_fields:
        setattr(obj, field_name, getattr(locked, field_name))
    return locked
