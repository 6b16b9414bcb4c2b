"""The daily credit-score run, as the system user (R1.2)."""

from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.risk.services import credit_scores_recompute


@task()
def credit_scores_recompute_task() -> int:
    return credit_scores_recompute(actor=system_user())
