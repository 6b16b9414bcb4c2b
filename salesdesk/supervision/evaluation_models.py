"""Evaluation runs (E2.3, E3.1): a stored snapshot of every KPI per person, team and
department for a period, the commendations and corrective measures recorded against it, and
the process-improvement log linking findings to the changes made.

Imported by `SupervisionConfig.ready()`; the rows are copies, never recomputed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesdesk.core.models import BaseModel
from salesdesk.supervision.models import CorrectiveAction, Finding


class RunKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    AD_HOC = "ad_hoc", _("Ad hoc")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTED = "computed", _("Computed")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class EvaluationRun(BaseModel):
    """One evaluation of a period (E2.3): scheduled (monthly, quarterly) or ad hoc."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RunKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-period_start", "-pk"]
        permissions = [
            ("run_evaluation", _("Can run evaluations and record commendations and measures")),
            ("publish_evaluation", _("Can publish and archive evaluations")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="supervision_evaluation_period_order",
            ),
            # A scheduled run exists once per period: the schedule is idempotent (E2.3).
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=~models.Q(kind="ad_hoc"),
                name="supervision_evaluation_scheduled_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Scope(models.TextChoices):
    PERSON = "person", _("Person")
    TEAM = "team", _("Team")
    DEPARTMENT = "department", _("Department")


class EvaluationResult(models.Model):
    """One KPI value of one person, team or department as it was when the run was computed."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="results")
    kpi_key = models.CharField(_("KPI"), max_length=80)
    kpi_label = models.CharField(_("KPI name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(_("direction"), max_length=10)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    group_key = models.IntegerField(_("group"), null=True, blank=True)
    group_label = models.CharField(_("name"), max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=24, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=24, decimal_places=4, null=True)
    p90 = models.DecimalField(_("p90"), max_digits=24, decimal_places=4, null=True)
    count = models.IntegerField(_("records"), default=0)
    target = models.DecimalField(_("target"), max_digits=24, decimal_places=4)
    met = models.BooleanField(_("met"), null=True)

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["run", "scope", "kpi_key", "group_label", "pk"]
        indexes = [models.Index(fields=["run", "scope", "person"])]

    def __str__(self) -> str:
        return f"{self.run_id} {self.kpi_key} {self.group_label}"


class MeasureKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation")
    CORRECTIVE = "corrective_measure", _("Corrective measure")


class EvaluationMeasure(BaseModel):
    """A commendation or corrective measure recorded against a result (E3.1)."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="measures")
    result = models.ForeignKey(
        EvaluationResult, on_delete=models.PROTECT, related_name="measures", null=True
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    kpi_key = models.CharField(_("KPI"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=MeasureKind.choices)
    note = models.TextField(_("note"))
    corrective_action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrective action"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("commendation or corrective measure")
        verbose_name_plural = _("commendations and corrective measures")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"


class ChangeKind(models.TextChoices):
    POLICY = "policy", _("Policy change")
    PROCEDURE = "procedure", _("Procedure change")


class ProcessImprovement(BaseModel):
    """A process change made because of a finding (E3.1): a policy's old and new value, or
    the procedure change in words, with the requirement IDs it affects."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="improvements", verbose_name=_("finding")
    )
    change_kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    policy_key = models.CharField(_("policy"), max_length=100, blank=True)
    old_value = models.CharField(_("old value"), max_length=500, blank=True)
    new_value = models.CharField(_("new value"), max_length=500, blank=True)
    description = models.TextField(_("description"))
    requirements = models.JSONField(_("requirements affected"), default=list, blank=True)
    changed_on = models.DateField(_("changed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("process improvement")
        verbose_name_plural = _("process improvements")
        ordering = ["-changed_on", "-pk"]
        permissions = [("log_improvement", _("Can record process improvements"))]

    def __str__(self) -> str:
        return self.number
