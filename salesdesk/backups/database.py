"""The database side of a backup (R2.4): a consistent snapshot, a scratch copy, a restore.

SQLite: the online backup API copies the live file in one step under one read
transaction, so writers continuing meanwhile (WAL) never tear the copy. PostgreSQL: one
REPEATABLE READ transaction exports its snapshot; `pg_dump --snapshot` dumps exactly that
snapshot while the checksums are read inside the same transaction. Connection details go
to pg_dump/pg_restore through PG* environment variables, never on the command line.
"""

import copy
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, transaction
from django.db.utils import load_backend
from django.utils.translation import gettext_lazy as _

from salesdesk.backups import checksums
from salesdesk.backups.errors import BackupToolMissing, RestoreTargetNotEmpty

SQLITE_NAME = "salesdesk.sqlite3"
ARCNAMES = {"sqlite": "database/salesdesk.sqlite3", "postgresql": "database/salesdesk.pgdump"}


@dataclass
class Snapshot:
    path: Path
    arcname: str
    vendor: str
    tables: dict = field(default_factory=dict)
    migrations: list = field(default_factory=list)


def vendor() -> str:
    return connections["default"].vendor


@contextmanager
def temporary_alias(**overrides) -> Iterator[str]:
    """A second connection like the default one (another file or database name), on this
    thread only; it is not added to the configured databases."""
    alias = f"backups_{uuid.uuid4().hex[:12]}"
    config = copy.deepcopy(connections["default"].settings_dict)
    config.update(overrides)
    connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(str(source), timeout=30)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)  # pages=-1: the whole file in one step, one consistent read
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _summarise(path: Path) -> tuple[dict, list]:
    with temporary_alias(NAME=str(path)) as alias:
        return checksums.database_summary(alias), checksums.migration_state(alias)


def sqlite_target(data_dir: Path | None) -> Path:
    """Where a restore writes the SQLite file: the data dir's, or the configured one."""
    if data_dir is not None:
        return data_dir / SQLITE_NAME
    return Path(connections["default"].settings_dict["NAME"])


def _sqlite_has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
    finally:
        db.close()


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_settings() -> dict:
    return connections["default"].settings_dict


def _pg_env(database: str) -> dict[str, str]:
    settings = _pg_settings()
    env = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGDATABASE": database,
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode", ""),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _server_major() -> int:
    connection = connections["default"]
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore of the server's major version, or a clear refusal."""
    major = _server_major()
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if not candidate.exists():
            continue
        output = subprocess.run(  # noqa: S603 (our own path, no shell)
            [str(candidate), "--version"], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"\)\s*(\d+)", output)
        if match and int(match.group(1)) == major:
            return str(candidate)
    raise BackupToolMissing(
        _("%(tool)s for PostgreSQL %(major)s is not installed; install the client tools.")
        % {"tool": name, "major": major}
    )


def _run(args: list[str], database: str) -> None:
    # No shell; the password travels in PGPASSWORD, never in the arguments.
    done = subprocess.run(  # noqa: S603
        args, env=_pg_env(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _pg_restore(dump: Path, database: str) -> None:
    restore = pg_tool("pg_restore")
    args = [restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run([*args, "--dbname", database, str(dump)], database)


def _pg_has_tables(alias: str = "default") -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0] > 0


def _pg_snapshot(workdir: Path) -> Snapshot:
    dump = workdir / "salesdesk.pgdump"
    pg_dump = pg_tool("pg_dump")
    database = _pg_settings()["NAME"]
    with temporary_alias() as alias, transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", "--snapshot", snapshot_id, "--file", str(dump)], database)
        tables, migrations = checksums.database_summary(alias), checksums.migration_state(alias)
    return Snapshot(dump, ARCNAMES["postgresql"], "postgresql", tables, migrations)


# --- both ---------------------------------------------------------------------------------


def snapshot(workdir: Path) -> Snapshot:
    """A consistent copy of the database in `workdir` with its counts and checksums."""
    if vendor() == "postgresql":
        return _pg_snapshot(workdir)
    copy_path = workdir / SQLITE_NAME
    _sqlite_copy(Path(connections["default"].settings_dict["NAME"]), copy_path)
    tables, migrations = _summarise(copy_path)
    return Snapshot(copy_path, ARCNAMES["sqlite"], "sqlite", tables, migrations)


def check_vendor(backup_vendor: str) -> None:
    if backup_vendor != vendor():
        raise RestoreTargetNotEmpty(
            _("This backup is of a %(backup)s database; the configured database is %(current)s.")
            % {"backup": backup_vendor, "current": vendor()},
            code="backup_vendor_mismatch",
        )


def target_has_data(data_dir: Path | None) -> bool:
    """Whether the database a restore would write into already holds tables."""
    if vendor() == "postgresql":
        return _pg_has_tables()
    return _sqlite_has_tables(sqlite_target(data_dir))


@contextmanager
def scratch(db_file: Path) -> Iterator[str]:
    """An alias on a throw-away database restored from `db_file`, dropped afterwards."""
    if vendor() != "postgresql":
        with temporary_alias(NAME=str(db_file)) as alias:
            yield alias
        return
    name = f"{_pg_settings()['NAME']}_verify_{uuid.uuid4().hex[:8]}"[-63:]
    quoted = connections["default"].ops.quote_name(name)
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        _pg_restore(db_file, name)
        with temporary_alias(NAME=name) as alias:
            yield alias
    finally:
        with connections["default"]._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def install(db_file: Path, data_dir: Path | None) -> Path | str:
    """Put the restored database in place; the target was checked to be empty."""
    if vendor() == "postgresql":
        _pg_restore(db_file, _pg_settings()["NAME"])
        connections["default"].close()
        return _pg_settings()["NAME"]
    target = sqlite_target(data_dir)
    if data_dir is None:
        connections["default"].close()  # it may hold the empty file this replaces
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(db_file, target)
    return target


def installed_summary(data_dir: Path | None) -> dict:
    """Counts and checksums of the database just restored."""
    if vendor() == "postgresql":
        with temporary_alias() as alias:
            return checksums.database_summary(alias)
    return _summarise(sqlite_target(data_dir))[0]
