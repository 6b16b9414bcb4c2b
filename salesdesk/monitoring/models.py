"""Early warnings raised by the monitoring checks, and each indicator's run record (R3.1)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel

MEASURE = {"max_digits": 18, "decimal_places": 2}
TREND_LENGTH = 12
RUN_HISTORY_LENGTH = 96  # a day of 15-minute runs


class Level(models.TextChoices):
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


LIVE_STATUSES = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)
SEVERITY = {Level.WARNING: 1, Level.CRITICAL: 2}


class EarlyWarning(BaseModel):
    """One indicator beyond its threshold for one subject; at most one live per pair (R3.1).

    The checks update `value`, `trend` and `level` on every run; people acknowledge it and
    close it with a note. A warning whose value falls back keeps its place until closed
    (`cleared_at` says since when it is back within the threshold).
    """

    indicator = models.CharField(_("indicator"), max_length=60, db_index=True)
    subject_key = models.CharField(_("subject key"), max_length=120)
    subject_label = models.CharField(_("subject"), max_length=200)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    subject_url = models.CharField(_("link"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    value = models.DecimalField(_("value"), **MEASURE)
    threshold = models.DecimalField(_("threshold"), **MEASURE)
    # The last values measured, oldest first: [[iso time, "value"], ...] (TREND_LENGTH kept).
    trend = models.JSONField(_("trend"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_warnings",
        verbose_name=_("owner"),
    )
    owner_role = models.CharField(_("owner role"), max_length=40, blank=True)
    first_seen_at = models.DateTimeField(_("raised at"))
    due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last measured"))
    cleared_at = models.DateTimeField(_("back within threshold since"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-last_seen_at", "-pk"]
        permissions = [
            ("view_all_warnings", _("Can see every early warning")),
            ("acknowledge_warning", _("Can acknowledge early warnings")),
            ("close_warning", _("Can close early warnings")),
            ("run_monitoring", _("Can run the monitoring checks")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "subject_key"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="monitoring_one_live_warning",
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(closed_at__isnull=True),
                name="monitoring_closed_at_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level"]),
            models.Index(fields=["indicator", "status"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["owner_role", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.subject_label}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def trend_values(self) -> list[str]:
        return [value for _at, value in self.trend]


class IndicatorState(models.Model):
    """The last runs of one indicator: the row each run locks, and its run history (R3.1)."""

    code = models.CharField(_("indicator"), max_length=60, unique=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_status = models.CharField(_("last run status"), max_length=10, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # [{"at", "observed", "warning", "critical", "opened", "max"}, ...], newest last.
    runs = models.JSONField(_("runs"), default=list, blank=True)

    class Meta:
        verbose_name = _("indicator state")
        verbose_name_plural = _("indicator states")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
