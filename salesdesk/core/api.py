"""Policies API: list, read and change company rules (admins)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from salesdesk.audit.api import add_events_route
from salesdesk.core import policies
from salesdesk.core.models import Policy

router = Router(tags=["policies"])


class PolicyOut(Schema):
    key: str
    label: str
    help_text: str
    kind: str
    group: str
    value: Any
    default: Any


class PolicyPatchIn(Schema):
    value: Any
    note: str = ""


def _out(definition, value) -> dict:
    def plain(v):
        return str(v) if definition.kind == "decimal" else v

    return {
        "key": definition.key,
        "label": str(definition.label),
        "help_text": str(definition.help_text),
        "kind": definition.kind,
        "group": str(definition.group),
        "value": plain(value),
        "default": plain(definition.default),
    }


def _require_view(request) -> None:
    if not request.user.has_perm("core.view_policy"):
        raise PermissionDenied


@router.get("/policies", response=list[PolicyOut], summary="Company policies")
def policy_list_api(request):
    _require_view(request)
    values = policies.current_values()
    return [_out(d, values[d.key]) for d in policies.definitions()]


@router.get("/policies/{key}", response=PolicyOut, summary="One policy")
def policy_get_api(request, key: str):
    _require_view(request)
    return _out(policies.definition(key), policies.value(key))


@router.patch("/policies/{key}", response=PolicyOut, summary="Change a policy")
def policy_patch_api(request, key: str, payload: PolicyPatchIn):
    value = policies.policy_set(
        key=key, raw_value=payload.value, actor=request.user, note=payload.note
    )
    return _out(policies.definition(key), value)


def _policy_subject(request, key: str) -> Policy:
    _require_view(request)
    policies.definition(key)
    policy = Policy.objects.filter(key=key).first()
    if policy is None:
        policy = Policy(key=key)  # never changed: an empty history
    return policy


add_events_route(router, "/policies", _policy_subject, id_type="str")
