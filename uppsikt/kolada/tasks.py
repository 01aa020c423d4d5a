"""Background tasks of the kolada app: a sync started in the browser ("Synka nu")."""

from django_tasks import task

from uppsikt.jobs.runner import IMPORT_QUEUE, running
from uppsikt.organisations.models import Organisation

from .sync import run_sync


@task(queue_name=IMPORT_QUEUE)
def sync_job(job_id: str, organisation_id: int, full: bool) -> None:
    """Sync the organisation as the person who started the job, with progress; a failure
    fails the job with the run's Swedish reason (the run is marked failed too)."""
    with running(job_id) as run:
        organisation = Organisation.objects.get(pk=organisation_id)
        outcome = run_sync(organisation, actor=run.user, full=full, progress=run.progress)
        run.set_result(outcome.to_data())
