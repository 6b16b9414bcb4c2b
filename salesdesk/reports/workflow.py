"""The report pack lifecycle: queued → generating → ready | failed; ready → superseded (A3)."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.reports.models import PackStatus

GENERATE = "reports.generate_reportpack"
VIEW = "reports.view_reportpack"

PACK = Workflow(
    name="report_pack",
    state_field="status",
    states=PackStatus,
    transitions=(
        Transition(
            "start",
            (PackStatus.QUEUED,),
            PackStatus.GENERATING,
            GENERATE,
            "reportpack.started",
            label=_("start generating"),
        ),
        Transition(
            "finish",
            (PackStatus.GENERATING,),
            PackStatus.READY,
            GENERATE,
            "reportpack.generated",
            label=_("finish"),
        ),
        Transition(
            "fail",
            (PackStatus.GENERATING,),
            PackStatus.FAILED,
            GENERATE,
            "reportpack.failed",
            label=_("mark as failed"),
        ),
        Transition(
            "supersede",
            (PackStatus.READY,),
            PackStatus.SUPERSEDED,
            GENERATE,
            "reportpack.superseded",
            label=_("supersede"),
        ),
    ),
)

VERB_LABELS = {
    "reportpack.requested": _("Report pack requested"),
    "reportpack.started": _("Report pack generation started"),
    "reportpack.generated": _("Report pack generated"),
    "reportpack.failed": _("Report pack generation failed"),
    "reportpack.superseded": _("Report pack superseded by a newer version"),
    "reportpack.delivered": _("Report pack sent to the recipients"),
}
