"""One error family for every refusal (STYLE rule 7).

A DomainError carries a stable snake_case `code`, a message in the user's language and
optional `extra` data. The API renders it as {"code", "message", "extra"} with `status`;
pages show the same message next to the field or as a flash message.
"""

from typing import Any


class DomainError(Exception):
    """A refused request; nothing was changed."""

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        extra: dict | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        self.extra = dict(extra or {})
        if field is not None:
            self.extra.setdefault("field", field)

    @property
    def field(self) -> str | None:
        return self.extra.get("field")

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "extra": self.extra}


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class ValidationFailed(DomainError):
    """Input broke a rule; `extra["fields"]` maps each field to its messages."""

    status = 422
    code = "validation_failed"

    @classmethod
    def from_fields(cls, message: Any, fields: dict[str, list[Any]]) -> "ValidationFailed":
        return cls(
            message,
            extra={"fields": {name: [str(m) for m in msgs] for name, msgs in fields.items()}},
        )


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    """The object's state does not allow this action (STYLE rule 3)."""

    code = "invalid_transition"
