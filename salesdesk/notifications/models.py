"""In-app notifications and the e-mail outbox (DESIGN §2, O4.2, S3.1)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesdesk.core.crypto import mask_email
from salesdesk.core.fields import EncryptedTextField
from salesdesk.core.models import BaseModel


class EmailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    """A message to one user inside salesdesk; unread until its recipient marks it read (O4.2)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboundEmail(BaseModel):
    """One e-mail in the outbox; the worker sends it and retries with backoff (DESIGN §2)."""

    # Addresses and text may be a customer's personal data, so they are encrypted (C3.2).
    to = EncryptedTextField(_("to"), help_text=_("E-mail addresses, separated by commas."))
    subject = models.CharField(_("subject"), max_length=250)
    body = EncryptedTextField(_("text"), blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    state = models.CharField(
        _("state"), max_length=20, choices=EmailState.choices, default=EmailState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        permissions = [
            ("send_outboundemail", _("Can send outbound e-mail")),
            ("retry_outboundemail", _("Can retry failed e-mail")),
            ("cancel_outboundemail", _("Can cancel outbound e-mail")),
        ]

    def __str__(self) -> str:
        # Event subject labels are stored in clear, so they never carry the addresses.
        return f"#{self.pk} {self.subject}"[:200]

    @property
    def recipients(self) -> list[str]:
        return [address for address in self.to.split(",") if address]

    @property
    def recipients_masked(self) -> str:
        """For lists and work items: addresses are personal data (C3.3)."""
        return ", ".join(mask_email(address) for address in self.recipients)
