"""Inspections by the supervision group: plans with a checklist of requirement IDs, findings
with evidence and corrective actions (整改) with an owner and a due date (E1.1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionPlan(BaseModel):
    """One inspection of how the procedure is followed: scope, period, checklist (E1.1)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead inspector"),
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-period_start", "-pk"]
        permissions = [
            ("inspect", _("Can plan and record inspections")),
            ("view_kpis", _("Can see process KPIs")),
            ("view_team_kpis", _("Can see the process KPIs of own team")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="supervision_plan_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.number


class CheckResult(models.TextChoices):
    OPEN = "open", _("Not checked yet")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    """One requirement ID to check in a plan, with the inspector's result (E1.1)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="checklist")
    requirement = models.CharField(_("requirement"), max_length=10)
    result = models.CharField(
        _("result"), max_length=20, choices=CheckResult.choices, default=CheckResult.OPEN
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "requirement"], name="supervision_checklist_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.requirement}"


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Finding(BaseModel):
    """A deviation found in an inspection, with its evidence (E1.1)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="findings", verbose_name=_("plan")
    )
    requirement = models.CharField(_("requirement"), max_length=10, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"))
    # [{"label": "SO-20260301-0001", "url": "/orders/12/"}]: links to the records concerned.
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Done, awaiting verification")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class CorrectiveAction(BaseModel):
    """整改: what the owner must change by the due date; verified and closed by supervision."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="actions", verbose_name=_("finding")
    )
    description = models.TextField(_("action required"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    result_note = models.TextField(_("what was done"), blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    completed_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_date", "pk"]
        permissions = [
            ("work_correctiveaction", _("Can report own corrective actions as done")),
            ("verify_correctiveaction", _("Can verify and close corrective actions")),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.number
