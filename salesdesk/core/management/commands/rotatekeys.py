"""`salesdesk rotatekeys`: a new field-encryption key, every encrypted value re-encrypted (C3.2)."""

from collections.abc import Iterator

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Case, ExpressionWrapper, F, Value, When

from salesdesk.config.env import write_secret_file
from salesdesk.core import crypto
from salesdesk.core.fields import EncryptedTextField

NEW_KEY_HINT = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Each installed model with its own encrypted columns (inherited ones stay with the parent)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [
            field
            for field in model._meta.local_concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if fields:
            found.append((model, fields))
    return found


def _token_batches(
    model: type[models.Model], fields: list[EncryptedTextField], size: int, *, lock: bool
) -> Iterator[list[tuple]]:
    """(pk, token, token, ...) rows in pk order; tokens are read as stored, never decrypted."""
    raw = {
        f"rotatekeys_token_{index}": ExpressionWrapper(F(field.name), models.TextField())
        for index, field in enumerate(fields)
    }
    last_pk = None
    while True:
        query = model._base_manager.order_by("pk")
        if lock:
            query = query.select_for_update()
        if last_pk is not None:
            query = query.filter(pk__gt=last_pk)
        rows = list(query.annotate(**raw).values_list("pk", *raw)[:size])
        if not rows:
            return
        yield rows
        last_pk = rows[-1][0]


def _rotate(model: type[models.Model], pk, field: EncryptedTextField, token: str) -> str:
    try:
        return crypto.rotate(token)
    except crypto.FieldKeyError as exc:
        raise CommandError(f"{model._meta.label} #{pk} {field.name}: {exc}") from None


def reencrypt_model(model: type[models.Model], fields: list[EncryptedTextField], size: int) -> int:
    """Re-encrypt every value of `fields` under the newest key in one transaction; rows changed."""
    changed = 0
    with transaction.atomic():
        for rows in _token_batches(model, fields, size, lock=True):
            updates = {}
            for index, field in enumerate(fields, start=1):
                # Plain TextField values: the new tokens are written as they are, not encrypted.
                whens = [
                    When(
                        pk=row[0],
                        then=Value(_rotate(model, row[0], field, row[index]), models.TextField()),
                    )
                    for row in rows
                    if row[index]
                ]
                if whens:
                    updates[field.name] = Case(
                        *whens, default=F(field.name), output_field=models.TextField()
                    )
            if updates:
                model._base_manager.filter(pk__in=[row[0] for row in rows]).update(**updates)
                changed += sum(1 for row in rows if any(row[1:]))
    return changed


def count_under_old_keys(
    model: type[models.Model], fields: list[EncryptedTextField], newest: Fernet, size: int
) -> int:
    """How many stored values the newest key alone cannot read."""
    stale = 0
    for rows in _token_batches(model, fields, size, lock=False):
        for token in (token for row in rows for token in row[1:] if token):
            try:
                newest.extract_timestamp(token.encode("ascii"))
            except (InvalidToken, UnicodeEncodeError):
                stale += 1
    return stale


class Command(BaseCommand):
    help = (
        "Put a new field-encryption key first in the keys file and re-encrypt every encrypted "
        "value with it; old keys are kept unless --retire-old."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retire-old",
            action="store_true",
            help="Drop the old keys from the keys file once every value uses the newest key.",
        )
        parser.add_argument(
            "--reencrypt-only",
            action="store_true",
            help="Keep the keys as they are; re-encrypt every value with the first key.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows read and written per query."
        )

    def handle(self, *, retire_old: bool, reencrypt_only: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self._refuse_environment_keys(retire_old=retire_old, reencrypt_only=reencrypt_only)
        crypto.reset_cipher()
        crypto.cipher()  # refuse bad keys before anything is written
        keys = crypto.field_keys()
        if not reencrypt_only:
            keys = [Fernet.generate_key().decode("ascii"), *keys]
            self._write_keys(keys)
            self.stdout.write(
                f"Added a new key first in {settings.FIELD_ENCRYPTION_KEYS_FILE} "
                f"({len(keys)} keys now)."
            )
        crypto.reset_cipher()
        for model, fields in encrypted_fields():
            count = reencrypt_model(model, fields, batch_size)
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        if retire_old:
            self._retire(keys, batch_size)
        self.stdout.write(
            "Restart the web app and the job worker so that they encrypt with the newest key."
        )

    def _refuse_environment_keys(self, *, retire_old: bool, reencrypt_only: bool) -> None:
        if not settings.FIELD_ENCRYPTION_KEYS_FROM_ENV:
            return
        if not reencrypt_only:
            raise CommandError(
                f"The field-encryption keys come from {crypto.KEYS_VARIABLE}, which this "
                f"command cannot change. Put a new key first in {crypto.KEYS_VARIABLE} "
                "(comma-separated, the old keys after it), restart salesdesk, then run "
                f"`salesdesk rotatekeys --reencrypt-only`. Make a key with: {NEW_KEY_HINT}"
            )
        if retire_old:
            raise CommandError(
                f"--retire-old cannot change {crypto.KEYS_VARIABLE}: run "
                "`salesdesk rotatekeys --reencrypt-only`, then remove the old keys from "
                f"{crypto.KEYS_VARIABLE} yourself."
            )

    def _write_keys(self, keys: list[str]) -> None:
        write_secret_file(settings.FIELD_ENCRYPTION_KEYS_FILE, "\n".join(keys) + "\n")
        crypto.reset_cipher()

    def _retire(self, keys: list[str], batch_size: int) -> None:
        newest = crypto.fernet(keys[0])
        stale = sum(
            count_under_old_keys(model, fields, newest, batch_size)
            for model, fields in encrypted_fields()
        )
        if stale:
            raise CommandError(
                f"{stale} values still use an old key (written by a process that was not "
                "restarted?), so the old keys were kept. Restart salesdesk, then run "
                "`salesdesk rotatekeys --reencrypt-only --retire-old`."
            )
        self._write_keys(keys[:1])
        self.stdout.write(f"Retired {len(keys) - 1} old keys; 1 key left.")
