"""The evaluation run lifecycle (E2.3): draft → computed → published → archived. Data only."""

from django.utils.translation import gettext_lazy as _

from salesdesk.core.workflow import Transition, Workflow
from salesdesk.supervision.evaluation_models import RunStatus as S

RUN = "supervision.run_evaluation"
PUBLISH = "supervision.publish_evaluation"
LOG_IMPROVEMENT = "supervision.log_improvement"
VIEW_RUNS = "supervision.view_evaluationrun"
VIEW_IMPROVEMENTS = "supervision.view_processimprovement"

EVALUATION = Workflow(
    name="evaluation_run",
    state_field="status",
    states=S,
    transitions=(
        Transition("compute", (S.DRAFT,), S.COMPUTED, RUN, "evaluation.computed", _("Compute")),
        Transition(
            "publish", (S.COMPUTED,), S.PUBLISHED, PUBLISH, "evaluation.published", _("Publish")
        ),
        Transition(
            "archive",
            (S.COMPUTED, S.PUBLISHED),
            S.ARCHIVED,
            PUBLISH,
            "evaluation.archived",
            _("Archive"),
        ),
    ),
)
