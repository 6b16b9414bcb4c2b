"""Background jobs of backups: load the run by id and call a service (R2.4)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.backups import services
from salesdesk.backups.models import BackupRun, BackupTrigger


@task()
def backup_run_task(run_id: int) -> str:
    """Write the backup a person started with "Back up now"."""
    run = BackupRun.objects.select_related("created_by").get(pk=run_id)
    try:
        run = services.backup_create(actor=run.created_by, trigger=BackupTrigger.MANUAL, run=run)
    except Exception:  # recorded on the run, logged and told to the IT admins
        return "failed"
    return run.status


@task()
def backup_verify_task(run_id: int, user_id: int) -> str:
    """Verify a backup as the person who pressed "Verify"."""
    actor = get_user_model().objects.get(pk=user_id)
    return services.backup_verify(actor=actor, run_id=run_id).verify_result


@task()
def backup_scheduled_task() -> str:
    """Every 15 minutes: the daily backup when its time has come (policy backups.daily_at)."""
    try:
        run = services.backup_scheduled(actor=system_user())
    except Exception:  # recorded on the run, logged and told to the IT admins
        return "failed"
    return run.status if run is not None else "not due"
