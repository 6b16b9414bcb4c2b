"""Refusals of the backup app (R2.4): an unreadable backup, a restore target that holds data."""

from salesdesk.core.errors import Conflict, ValidationFailed


class BackupUnreadable(ValidationFailed):
    """The file is not a salesdesk backup, was made with another key, or was cut or altered."""

    code = "backup_unreadable"


class RestoreTargetNotEmpty(Conflict):
    """A restore only goes into an empty data dir and an empty database; nothing was changed."""

    code = "restore_target_not_empty"


class BackupToolMissing(Conflict):
    """pg_dump/pg_restore are missing or of another major version than the server."""

    code = "backup_tool_missing"
