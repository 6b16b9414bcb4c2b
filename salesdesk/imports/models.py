"""An uploaded import file and what checking and importing it found (issue #3, DESIGN §6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


RUNNING_STATUSES = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ImportJob(BaseModel):
    """One file uploaded for import: checked by a dry run, then imported on request.

    The status is the job's progress, not a business lifecycle: the background task moves it
    with conditional updates. Files live in private storage and are served only to the
    uploader by permission-checked views.
    """

    kind = models.CharField(_("kind"), max_length=40)
    upload = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    imported_rows = models.PositiveIntegerField(_("imported rows"), default=0)
    problems = models.JSONField(_("first errors"), default=list, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    report = models.FileField(
        _("error report"), upload_to="imports/%Y/%m/", max_length=255, blank=True
    )
    rejects = models.FileField(
        _("rejected rows"), upload_to="imports/%Y/%m/", max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    started_at = models.DateTimeField(_("import started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES
