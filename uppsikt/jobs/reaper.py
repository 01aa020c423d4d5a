"""Jobs whose worker died: found by their silence, then failed or queued again.

A running job's worker touches it every few seconds (``heartbeat``). When the worker process
is killed (out of memory, a restart, a crash), nothing marks the job finished, and its page
would say "Pågår" for ever. ``reap_jobs`` finds such jobs:

- a running job not touched for ``JOBS_HEARTBEAT_TIMEOUT`` seconds, or whose worker process
  on this host no longer exists (``JOBS_CHECK_LOCAL_PIDS``), has lost its worker;
- a queued job whose task the queue already finished (the task failed before the job began)
  never started, and never will.

A lost job that is ``repeatable`` goes back to the queue, up to ``JOBS_MAX_ATTEMPTS`` runs;
any other is failed with a message that says what happened. The check runs when a job's page
(or the admin's list) is read and, periodically, from ``uppsikt reap_jobs --every SECONDS``.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .heartbeat import local_process_gone
from .models import Job

logger = logging.getLogger(__name__)

# Recorded as the queue's exception class for a task whose worker died.
WORKER_LOST = "uppsikt.jobs.reaper.WorkerLost"


@dataclass
class Reaped:
    failed: list[Job] = field(default_factory=list)
    requeued: list[Job] = field(default_factory=list)


def lost_message(job: Job) -> str:
    if job.repeatable and job.attempts > 1:
        return _(
            "Jobbet avbröts: bakgrundsprocessen slutade svara, %(count)s gånger i rad. "
            "Starta jobbet igen eller kontakta förvaltningen."
        ) % {"count": job.attempts}
    return _(
        "Jobbet avbröts: bakgrundsprocessen slutade svara medan jobbet pågick. Kontrollera om "
        "något hann sparas innan du startar jobbet igen."
    )


def _task_result(job: Job) -> DBTaskResult | None:
    try:
        return DBTaskResult.objects.filter(id=uuid.UUID(job.task_result_id)).first()
    except ValueError:  # no id, or a backend that keeps no rows
        return None


def worker_lost(job: Job, now: datetime.datetime) -> bool:
    """Whether the running ``job``'s worker has stopped answering."""
    last = job.heartbeat_at or job.started_at or job.created_at
    if now - last > datetime.timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT):
        return True
    return settings.JOBS_CHECK_LOCAL_PIDS and local_process_gone(job.worker)


def _requeue(job: Job, task_result: DBTaskResult) -> bool:
    with transaction.atomic():
        moved = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts
        ).update(
            status=Job.Status.QUEUED,
            done=0,
            total=0,
            step=_("Bakgrundsprocessen slutade svara; jobbet står i kö och startas om."),
            worker="",
            heartbeat_at=None,
        )
        if moved:
            DBTaskResult.objects.filter(pk=task_result.pk).update(
                status=TaskResultStatus.READY, started_at=None, finished_at=None
            )
    return bool(moved)


def _fail(job: Job, status: str, message: str, task_result: DBTaskResult | None) -> bool:
    now = timezone.now()
    with transaction.atomic():
        moved = Job.objects.filter(pk=job.pk, status=status, attempts=job.attempts).update(
            status=Job.Status.FAILED, error=message, finished_at=now
        )
        if moved and task_result is not None:
            DBTaskResult.objects.filter(
                pk=task_result.pk, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=message,
            )
    return bool(moved)


def _reap_running(job: Job, now: datetime.datetime, reaped: Reaped) -> None:
    if not worker_lost(job, now):
        return
    task_result = _task_result(job)
    repeat = (
        job.repeatable
        and job.attempts < settings.JOBS_MAX_ATTEMPTS
        and task_result is not None
        and task_result.status == TaskResultStatus.RUNNING
    )
    if repeat and task_result is not None and _requeue(job, task_result):
        logger.warning("Job %s lost its worker %s; queued again", job.pk, job.worker)
        reaped.requeued.append(job)
    elif not repeat and _fail(job, Job.Status.RUNNING, lost_message(job), task_result):
        logger.warning("Job %s lost its worker %s; failed", job.pk, job.worker)
        reaped.failed.append(job)


def _reap_queued(job: Job, now: datetime.datetime, reaped: Reaped) -> None:
    task_result = _task_result(job)
    if task_result is None:
        return
    if task_result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        message = _("Jobbet kunde inte startas. Starta det igen eller kontakta förvaltningen.")
        if _fail(job, Job.Status.QUEUED, message, None):
            reaped.failed.append(job)
        return
    # Claimed by a worker that died before the job began: nothing ran, so it may run again.
    timeout = datetime.timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT)
    started = task_result.started_at
    if task_result.status == TaskResultStatus.RUNNING and started and now - started > timeout:
        DBTaskResult.objects.filter(pk=task_result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        reaped.requeued.append(job)


def reap_job(job: Job) -> Job:
    """Check one job (its page is being read); the job as it is now."""
    if job.finished:
        return job
    reaped = Reaped()
    if job.status == Job.Status.RUNNING:
        _reap_running(job, timezone.now(), reaped)
    else:
        _reap_queued(job, timezone.now(), reaped)
    if reaped.failed or reaped.requeued:
        job.refresh_from_db()
    return job


def reap_jobs() -> Reaped:
    """Check every unfinished job; what was failed and what was queued again."""
    reaped = Reaped()
    now = timezone.now()
    for job in Job.objects.filter(status__in=[Job.Status.RUNNING, Job.Status.QUEUED]):
        if job.status == Job.Status.RUNNING:
            _reap_running(job, now, reaped)
        else:
            _reap_queued(job, now, reaped)
    return reaped
