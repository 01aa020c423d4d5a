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

The worker is ``uppsikt db_worker``; ``make demo`` starts one beside the web server.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)


class JobProgress:
    """Writes progress to a ``Job`` row, at most every ``interval`` seconds."""

    def __init__(self, job_id, interval: float = 0.3) -> None:
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        Job.objects.filter(pk=self.job_id).update(done=done, total=total, step=message[:300])


def start_job(task, *, kind: str, title: str, user, unit=None, **kwargs) -> Job:
    """Create the job row and put ``task(job_id=…, **kwargs)`` on the queue."""
    job = Job.objects.create(
        kind=kind,
        title=title[:300],
        unit=unit,
        created_by=user if getattr(user, "pk", None) else None,
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
    """Mark the job running, and done or failed when the block ends (errors re-raised)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job = Job.objects.get(pk=job_id)
    run = JobRun(job=job, progress=JobProgress(job.pk))
    try:
        yield run
    except BaseException as error:
        logger.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=describe_error(error), finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, finished_at=timezone.now(), done=F("total")
    )
