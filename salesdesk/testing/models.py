"""Test-only models for platform features that no domain model uses yet (tests only)."""

from django.db import models

from salesdesk.core.fields import EncryptedTextField, KeyedHashField


class SecretSample(models.Model):
    """A row with encrypted personal data and a keyed hash for exact search (C3.2)."""

    name = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True, null=True)
    phone_hash = KeyedHashField(source="phone", normalizer="salesdesk.core.crypto.normalize_phone")

    def __str__(self) -> str:
        return f"sample {self.pk}"


class TicketState(models.TextChoices):
    OPEN = "open", "open"
    ACCEPTED = "accepted", "accepted"
    DONE = "done", "done"
    DECLINED = "declined", "declined"


class TicketSample(models.Model):
    """A row with a lifecycle, to test the workflow engine itself (STYLE rule 3)."""

    state = models.CharField(max_length=20, choices=TicketState.choices, default=TicketState.OPEN)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    promised_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ticket {self.pk}"
