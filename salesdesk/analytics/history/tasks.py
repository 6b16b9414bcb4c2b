"""Background job of the history import's web upload (A1.1)."""

from django_tasks import task

from salesdesk.analytics.history import jobs


@task()
def history_job_run_task(job_id: int, dry_run: bool) -> str:
    """Check (dry run) or import one uploaded history; returns the job's status afterwards."""
    job = jobs.history_job_run(job_id=job_id, dry_run=dry_run)
    return job.status if job is not None else "skipped"
