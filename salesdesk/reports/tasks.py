"""Background jobs of report packs: generate one pack, and the daily schedule (A3.1, A3.2)."""

from django_tasks import task

from salesdesk.accounts.services import system_user
from salesdesk.reports import services


@task()
def reportpack_generate_task(pack_id: int) -> str:
    """Generate one requested pack as the system user; returns its status afterwards."""
    pack = services.reportpack_generate(pack_id=pack_id, actor=system_user())
    return pack.status if pack is not None else "skipped"


@task()
def reports_daily_task() -> int:
    """Generate and deliver the packs of the periods just ended, once each (A3.2)."""
    return len(services.reports_run_scheduled())
