"""Row counts and checksums per table, the same on SQLite and PostgreSQL (R2.4).

A table's checksum is SHA-256 over its rows in primary-key order, each row written as
one JSON line of its columns in model order. Values are normalised by the column's
Django type (datetimes in UTC with microseconds, decimals at their places, JSON with
sorted keys, UUIDs as hex, booleans as true/false), and text keys sort by code point on
both vendors (COLLATE "C" on PostgreSQL), so the same data gives the same checksum.
Values are read as stored: encrypted fields are hashed as ciphertext, never decrypted.
Rows are read in key-ordered batches, so memory does not grow with the table.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils.dateparse import parse_datetime, parse_duration

BATCH = 2000
_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "FilePathField"}


def _base_field(field: models.Field) -> models.Field:
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field
    return field


def tables(alias: str = "default") -> list[tuple[str, type[models.Model]]]:
    """(table, model) for every model table present in the database, sorted by table name."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    found: dict[str, type[models.Model]] = {"django_migrations": MigrationRecorder.Migration}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.db_table not in existing or meta.pk is None:
            continue
        found.setdefault(meta.db_table, model)
    return sorted((table, model) for table, model in found.items() if table in existing)


def _datetime(value: Any) -> str:
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def _decimal(value: Any, field: models.Field) -> str:
    if isinstance(value, float):
        value = decimal.Context(prec=field.max_digits or 28).create_decimal_from_float(value)
    number = decimal.Decimal(str(value))
    if field.decimal_places is not None:
        number = number.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
    return str(number)


def _json(value: Any) -> str:
    if isinstance(value, bytes | str):
        value = json.loads(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _duration(value: Any) -> int:
    if isinstance(value, str):
        value = parse_duration(value)
    if isinstance(value, datetime.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    return int(value)


def normalise(value: Any, field: models.Field) -> Any:
    """A stored column value as the same JSON value whichever database it came from."""
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind in ("BooleanField", "NullBooleanField"):
        return bool(value)
    if kind == "DateTimeField":
        return _datetime(value)
    if kind in ("DateField", "TimeField"):
        return value if isinstance(value, str) else value.isoformat()
    if kind == "DecimalField":
        return _decimal(value, field)
    if kind == "JSONField":
        return _json(value)
    if kind == "UUIDField":
        return uuid.UUID(str(value)).hex
    if kind == "BinaryField":
        return bytes(value).hex()
    if kind == "FloatField":
        return repr(float(value))
    if kind == "DurationField":
        return _duration(value)
    if isinstance(value, bool | int):
        return int(value)
    return str(value)


def _rows(alias: str, model: type[models.Model], fields: list[models.Field]):
    connection = connections[alias]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    collate = ""
    if connection.vendor == "postgresql" and _base_field(pk).get_internal_type() in _TEXT_TYPES:
        collate = ' COLLATE "C"'
    key = quote(pk.column) + collate
    # Only quoted names from the models go into the SQL; the key value is a parameter.
    columns = ", ".join(quote(f.column) for f in fields)
    select = f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608
    key_index = [f.column for f in fields].index(pk.column)
    last = None
    with connection.cursor() as cursor:
        while True:
            where = "" if last is None else f" WHERE {key} > %s"
            cursor.execute(
                f"{select}{where} ORDER BY {key} LIMIT {BATCH}", [] if last is None else [last]
            )
            rows = cursor.fetchall()
            yield from rows
            if len(rows) < BATCH:
                return
            last = rows[-1][key_index]


def table_summary(alias: str, model: type[models.Model]) -> dict[str, Any]:
    """{"rows": count, "sha256": hex} of one table."""
    fields = [_base_field(f) if f.is_relation else f for f in model._meta.local_concrete_fields]
    columns = list(model._meta.local_concrete_fields)
    digest = hashlib.sha256()
    count = 0
    for row in _rows(alias, model, columns):
        values = [normalise(value, field) for value, field in zip(row, fields, strict=True)]
        digest.update(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def database_summary(alias: str = "default") -> dict[str, dict[str, Any]]:
    """Counts and checksums of every table, keyed by table name."""
    return {table: table_summary(alias, model) for table, model in tables(alias)}


def migration_state(alias: str = "default") -> list[str]:
    """The applied migrations as sorted "app.name" strings."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def compare(expected: dict[str, dict], actual: dict[str, dict]) -> list[dict[str, Any]]:
    """One line per table: expected and found rows and whether the checksums match."""
    report = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        report.append(
            {
                "table": table,
                "expected_rows": want["rows"] if want else None,
                "rows": got["rows"] if got else None,
                "ok": bool(want and got and want == got),
            }
        )
    return report
