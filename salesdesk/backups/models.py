"""A record of each backup and each verification of it (R2.4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel


class BackupStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class VerifyResult(models.TextChoices):
    NONE = "", _("Not verified")
    RUNNING = "running", _("Verifying")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class BackupTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Back up now")
    COMMAND = "command", _("Command line")
    EXTERNAL = "external", _("Verified file")


class BackupRun(BaseModel):
    """One backup file: when and how it was written, what it holds, whether it verified.

    The status is the job's progress, not a business lifecycle: the service moves it with
    conditional updates (like imports.ImportJob). A pruned run keeps its record; only the
    file is removed by the retention policy.
    """

    trigger = models.CharField(_("started by"), max_length=20, choices=BackupTrigger.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=BackupStatus.choices, default=BackupStatus.RUNNING
    )
    file = models.CharField(_("file"), max_length=500, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), default=0)
    db_vendor = models.CharField(_("database"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    table_count = models.PositiveIntegerField(_("tables"), default=0)
    row_count = models.BigIntegerField(_("rows"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    counts = models.JSONField(_("rows per table"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verify_result = models.CharField(
        _("verify result"), max_length=20, choices=VerifyResult.choices, blank=True, default=""
    )
    verify_report = models.JSONField(_("verify report"), default=list, blank=True)
    pruned_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by user"),
    )

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-started_at", "-id"]
        permissions = [("run_backup", _("Can start and verify backups"))]

    def __str__(self) -> str:
        return f"backup {self.pk} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def file_name(self) -> str:
        return self.file.rsplit("/", 1)[-1]
