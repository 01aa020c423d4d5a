"""Background tasks of the indicators app: importing a file of measurements, and
recomputing derived indicators after a large import."""

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from uppsikt.jobs.models import Job
from uppsikt.jobs.runner import IMPORT_QUEUE, running, start_job

from . import derived
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


# Repeatable: a recompute brings the stored values to what the inputs give, so a run cut
# short is completed by running it again from the start.
@task(queue_name=IMPORT_QUEUE)
def recompute_job(job_id: str, order: list[int]) -> None:
    """Recompute the derived definitions ``order`` (inputs first) for every organisation."""
    with running(job_id) as run:
        reports = derived.recompute(order)
        run.set_result(
            {
                "written": sum(r.created + r.changed + r.withdrawn for r in reports),
                "refused": sum(1 for r in reports if not r.imported),
            }
        )


def start_recompute(order: Sequence[int]) -> Job:
    """Put the recompute of ``order`` on the import queue (after a large import)."""
    return start_job(
        recompute_job,
        kind="derived",
        title=_("Beräkning av härledda indikatorer"),
        user=None,
        repeatable=True,
        order=list(order),
    )


def on_values_changed(
    sender: Any, definition_ids: Iterable[int], rows: int = 0, **kwargs: Any
) -> None:
    """Receiver of the import's ``values_changed`` (connected in ``IndicatorsConfig.ready``):
    an import wrote ``rows`` values of ``definition_ids``. The derived indicators that use
    them are recomputed as the import commits (``derived.recompute_after``), or, from
    ``settings.DERIVED_INLINE_ROWS`` values on, by a background job, so a national file's
    import is not held up by them."""
    if rows < settings.DERIVED_INLINE_ROWS or derived.recomputing():
        derived.recompute_after(definition_ids)
        return
    order = derived.recompute_order(set(definition_ids), derived.graph())
    if order:
        transaction.on_commit(partial(start_recompute, order), robust=True)
