"""Checksums normalise values so SQLite and PostgreSQL agree on the same data (R2.4)."""

import datetime
import decimal
import uuid

import pytest
from django.db import models

from salesdesk.backups.checksums import compare, normalise

pytestmark = pytest.mark.req("R2.4")
UTC8 = datetime.timezone(datetime.timedelta(hours=8))


@pytest.mark.parametrize(
    ("field", "sqlite_value", "postgresql_value"),
    [
        (
            models.DateTimeField(),
            "2026-11-26 16:00:00.5",
            datetime.datetime(2026, 11, 27, 0, 0, 0, 500000, tzinfo=UTC8),
        ),
        (models.DecimalField(max_digits=12, decimal_places=2), 12.5, decimal.Decimal("12.50")),
        (models.DecimalField(max_digits=12, decimal_places=2), "3", decimal.Decimal("3.00")),
        (models.BooleanField(), 1, True),
        (models.JSONField(), '{"b": 1, "a": "訂單"}', '{"a": "訂單", "b": 1}'),
        (
            models.UUIDField(),
            "12345678123456781234567812345678",
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ),
        (models.DateField(), "2026-11-26", datetime.date(2026, 11, 26)),
        (models.DurationField(), 90_000_000, datetime.timedelta(seconds=90)),
        (models.BinaryField(), b"\x00\xff", memoryview(b"\x00\xff")),
    ],
)
def test_the_same_value_from_either_database_normalises_alike(
    field, sqlite_value, postgresql_value
):
    assert normalise(sqlite_value, field) == normalise(postgresql_value, field)


def test_null_stays_null_and_text_is_kept_as_stored():
    assert normalise(None, models.TextField()) is None
    assert normalise("gAAAAA-token", models.TextField()) == "gAAAAA-token"


def test_compare_names_each_table_and_flags_differences():
    expected = {"a": {"rows": 1, "sha256": "x"}, "b": {"rows": 2, "sha256": "y"}}
    actual = {"a": {"rows": 1, "sha256": "x"}, "b": {"rows": 2, "sha256": "z"}, "c": {}}
    assert [(line["table"], line["ok"]) for line in compare(expected, actual)] == [
        ("a", True),
        ("b", False),
        ("c", False),
    ]
