"""`salesdesk restore`: a backup into an empty data dir and an empty database (R2.4).

A target that holds tables or uploaded files is refused before anything is read or
written. The backup is unpacked into a staging folder inside the target first, every
file checked against the manifest (and, on SQLite, every table's count and checksum),
and only then moved into place; a damaged backup leaves the target as it was.
"""

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from salesdesk.backups import archive, checksums, database
from salesdesk.backups.errors import BackupUnreadable, RestoreTargetNotEmpty
from salesdesk.config import env
from salesdesk.core import crypto
from salesdesk.core.errors import ValidationFailed

logger = logging.getLogger(__name__)


@dataclass
class RestoreOutcome:
    database: str
    files: int
    report: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(line["ok"] for line in self.report)


def media_target(data_dir: Path | None) -> Path:
    return data_dir / "media" if data_dir is not None else Path(settings.MEDIA_ROOT)


def _holds_files(folder: Path) -> bool:
    return folder.exists() and any(not path.is_dir() for path in folder.rglob("*"))


def refusal(data_dir: Path | None) -> str | None:
    """Why the target is not empty, or None when a restore may go ahead."""
    if database.target_has_data(data_dir):
        return _(
            "The database already holds tables: restore only into an empty database "
            "(a new data dir, or a new PostgreSQL database). Nothing was changed."
        )
    media = media_target(data_dir)
    if _holds_files(media):
        return _(
            "%(path)s already holds uploaded files: restore only into an empty data dir. "
            "Nothing was changed."
        ) % {"path": media}
    return None


def _move_files(source: Path, target: Path) -> int:
    moved = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_dir():
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, destination)
        moved += 1
    return moved


def _merge_keys(root: Path, backup_keys: list[str]) -> list[str]:
    if settings.FIELD_ENCRYPTION_KEYS_FROM_ENV:
        missing = [key for key in backup_keys if key not in crypto.field_keys()]
        if missing:
            return [
                _(
                    "The backup holds %(count)s older field-encryption key(s) that "
                    "SALESDESK_FIELD_KEYS lacks; add them (see secrets/field_keys in the backup) "
                    "or values encrypted under them cannot be read."
                )
                % {"count": len(missing)}
            ]
        return []
    path = root / "field_keys"
    existing = crypto.parse_keys(path.read_text(encoding="utf-8")) if path.exists() else []
    merged = list(dict.fromkeys([*existing, *crypto.field_keys(), *backup_keys]))
    if merged != existing:
        env.write_secret_file(path, "\n".join(merged) + "\n")
    return []


def _restore_secrets(secrets: dict[str, str], root: Path) -> list[str]:
    """The hash key the data was indexed with, and any field keys the data may need."""
    warnings = []
    hash_key = secrets.get("hash_key", "").strip()
    if hash_key and env._raw("SALESDESK_HASH_KEY") is not None:
        if hash_key != settings.FIELD_HASH_KEY:
            warnings.append(
                _(
                    "SALESDESK_HASH_KEY differs from the backup's hash key: exact search on "
                    "encrypted fields finds restored values only with the backup's key."
                )
            )
    elif hash_key:
        env.write_secret_file(root / "hash_key", hash_key + "\n")
    return warnings + _merge_keys(root, crypto.parse_keys(secrets.get("field_keys", "")))


def _check_staged(extracted: archive.Extracted) -> None:
    if database.vendor() == "postgresql":
        return  # checked once restored: pg_restore needs a database to read the dump into
    with database.temporary_alias(NAME=str(extracted.database)) as alias:
        report = checksums.compare(extracted.manifest["tables"], checksums.database_summary(alias))
    if not all(line["ok"] for line in report):
        raise BackupUnreadable(
            _("The backup's database does not match its manifest; nothing was restored.")
        )


def backup_restore(*, path: Path, data_dir: Path | None = None) -> RestoreOutcome:
    """Restore `path`; refuses a non-empty target and changes nothing then (R2.4)."""
    if not Path(path).is_file():
        raise ValidationFailed(_("No backup file at %(path)s.") % {"path": path}, field="file")
    data_dir = data_dir.resolve() if data_dir is not None else None
    reason = refusal(data_dir)
    if reason:
        raise RestoreTargetNotEmpty(reason)
    root = data_dir or Path(settings.DATA_DIR)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".restore-"))
    try:
        with open(path, "rb") as source:
            extracted = archive.read(source, staging, keep_files=True)
        database.check_vendor(extracted.manifest["db_vendor"])
        _check_staged(extracted)
        reason = refusal(data_dir)  # something may have started writing meanwhile
        if reason:
            raise RestoreTargetNotEmpty(reason)
        target = database.install(extracted.database, data_dir)
        if isinstance(target, Path):
            os.chmod(target, 0o600)
        files = _move_files(staging / "files", media_target(data_dir))
        warnings = _restore_secrets(extracted.secrets, root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = checksums.compare(extracted.manifest["tables"], database.installed_summary(data_dir))
    logger.info("backup %s restored into %s (%s files)", path, target, files)
    return RestoreOutcome(str(target), files, report, warnings)
