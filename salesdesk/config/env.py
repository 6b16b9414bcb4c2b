"""Configuration from environment variables, refused at start when a value is bad.

Every error names the variable and the rule, so an operator can fix the right thing.
Secrets that are not given by the environment are generated once into the data dir
with mode 0600 and read back on every later start.
"""

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str) -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {value!r}")


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from None
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(
            f"{name}: expected a number from {minimum} to {maximum}, got {number}"
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}: expected one of {', '.join(sorted(choices))}, got {value!r}"
        )
    return value


def env_currency(name: str, default: str) -> str:
    """An ISO 4217 currency code: three capital letters such as CNY, HKD or USD."""
    value = env_str(name, default)
    if re.fullmatch(r"[A-Z]{3}", value) is None:
        raise ImproperlyConfigured(
            f"{name}: expected a three-letter currency code such as CNY, got {value!r}"
        )
    return value


def data_dir() -> Path:
    """The directory for the SQLite database, keys, mail and media (SALESDESK_DATA_DIR)."""
    path = Path(env_str("SALESDESK_DATA_DIR", "var")).expanduser().resolve()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"SALESDESK_DATA_DIR: cannot create {path}: {exc}") from None
    if not os.access(path, os.W_OK):
        raise ImproperlyConfigured(f"SALESDESK_DATA_DIR: {path} is not writable")
    return path


def write_secret_file(path: Path, content: str) -> None:
    """Write a secret readable by the owner only (0600), replacing any previous file."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.replace(tmp, path)
    os.chmod(path, 0o600)


def secret(name: str, path: Path, generate) -> str:
    """A secret from the environment variable `name`, else from `path`, else generated there."""
    value = _raw(name)
    if value is not None:
        return value
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    value = generate()
    write_secret_file(path, value + "\n")
    return value


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def database(base: Path) -> dict:
    """DATABASE_URL (sqlite:/// or postgres://); default SQLite in the data dir, WAL mode."""
    url = _raw("DATABASE_URL") or f"sqlite:///{base / 'salesdesk.sqlite3'}"
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL: expected a sqlite:/// or postgres:// URL, got scheme {scheme!r}"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiles each analytics query again (40 ms measured) for queries that run in
        # 10–50 ms once the cells are read by index: off for our connections.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # IMMEDIATE transactions take the write lock up front, so two writers queue on
            # the busy timeout instead of failing to upgrade a read lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
        }
    return config
