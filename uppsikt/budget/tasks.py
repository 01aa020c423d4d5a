"""Background work: checking an uploaded file (reading a big SIE file takes a while)."""

from django.utils.translation import gettext as _
from django_tasks import task

from uppsikt.jobs.models import Job
from uppsikt.jobs.runner import IMPORT_QUEUE, running, start_job

from .actions import run_import_check
from .models import BudgetImport

JOB_KIND = "budget_import"


@task(queue_name=IMPORT_QUEUE)
def check_import_job(job_id: str, import_id: int) -> None:
    with running(job_id) as run:
        budget_import = BudgetImport.objects.select_related("table__unit").get(pk=import_id)
        run_import_check(budget_import, actor=run.user, progress=run.progress)
        run.set_result(
            {
                "import": budget_import.pk,
                "url": budget_import.get_absolute_url(),
                "status": budget_import.status,
                "fel": budget_import.problem_count,
                "andringar": len(budget_import.changes),
            }
        )


def start_import_check(budget_import: BudgetImport, *, user) -> Job:
    """Queue the check of a staged file; the import page follows it."""
    job = start_job(
        check_import_job,
        kind=JOB_KIND,
        title=_("Kontroll av %(file)s för %(table)s")
        % {"file": budget_import.file_name, "table": budget_import.table},
        user=user,
        unit=budget_import.table.unit,
        repeatable=True,  # reads the file and writes the same findings again
        import_id=budget_import.pk,
    )
    BudgetImport.objects.filter(pk=budget_import.pk).update(job=job)
    budget_import.job = job
    return job
