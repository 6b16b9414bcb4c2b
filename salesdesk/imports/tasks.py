"""Background jobs of imports: load the job by id and run it as its uploader."""

from django_tasks import task

from salesdesk.imports import services


@task()
def import_job_run_task(job_id: int, dry_run: bool) -> str:
    """Check (dry run) or import one uploaded file; returns the job's status afterwards."""
    job = services.import_job_run(job_id=job_id, dry_run=dry_run)
    return job.status if job is not None else "skipped"
