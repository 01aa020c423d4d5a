"""Background tasks of the indicators app: importing a file of measurements."""

from django.core.files.storage import default_storage
from django_tasks import task

from uppsikt.jobs.runner import IMPORT_QUEUE, running

from .importers import import_file


# Not repeatable: a run cut short may have saved the measurements before its worker died.
@task(queue_name=IMPORT_QUEUE)
def import_measurements_job(
    job_id: str, path: str, filename: str, format: str, skip_bad_rows: bool
) -> None:
    """Import an uploaded file (kept in storage at ``path``) as the user who started the job.

    A refused file is kept so the user can choose to import it skipping the bad rows; an
    imported one is deleted.
    """
    with running(job_id) as run:
        with default_storage.open(path, "rb") as upload:
            data = upload.read()
        report = import_file(
            data=data,
            filename=filename,
            format=format or None,
            actor=run.user,
            skip_bad_rows=skip_bad_rows,
            progress=run.progress,
        )
        result = report.to_data()  # the first problems; error_count counts them all
        result["upload"] = path if not report.imported else ""
        run.set_result(result)
        if report.imported:
            default_storage.delete(path)
