"""Backup fixtures: the order fixtures, a private backup directory, a file in the media."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection

from salesdesk.core.models import Policy
from salesdesk.orders.tests.conftest import customer, make_order, products  # noqa: F401


@pytest.fixture
def backup_dir(tmp_path, system_user):
    directory = tmp_path / "backups"
    Policy.objects.update_or_create(
        key="backups.directory", defaults={"value": str(directory), "updated_by": system_user}
    )
    return directory


@pytest.fixture
def media_file():
    path = settings.MEDIA_ROOT / "attachments" / "2026" / "11" / "報價單.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 quotation " * 100)
    return path


def set_policy(key, value, actor):
    Policy.objects.update_or_create(key=key, defaults={"value": value, "updated_by": actor})


@contextmanager
def empty_database():
    """On PostgreSQL, the default connection points at a new, empty database inside the block
    (a restore's target); on SQLite a restore with a data dir has its own file already."""
    if connection.vendor != "postgresql":
        yield
        return
    original = connection.settings_dict["NAME"]
    quoted = connection.ops.quote_name(f"{original}_restore")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    connection.close()
    connection.settings_dict["NAME"] = f"{original}_restore"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
