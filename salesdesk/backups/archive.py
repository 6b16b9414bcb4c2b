"""The backup file (R2.4, decision 0011): an encrypted stream around a gzip-compressed tar.

    database/salesdesk.sqlite3 | database/salesdesk.pgdump   the database snapshot
    files/<path>                                               the uploaded files (media)
    secrets/hash_key, secrets/field_keys                       what the data needs to be read
    manifest.json                                              written last, see manifest()

Everything is streamed: neither writing nor reading holds more than a chunk in memory.
Reading never lets a member choose where it lands: only the names above are accepted.
"""

import hashlib
import json
import os
import tarfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import salesdesk
from salesdesk.backups.database import Snapshot
from salesdesk.backups.errors import BackupUnreadable
from salesdesk.backups.stream import DecryptingReader, EncryptingWriter
from salesdesk.core import crypto

FORMAT = 1
MANIFEST = "manifest.json"
COPY_BUFFER = 1 << 20


class _HashingReader:
    def __init__(self, source: BinaryIO) -> None:
        self.source, self.digest, self.size = source, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def media_files(media_root: Path) -> list[Path]:
    """Every regular file under the media root, sorted; links are neither followed nor kept."""
    if not media_root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(media_root):
        dirs.sort()
        paths = (Path(folder, name) for name in sorted(names))
        found.extend(path for path in paths if path.is_file() and not path.is_symlink())
    return found


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def manifest(snap: Snapshot, files: dict[str, dict]) -> dict:
    """What a restore checks against: version, migrations, tables, files."""
    return {
        "format": FORMAT,
        "salesdesk_version": salesdesk.__version__,
        "created_at": timezone.now().isoformat(),
        "db_vendor": snap.vendor,
        "database": snap.arcname,
        "migrations": snap.migrations,
        "tables": snap.tables,
        "files": files,
    }


def write(target: BinaryIO, snap: Snapshot, media_root: Path) -> dict:
    """Write the whole backup to `target`; returns its manifest."""
    writer = EncryptingWriter(target, crypto.field_keys()[0])
    with tarfile.open(fileobj=writer, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
        _add_file(tar, snap.arcname, snap.path)
        files = {}
        for path in media_files(media_root):
            relative = path.relative_to(media_root).as_posix()
            files[relative] = _add_file(tar, f"files/{relative}", path)
        _add_bytes(tar, "secrets/hash_key", settings.FIELD_HASH_KEY.encode())
        _add_bytes(tar, "secrets/field_keys", "\n".join(crypto.field_keys()).encode())
        result = manifest(snap, files)
        _add_bytes(tar, MANIFEST, json.dumps(result, indent=1, ensure_ascii=False).encode())
    writer.close()
    return result


@dataclass
class Extracted:
    """What reading a backup produced; files sit in `root` only when asked for."""

    root: Path
    manifest: dict = field(default_factory=dict)
    database: Path | None = None
    file_hashes: dict[str, dict] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)


def _damaged(reason) -> BackupUnreadable:
    return BackupUnreadable(reason, extra={"field": "file"})


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise _damaged(_("The backup holds a file with an unsafe name: %(name)s") % {"name": name})
    return path


def _copy(source: BinaryIO, target: BinaryIO | None) -> dict:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(COPY_BUFFER):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _store(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path | None) -> dict:
    source = tar.extractfile(member)
    if path is None:
        return _copy(source, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        return _copy(source, handle)


def read(source: BinaryIO, root: Path, *, keep_files: bool) -> Extracted:
    """Decrypt and unpack into `root`, checking every file against the manifest."""
    reader = DecryptingReader(source, crypto.field_keys())
    result = Extracted(root=root)
    try:
        with tarfile.open(fileobj=reader, mode="r|gz") as tar:
            for member in tar:
                _read_member(tar, member, result, keep_files=keep_files)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise _damaged(_("The backup's contents cannot be unpacked.")) from exc
    reader.drain()
    _check_contents(result)
    return result


def _read_member(tar, member, result: Extracted, *, keep_files: bool) -> None:
    name = _safe_name(member.name)
    if member.isdir():
        return
    if not member.isfile():
        message = _("The backup holds something that is not a file: %(name)s")
        raise _damaged(message % {"name": name})
    top = name.parts[0]
    if top == "database" and len(name.parts) == 2:
        result.database = result.root / name.name
        _store(tar, member, result.database)
    elif top == "files" and len(name.parts) > 1:
        relative = PurePosixPath(*name.parts[1:]).as_posix()
        target = result.root / "files" / relative if keep_files else None
        result.file_hashes[relative] = _store(tar, member, target)
    elif top == "secrets" and len(name.parts) == 2:
        result.secrets[name.name] = tar.extractfile(member).read().decode()
    elif str(name) == MANIFEST:
        result.manifest = json.loads(tar.extractfile(member).read().decode())
    else:
        raise _damaged(_("The backup holds an unexpected file: %(name)s") % {"name": name})


def _check_contents(result: Extracted) -> None:
    manifest_data = result.manifest
    if manifest_data.get("format") != FORMAT or result.database is None:
        raise _damaged(_("The backup has no manifest or no database."))
    if manifest_data.get("files", {}) != result.file_hashes:
        raise _damaged(_("The backup's files do not match its manifest."))
