"""Model fields for personal data: encrypted at rest, searched through keyed hashes (C3.2).

    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = KeyedHashField(source="phone", normalizer="salesdesk.core.crypto.normalize_phone")

    Contact.objects.filter(hash_match(Contact, "phone", "138 1234 5678"))

The hash field is filled in `pre_save`, so a write that skips `save()` of that field —
`QuerySet.update()`, `bulk_update()` or `save(update_fields=...)` without it — must name
the hash field too or set it itself.
"""

from django import forms
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from salesdesk.core import crypto


def _search_hint(field: models.Field) -> str:
    model = getattr(field, "model", None)
    hashes = [
        other.name
        for other in (model._meta.get_fields() if model else [])
        if isinstance(other, KeyedHashField) and other.source == field.name
    ]
    if hashes:
        return f"filter on {hashes[0]} with hash_match() or keyed_hash() for an exact match"
    return f"add a KeyedHashField with source={field.name!r} for exact matches"


def _refuse_lookup(field: models.Field, lookup: str) -> FieldError:
    owner = f"{field.model.__name__}.{field.name}" if hasattr(field, "model") else field.name
    return FieldError(
        f"{owner} is encrypted and cannot be searched with {lookup!r}: only 'isnull' and "
        f"exact '' work; {_search_hint(field)}"
    )


class EmptyExact(Exact):
    """`field=""` still works on an encrypted field: empty values are stored as they are."""

    def get_prep_lookup(self):
        # None is let through: Django turns `field=None` into an isnull lookup.
        if self.rhs is not None and self.rhs != "":
            raise _refuse_lookup(self.lhs.output_field, "exact")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token under the field-encryption keys; None and "" as is (C3.2)."""

    description = "Text encrypted at rest"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, indexed or a primary key: each "
                    "encryption of the same value differs.",
                    hint="Put unique=True / db_index=True on its KeyedHashField instead.",
                    obj=self,
                    id="salesdesk.E001",
                )
            )
        return errors

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EmptyExact
        raise _refuse_lookup(self, lookup_name)

    def get_transform(self, lookup_name):
        raise _refuse_lookup(self, lookup_name)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def formfield(self, **kwargs):
        # Personal data is short and single-line (names, phones, numbers); pass
        # widget=forms.Textarea for the odd long value such as an address.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class KeyedHashField(models.CharField):
    """The keyed hash of another field's normalised value, for exact search (C3.2)."""

    description = "Keyed hash of another field"

    def __init__(self, *args, source: str, normalizer: crypto.Normalizer = None, **kwargs):
        self.source = source
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in [("max_length", 64), ("editable", False), ("blank", True)]:
            if kwargs.get(key) == default:
                del kwargs[key]
        if kwargs.get("db_index") is True:
            del kwargs["db_index"]
        else:
            kwargs["db_index"] = False
        if kwargs.get("default") == "":
            del kwargs["default"]
        kwargs["source"] = self.source
        if self.normalizer is not None:
            kwargs["normalizer"] = self.normalizer
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    f"KeyedHashField source {self.source!r} is not a field of this model.",
                    obj=self,
                    id="salesdesk.E002",
                )
            )
        try:
            crypto.resolve_normalizer(self.normalizer)
        except ImportError as exc:
            errors.append(
                checks.Error(
                    f"KeyedHashField normalizer {self.normalizer!r} cannot be imported: {exc}",
                    obj=self,
                    id="salesdesk.E003",
                )
            )
        return errors

    def hash_of(self, value: str | None) -> str:
        """The hash this field stores for `value`, to compare against in a filter."""
        return crypto.keyed_hash(value, self.normalizer)

    def pre_save(self, model_instance, add):
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def hash_match(model: type[models.Model], source: str, value: str | None) -> models.Q:
    """A filter for rows whose `source` field equals `value` once normalised; none for no value."""
    for field in model._meta.get_fields():
        if isinstance(field, KeyedHashField) and field.source == source:
            digest = field.hash_of(value)
            return models.Q(**{field.name: digest}) if digest else models.Q(pk__in=[])
    raise FieldError(f"{model.__name__}.{source} has no KeyedHashField to search it by")
