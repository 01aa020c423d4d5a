"""Background tasks of the kolada app: a sync started in the browser ("Synka nu")."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from uppsikt.jobs.models import Job
from uppsikt.jobs.runner import IMPORT_QUEUE, running, start_job
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation

from .sync import JOB_KIND, linked_definitions, require_sync_right, run_sync


@task(queue_name=IMPORT_QUEUE)
def sync_job(job_id: str, organisation_id: int, full: bool) -> None:
    """Sync the organisation as the person who started the job, with progress; a failure
    fails the job with the run's Swedish reason (the run is marked failed too)."""
    with running(job_id) as run:
        organisation = Organisation.objects.get(pk=organisation_id)
        outcome = run_sync(organisation, actor=run.user, full=full, progress=run.progress)
        run.set_result(outcome.to_data())


def start_sync(organisation: Organisation, *, actor: Actor, full: bool = False) -> Job:
    """Put a sync of ``organisation`` on the import queue; its ``Job`` shows the progress."""
    require_sync_right(actor, organisation)
    if not linked_definitions():
        raise ValidationError(
            _(
                "Ingen indikatordefinition är kopplad till en KPI i Kolada ännu: koppla en "
                "KPI till en definition först."
            ),
            code="no_kpis",
        )
    return start_job(
        sync_job,
        kind=JOB_KIND,
        title=_("Kolada-synk för %(name)s") % {"name": organisation},
        user=actor,
        unit=organisation.units.filter(parent__isnull=True).first(),
        repeatable=True,  # reads Kolada and imports in one transaction: safe to run again
        organisation_id=organisation.pk,
        full=full,
    )
