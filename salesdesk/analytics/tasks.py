"""Background jobs of analytics: the fact refresh, run every five minutes by the scheduler."""

from django_tasks import task

from salesdesk.analytics.services import facts_refresh_changed


@task()
def facts_refresh_task() -> int:
    """Bring facts and rollup up to date with orders changed since the last run (A1.1)."""
    return facts_refresh_changed()
