"""Readable labels for event verbs; apps register theirs beside their workflows."""

from typing import Any

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Any] = {
    "user.created": _("User created"),
    "user.roles_granted": _("Roles granted"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "policy.changed": _("Policy changed"),
}


def register(verb: str, label: Any) -> None:
    _LABELS[verb] = label


def label(verb: str) -> Any:
    return _LABELS.get(verb, verb)


def known() -> dict[str, Any]:
    return dict(_LABELS)
