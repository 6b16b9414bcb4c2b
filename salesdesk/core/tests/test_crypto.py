"""Encrypted personal data: storage, keyed-hash search, masking and key rotation (C3.2)."""

import io
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from salesdesk.core import crypto
from salesdesk.core.fields import KeyedHashField, hash_match
from salesdesk.core.management.commands import rotatekeys
from salesdesk.testing.models import SecretSample

pytestmark = pytest.mark.req("C3.2")


@pytest.fixture
def fresh_cipher():
    crypto.reset_cipher()
    yield
    crypto.reset_cipher()


@pytest.fixture
def keys_file(settings, tmp_path, fresh_cipher):
    """A keys file of one key in a private directory, used instead of the data dir's."""
    path = tmp_path / "field_keys"
    path.write_text(Fernet.generate_key().decode() + "\n")
    path.chmod(0o600)
    settings.FIELD_ENCRYPTION_KEYS_FILE = path
    settings.FIELD_ENCRYPTION_KEYS_FROM_ENV = False
    crypto.reset_cipher()
    return path


@pytest.fixture
def env_keys(settings, tmp_path, fresh_cipher):
    """Keys from SALESDESK_FIELD_KEYS, with an unrelated keys file that must stay untouched."""
    key = Fernet.generate_key().decode()
    path = tmp_path / "field_keys"
    path.write_text(key + "\n")
    settings.FIELD_ENCRYPTION_KEYS = [key]
    settings.FIELD_ENCRYPTION_KEYS_FILE = path
    settings.FIELD_ENCRYPTION_KEYS_FROM_ENV = True
    crypto.reset_cipher()
    return key


def raw_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, phone, phone_hash FROM testing_secretsample ORDER BY id")
        return cursor.fetchall()


def file_keys(path) -> list[str]:
    return path.read_text().split()


def make_samples() -> list[SecretSample]:
    return [
        SecretSample.objects.create(name="王小明", phone="138 1234 5678"),
        SecretSample.objects.create(name="Alice Chen", phone="+1 650 253 0000"),
        SecretSample.objects.create(name="李四", phone=None),
    ]


def test_database_rows_hold_no_plaintext(db):
    sample = SecretSample.objects.create(name="王小明", phone="13812345678")

    [(pk, name, phone, phone_hash)] = raw_rows()

    assert pk == sample.pk
    assert "王小明" not in name and "13812345678" not in phone
    assert name.startswith("gAAAAA") and phone.startswith("gAAAAA")
    assert phone_hash == crypto.keyed_hash("13812345678", crypto.normalize_phone)
    assert len(phone_hash) == 64 and "13812345678" not in phone_hash


@pytest.mark.parametrize(
    "value", ["王小明", "Alice Chen", "+86 138-1234-5678", "a\x00b", "🙂 ☎", "x" * 5000]
)
def test_values_round_trip_through_the_database(db, value):
    sample = SecretSample.objects.create(name=value, phone=value)

    loaded = SecretSample.objects.get(pk=sample.pk)

    assert (loaded.name, loaded.phone) == (value, value)
    assert list(SecretSample.objects.values_list("name", flat=True)) == [value]


def test_empty_values_are_stored_as_they_are(db):
    sample = SecretSample.objects.create(name="", phone=None)

    assert raw_rows() == [(sample.pk, "", None, "")]
    loaded = SecretSample.objects.get(pk=sample.pk)
    assert (loaded.name, loaded.phone, loaded.phone_hash) == ("", None, "")


@given(st.text())
def test_encrypt_then_decrypt_gives_back_any_text(text):
    token = crypto.encrypt(text)

    assert crypto.decrypt(token) == text
    assert token != text


def test_decrypt_with_wrong_keys_names_the_keys(db, keys_file):
    foreign = Fernet(Fernet.generate_key()).encrypt(b"13812345678").decode()

    with pytest.raises(crypto.FieldKeyError, match=r"keys in .*field_keys are wrong"):
        crypto.decrypt(foreign)


def test_reading_a_row_under_an_unknown_key_raises_field_key_error(db):
    sample = SecretSample.objects.create(name="王小明")
    foreign = Fernet(Fernet.generate_key()).encrypt(b"x").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testing_secretsample SET name = %s", [foreign])

    with pytest.raises(crypto.FieldKeyError, match="No field-encryption key can decrypt"):
        SecretSample.objects.get(pk=sample.pk)


@pytest.mark.parametrize(
    "search", ["138 1234 5678", "+86 13812345678", "0086-138-1234-5678", "13812345678"]
)
def test_exact_search_by_keyed_hash_ignores_phone_format(db, search):
    wanted = SecretSample.objects.create(name="王小明", phone="138 1234 5678")
    SecretSample.objects.create(name="李四", phone="13912345678")

    assert list(SecretSample.objects.filter(hash_match(SecretSample, "phone", search))) == [wanted]
    digest = crypto.keyed_hash(search, crypto.normalize_phone)
    assert list(SecretSample.objects.filter(phone_hash=digest)) == [wanted]


def test_searching_for_no_value_matches_nothing(db):
    SecretSample.objects.create(name="李四", phone=None)

    assert SecretSample.objects.filter(hash_match(SecretSample, "phone", "")).count() == 0
    assert SecretSample.objects.filter(hash_match(SecretSample, "phone", None)).count() == 0


def test_saving_a_new_phone_updates_its_hash(db):
    sample = SecretSample.objects.create(name="王小明", phone="13812345678")

    sample.phone = "13900000000"
    sample.save()

    assert raw_rows()[0][3] == crypto.keyed_hash("+86 139 0000 0000", crypto.normalize_phone)
    assert (
        SecretSample.objects.filter(hash_match(SecretSample, "phone", "13812345678")).count() == 0
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("138 1234 5678", "+8613812345678"),
        ("+86 13812345678", "+8613812345678"),
        ("(010) 1234-5678", "+861012345678"),
        ("+1 650 253 0000", "+16502530000"),
        ("123", "123"),
        ("tel: 1-2", "12"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_phone(value, expected):
    assert crypto.normalize_phone(value) == expected


def test_normalize_email_and_hash_of_empty_values():
    assert crypto.normalize_email("  Wang.XiaoMing@Example.COM ") == "wang.xiaoming@example.com"
    assert crypto.keyed_hash(" A@B.cn", crypto.normalize_email) == crypto.keyed_hash(
        "a@b.cn", "salesdesk.core.crypto.normalize_email"
    )
    assert crypto.keyed_hash("", crypto.normalize_phone) == ""
    assert crypto.keyed_hash(None) == ""
    assert crypto.keyed_hash("abc", crypto.normalize_phone) == ""


@pytest.mark.parametrize(
    "lookup", ["icontains", "contains", "startswith", "iexact", "in", "gt", "regex"]
)
def test_refuses_lookups_other_than_isnull_and_empty(db, lookup):
    SecretSample.objects.create(name="王小明", phone="13812345678")

    with pytest.raises(
        FieldError, match=f"SecretSample.phone is encrypted .*'{lookup}'.*phone_hash"
    ):
        list(
            SecretSample.objects.filter(
                **{f"phone__{lookup}": ["138"] if lookup == "in" else "138"}
            )
        )


def test_refuses_exact_match_on_a_value_and_transforms(db):
    with pytest.raises(FieldError, match="cannot be searched with 'exact'"):
        SecretSample.objects.filter(phone="13812345678").count()
    with pytest.raises(FieldError, match="cannot be searched with 'lower'"):
        SecretSample.objects.filter(name__lower__exact="x").count()
    with pytest.raises(FieldError, match="add a KeyedHashField with source='name'"):
        SecretSample.objects.filter(name__contains="x").count()


def test_allows_isnull_and_empty_lookups(db):
    SecretSample.objects.create(name="", phone=None)
    SecretSample.objects.create(name="王小明", phone="13812345678")

    assert SecretSample.objects.filter(phone__isnull=True).count() == 1
    assert SecretSample.objects.filter(phone=None).count() == 1
    assert SecretSample.objects.filter(name="").count() == 1
    assert SecretSample.objects.exclude(name="").count() == 1


def test_fields_deconstruct_for_migrations():
    phone_hash = SecretSample._meta.get_field("phone_hash")
    name = SecretSample._meta.get_field("name")

    _, path, args, kwargs = phone_hash.deconstruct()
    assert path == "salesdesk.core.fields.KeyedHashField" and args == []
    assert kwargs == {"source": "phone", "normalizer": "salesdesk.core.crypto.normalize_phone"}
    clone = phone_hash.clone()
    assert (clone.max_length, clone.db_index, clone.editable, clone.default) == (
        64,
        True,
        False,
        "",
    )
    assert name.deconstruct()[1:] == (
        "salesdesk.core.fields.EncryptedTextField",
        [],
        {"blank": True},
    )
    assert KeyedHashField(source="x", db_index=False).deconstruct()[3] == {
        "source": "x",
        "db_index": False,
    }


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (crypto.mask_phone, "13812345678", "138****5678"),
        (crypto.mask_phone, "138 1234 5678", "138****5678"),
        (crypto.mask_phone, "12345", "***45"),
        (crypto.mask_phone, "", ""),
        (crypto.mask_email, "wang.xiaoming@example.com", "w***@example.com"),
        (crypto.mask_email, "not-an-address", "n***"),
        (crypto.mask_email, None, ""),
        (crypto.mask_name, "王小明", "王**"),
        (crypto.mask_name, "Alice Chen", "A*********"),
        (crypto.mask_name, "王", "*"),
        (crypto.mask_name, "", ""),
        (crypto.mask_account, "6222021234567890123", "****0123"),
        (crypto.mask_account, "6222 0212 3456 7890 123", "****0123"),
        (crypto.mask_account, "123", "****"),
        (crypto.mask_account, None, ""),
    ],
)
def test_masking(mask, value, expected):
    assert mask(value) == expected


def test_rotatekeys_puts_a_new_key_first_and_reencrypts(db, keys_file):
    [old_key] = file_keys(keys_file)
    samples = make_samples()
    before = raw_rows()
    out = io.StringIO()

    call_command("rotatekeys", batch_size=2, stdout=out)

    keys = file_keys(keys_file)
    assert len(keys) == 2 and keys[1] == old_key and keys[0] != old_key
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert "testing.SecretSample: 3 rows re-encrypted" in out.getvalue()
    after = raw_rows()
    newest = Fernet(keys[0].encode())
    for (_, *old_values), (_, name, phone, phone_hash) in zip(before, after, strict=True):
        assert name != old_values[0] and newest.decrypt(name.encode())
        assert phone is None if old_values[1] is None else phone != old_values[1]
        assert phone_hash == old_values[2]
    crypto.reset_cipher()
    loaded = SecretSample.objects.order_by("pk")
    assert [(s.name, s.phone) for s in loaded] == [(s.name, s.phone) for s in samples]


def test_rotatekeys_retire_old_leaves_only_the_new_key(db, keys_file):
    samples = make_samples()

    call_command("rotatekeys", retire_old=True, stdout=io.StringIO())

    [key] = file_keys(keys_file)
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    only_newest = Fernet(key.encode())
    assert all(only_newest.decrypt(row[1].encode()) for row in raw_rows())
    crypto.reset_cipher()
    loaded = SecretSample.objects.order_by("pk")
    assert [(s.name, s.phone) for s in loaded] == [(s.name, s.phone) for s in samples]


def test_retire_old_refuses_while_a_value_uses_an_old_key(db, keys_file, monkeypatch):
    make_samples()
    before = raw_rows()
    # As if a process that was not restarted wrote these values with the old key.
    monkeypatch.setattr(rotatekeys, "reencrypt_model", lambda model, fields, size: 0)

    with pytest.raises(CommandError, match="5 values still use an old key"):
        call_command("rotatekeys", retire_old=True, stdout=io.StringIO())

    assert len(file_keys(keys_file)) == 2
    assert raw_rows() == before


def test_rotatekeys_rolls_back_a_model_with_an_unreadable_value(db, keys_file):
    SecretSample.objects.create(name="王小明")
    bad = SecretSample.objects.create(name="x")
    foreign = Fernet(Fernet.generate_key()).encrypt(b"x").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testing_secretsample SET name = %s WHERE id = %s", [foreign, bad.pk])
    before = raw_rows()

    with pytest.raises(CommandError, match=f"testing.SecretSample #{bad.pk} name: No field-enc"):
        call_command("rotatekeys", batch_size=1, stdout=io.StringIO())

    assert raw_rows() == before
    assert len(file_keys(keys_file)) == 2


def test_rotatekeys_refuses_keys_from_the_environment(db, env_keys, settings):
    make_samples()
    before_rows, before_file = raw_rows(), settings.FIELD_ENCRYPTION_KEYS_FILE.read_bytes()

    with pytest.raises(CommandError, match=r"SALESDESK_FIELD_KEYS.*--reencrypt-only"):
        call_command("rotatekeys", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--retire-old cannot change SALESDESK_FIELD_KEYS"):
        call_command("rotatekeys", reencrypt_only=True, retire_old=True, stdout=io.StringIO())

    assert raw_rows() == before_rows
    assert settings.FIELD_ENCRYPTION_KEYS_FILE.read_bytes() == before_file
    assert crypto.field_keys() == [env_keys]


def test_reencrypt_only_uses_the_first_environment_key(db, env_keys, settings):
    samples = make_samples()
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, env_keys]
    crypto.reset_cipher()

    call_command("rotatekeys", reencrypt_only=True, stdout=io.StringIO())

    only_newest = Fernet(new_key.encode())
    assert all(only_newest.decrypt(row[1].encode()) for row in raw_rows())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    crypto.reset_cipher()
    loaded = SecretSample.objects.order_by("pk")
    assert [(s.name, s.phone) for s in loaded] == [(s.name, s.phone) for s in samples]
