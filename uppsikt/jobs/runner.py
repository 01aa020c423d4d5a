"""Starting background jobs and running them with progress, errors and result files.

A job is a django-tasks task whose first argument is the job's id::

    @task()
    def build_report_job(job_id: str, plan_id: int) -> None:
        with running(job_id) as run:
            require(run.user, Perm.VIEW, plan)           # the same rules as the web UI
            data = build_report(plan, progress=run.progress)
            run.attach("delarsrapport.pdf", data)

    job = start_job(build_report_job, kind="report", title="Delårsrapport", user=request.user,
                    unit=plan.unit, plan_id=plan.pk)
    return redirect(job)                                 # the page shows its progress

The worker is ``uppsikt db_worker --queue-name default`` (reports, checks) and another with
``--queue-name imports`` (``IMPORT_QUEUE``: long imports, so they never hold up a report);
``make demo`` starts both beside the web server. A job whose work may safely run again from the
start (it only reads, or writes the same thing again) is started with ``repeatable=True``: if
its worker dies, ``reaper`` queues it again instead of failing it (docs/jobs.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .heartbeat import Heartbeat, worker_identity
from .models import Job

# The queue of long imports; everything else runs on django-tasks' "default" queue.
IMPORT_QUEUE = "imports"

logger = logging.getLogger(__name__)


class JobProgress:
    """Writes progress to a ``Job`` row, at most every ``interval`` seconds."""

    def __init__(self, job_id, interval: float = 0.3, attempt: int | None = None) -> None:
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0
        self._rows = Job.objects.filter(pk=job_id)
        if attempt is not None:  # only while this run is the job's current one
            self._rows = self._rows.filter(status=Job.Status.RUNNING, attempts=attempt)

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        self._rows.update(done=done, total=total, step=message[:300], heartbeat_at=timezone.now())


def start_job(
    task, *, kind: str, title: str, user, unit=None, repeatable: bool = False, **kwargs
) -> Job:
    """Create the job row and put ``task(job_id=…, **kwargs)`` on the queue.

    ``repeatable``: the task may run again from the start after its worker died mid-way.
    """
    job = Job.objects.create(
        kind=kind,
        title=title[:300],
        unit=unit,
        created_by=user if getattr(user, "pk", None) else None,
        repeatable=repeatable,
    )
    result = task.enqueue(job_id=str(job.pk), **kwargs)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.task_result_id = str(result.id)
    return job


@dataclass
class JobRun:
    job: Job
    progress: JobProgress

    @property
    def user(self):
        """Who started the job: the task acts with that person's permissions."""
        if self.job.created_by_id is None:
            return None
        return get_user_model().objects.get(pk=self.job.created_by_id)

    def attach(self, name: str, content: bytes) -> None:
        """Keep a result file, offered for download on the job's page."""
        self.job.result_file.save(name, ContentFile(content), save=False)
        self.job.result_name = name
        Job.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name, result_name=name
        )

    def set_result(self, result: dict) -> None:
        """Keep a summary (JSON) that the job's page shows."""
        self.job.result = result
        Job.objects.filter(pk=self.job.pk).update(result=result)


def describe_error(error: BaseException) -> str:
    """A Swedish message for the job's page: validation errors as they are, others named."""
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("Behörighet saknas.")
    return _("Ett oväntat fel inträffade (%(kind)s). Försök igen eller kontakta förvaltningen.") % {
        "kind": type(error).__name__
    }


@contextmanager
def running(job_id: str) -> Iterator[JobRun]:
    """Mark the job running, and done or failed when the block ends (errors re-raised).

    Meanwhile a heartbeat thread shows the job's worker is alive. Each run counts as an
    attempt; the end is written only if this run is still the job's current one (the reaper
    may have given up on it, or queued it again, after its worker stopped answering).
    """
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=worker_identity(),
        attempts=F("attempts") + 1,
    )
    job = Job.objects.get(pk=job_id)
    current = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)
    run = JobRun(job=job, progress=JobProgress(job.pk, attempt=job.attempts))
    with Heartbeat(current, settings.JOBS_HEARTBEAT_SECONDS):
        try:
            yield run
        except BaseException as error:
            logger.exception("Job %s failed", job_id)
            current.update(
                status=Job.Status.FAILED, error=describe_error(error), finished_at=timezone.now()
            )
            raise
    current.update(status=Job.Status.DONE, finished_at=timezone.now(), done=F("total"))
