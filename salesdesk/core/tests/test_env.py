"""Configuration from the environment is checked at start (issue #2 item 3)."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from salesdesk.config import env


@pytest.mark.parametrize(
    ("name", "value", "reader"),
    [
        ("SALESDESK_DEBUG", "maybe", lambda: env.env_bool("SALESDESK_DEBUG", False)),
        (
            "SALESDESK_PORT_X",
            "eighty",
            lambda: env.env_int("SALESDESK_PORT_X", 1, minimum=1, maximum=9),
        ),
        (
            "SALESDESK_PORT_X",
            "99",
            lambda: env.env_int("SALESDESK_PORT_X", 1, minimum=1, maximum=9),
        ),
        ("SALESDESK_LANGUAGE", "fr", lambda: env.env_choice("SALESDESK_LANGUAGE", "en", {"en"})),
        ("DATABASE_URL", "mysql://x@y/z", lambda: env.database(env.Path("/tmp"))),
    ],
)
def test_bad_values_are_refused_naming_the_variable(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_sqlite_defaults_to_wal_and_immediate_transactions(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database(tmp_path)
    assert config["NAME"] == str(tmp_path / "salesdesk.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_postgres_url_is_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/salesdesk")
    config = env.database(tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "salesdesk"
    assert config["OPTIONS"]["options"] == "-c jit=off"


def test_postgres_options_of_the_url_are_kept(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/salesdesk?sslmode=disable"
    )
    config = env.database(tmp_path)
    assert config["OPTIONS"] == {"sslmode": "disable", "options": "-c jit=off"}


def test_secret_is_generated_once_with_mode_0600(monkeypatch, tmp_path):
    monkeypatch.delenv("SALESDESK_X_SECRET", raising=False)
    path = tmp_path / "x_secret"
    first = env.secret("SALESDESK_X_SECRET", path, env.new_secret_key)
    second = env.secret("SALESDESK_X_SECRET", path, env.new_secret_key)
    assert first == second and len(first) > 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_from_environment_wins_and_is_not_written(monkeypatch, tmp_path):
    monkeypatch.setenv("SALESDESK_X_SECRET", "from-env")
    path = tmp_path / "x_secret"
    assert env.secret("SALESDESK_X_SECRET", path, env.new_secret_key) == "from-env"
    assert not path.exists()


def test_start_is_refused_with_a_clear_message(tmp_path):
    """A real start: `salesdesk check` exits non-zero and names the bad variable."""
    result = subprocess.run(
        [sys.executable, "-m", "salesdesk", "check"],
        env={
            **os.environ,
            "SALESDESK_DATA_DIR": str(tmp_path),
            "SALESDESK_DEBUG": "perhaps",
            "DJANGO_SETTINGS_MODULE": "salesdesk.config.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SALESDESK_DEBUG: expected true or false, got 'perhaps'" in result.stderr


def test_first_start_generates_keys_in_data_dir(tmp_path):
    env_vars = {k: v for k, v in os.environ.items() if not k.startswith("SALESDESK_")}
    result = subprocess.run(
        [sys.executable, "-m", "salesdesk", "check"],
        env={
            **env_vars,
            "SALESDESK_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "salesdesk.config.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in ("secret_key", "field_keys", "hash_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_the_wsgi_application_loads_the_urls_when_the_worker_starts():
    """A gunicorn worker's first request does not pay for importing the URLs and building
    the API (1 s measured): loading the WSGI module does."""
    import importlib

    from django.urls import clear_url_caches, get_resolver

    from salesdesk.config import wsgi

    clear_url_caches()
    assert "url_patterns" not in get_resolver().__dict__
    importlib.reload(wsgi)
    assert "url_patterns" in get_resolver().__dict__
