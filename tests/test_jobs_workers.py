"""Jobs survive their workers: heartbeats, dead workers found, queues that do not starve.

The tests at the end run real ``db_worker`` processes (``tests/workers.py``) and kill them
with SIGKILL mid-job.
"""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from uppsikt.budget.tasks import check_import_job
from uppsikt.history.jobs import verify_chain_job
from uppsikt.indicators.tasks import import_measurements_job
from uppsikt.jobs.heartbeat import worker_identity
from uppsikt.jobs.models import Job
from uppsikt.jobs.runner import IMPORT_QUEUE, start_job
from uppsikt.reports.tasks import build_report_job

from .builders import run_queued_jobs
from .job_tasks import count_quickly, wait_for_file
from .workers import BASE_DIR, Workers

pytestmark = pytest.mark.django_db(transaction=True)

LOST = "Jobbet avbröts: bakgrundsprocessen slutade svara"


def as_if_running(job: Job, *, worker: str, silent_for: float, attempts: int = 1) -> Job:
    """The state a worker leaves behind when it dies ``silent_for`` seconds into the job."""
    beat = timezone.now() - datetime.timedelta(seconds=silent_for)
    DBTaskResult.objects.filter(id=job.task_result_id).update(
        status=TaskResultStatus.RUNNING, started_at=beat
    )
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        started_at=beat,
        heartbeat_at=beat,
        worker=worker,
        attempts=attempts,
    )
    return Job.objects.get(pk=job.pk)


def a_pid_that_is_gone() -> int:
    finished = subprocess.Popen(["true"])  # noqa: S607 - a fixed, harmless command
    finished.wait()
    return finished.pid


# -- heartbeats and the reaper, without worker processes ----------------------------------


def test_a_running_job_records_its_worker_and_heartbeat(job_owner):
    job = start_job(count_quickly, kind="test", title="Räkna", user=job_owner, n=2)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.worker == worker_identity() and job.attempts == 1
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at


def test_a_silent_worker_elsewhere_loses_its_job_after_the_timeout(client, job_owner, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    job = start_job(count_quickly, kind="test", title="Import", user=job_owner, n=1)
    as_if_running(job, worker="en-annan-dator:4242", silent_for=30)
    call_command("reap_jobs", verbosity=0)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING  # still within the timeout

    as_if_running(job, worker="en-annan-dator:4242", silent_for=61)
    client.force_login(job_owner)
    data = client.get(f"/jobb/{job.pk}/status.json").json()  # reading it is enough
    assert data["finished"] is True and data["status"] == Job.Status.FAILED
    assert data["error"].startswith(LOST)
    task_result = DBTaskResult.objects.get(id=job.task_result_id)
    assert task_result.status == TaskResultStatus.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert LOST in page and "data-job-status-url" not in page  # the page polls no more


def test_a_dead_process_on_this_host_is_noticed_at_once(job_owner):
    job = start_job(count_quickly, kind="test", title="Import", user=job_owner, n=1)
    host = worker_identity().rpartition(":")[0]
    as_if_running(job, worker=f"{host}:{a_pid_that_is_gone()}", silent_for=0)
    call_command("reap_jobs", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error.startswith(LOST)


def test_a_living_process_keeps_its_job(job_owner):
    job = start_job(count_quickly, kind="test", title="Import", user=job_owner, n=1)
    as_if_running(job, worker=worker_identity(), silent_for=1)
    call_command("reap_jobs", verbosity=0)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_repeatable_job_is_queued_again_and_then_runs(job_owner, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 10
    job = start_job(
        count_quickly, kind="test", title="Rapport", user=job_owner, repeatable=True, n=3
    )
    as_if_running(job, worker="en-annan-dator:1", silent_for=11)
    call_command("reap_jobs", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "startas om" in job.step
    assert DBTaskResult.objects.get(id=job.task_result_id).status == TaskResultStatus.READY
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.DONE, 2, {"antal": 3})


def test_a_repeatable_job_gives_up_after_the_last_attempt(job_owner, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 10
    job = start_job(
        count_quickly, kind="test", title="Rapport", user=job_owner, repeatable=True, n=3
    )
    attempts = settings.JOBS_MAX_ATTEMPTS
    as_if_running(job, worker="en-annan-dator:1", silent_for=11, attempts=attempts)
    call_command("reap_jobs", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith(LOST) and f"{attempts} gånger" in job.error


def test_a_job_whose_task_ended_without_it_is_failed(job_owner):
    job = start_job(count_quickly, kind="test", title="Räkna", user=job_owner, n=1)
    DBTaskResult.objects.filter(id=job.task_result_id).update(status=TaskResultStatus.FAILED)
    call_command("reap_jobs", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "kunde inte startas" in job.error


def test_a_late_worker_does_not_overwrite_the_reapers_verdict(job_owner, settings):
    """A worker thought dead that finishes after all leaves the job as the reaper left it."""
    from uppsikt.jobs.runner import running

    job = start_job(count_quickly, kind="test", title="Import", user=job_owner, n=1)
    with running(str(job.pk)):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="Avbrutet")
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "Avbrutet")


# -- queues --------------------------------------------------------------------------------


def test_imports_have_their_own_queue():
    assert import_measurements_job.queue_name == IMPORT_QUEUE
    assert check_import_job.queue_name == IMPORT_QUEUE
    assert build_report_job.queue_name == verify_chain_job.queue_name == "default"
    queues = settings.TASKS["default"]["QUEUES"]
    serve = (BASE_DIR / "scripts" / "serve.sh").read_text()
    started = set(re.findall(r"\bworker (\w+); done", serve))
    assert started == set(queues) == {"default", IMPORT_QUEUE}


# -- real worker processes -----------------------------------------------------------------


@pytest.fixture
def workers(tmp_path):
    pool = Workers(
        tmp_path,
        UPPSIKT_JOBS_HEARTBEAT_SECONDS="0.2",
        UPPSIKT_JOBS_HEARTBEAT_TIMEOUT="1",
    )
    yield pool
    pool.stop()


def status_of(job: Job) -> str:
    return Job.objects.get(pk=job.pk).status


def test_a_killed_worker_leaves_a_failed_job_with_a_message(client, job_owner, workers, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 2
    settings.JOBS_CHECK_LOCAL_PIDS = False  # only the heartbeat tells
    timeout = datetime.timedelta(seconds=2)
    go = workers.tmp_path / "go"
    job = start_job(wait_for_file, kind="test", title="Import", user=job_owner, path=str(go))
    workers.push()
    worker = workers.start()
    workers.wait_until(lambda: status_of(job) == Job.Status.RUNNING, "the job to start")

    first_beat = Job.objects.get(pk=job.pk).heartbeat_at
    workers.wait_until(
        lambda: Job.objects.get(pk=job.pk).heartbeat_at > first_beat + timeout,
        "heartbeats for longer than the timeout",
    )
    call_command("reap_jobs", verbosity=0)
    assert status_of(job) == Job.Status.RUNNING  # alive: its heartbeat keeps it

    workers.kill(worker)
    workers.pull()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.worker.endswith(f":{worker.pid}")
    workers.wait_until(
        lambda: timezone.now() - Job.objects.get(pk=job.pk).heartbeat_at > timeout,
        "the heartbeat to go stale",
    )
    client.force_login(job_owner)
    page = client.get(job.get_absolute_url()).content.decode()  # reading it is enough
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error.startswith(LOST)
    assert LOST in page and "data-job-status-url" not in page


def test_a_repeatable_job_of_a_killed_worker_is_finished_by_another(job_owner, workers):
    go = workers.tmp_path / "go"
    job = start_job(
        wait_for_file, kind="report", title="Rapport", user=job_owner, repeatable=True, path=str(go)
    )
    workers.push()
    first = workers.start()
    workers.wait_until(lambda: status_of(job) == Job.Status.RUNNING, "the job to start")
    workers.kill(first)
    workers.pull()

    call_command("reap_jobs", verbosity=0)  # the process is gone from this host: no waiting
    assert status_of(job) == Job.Status.QUEUED
    go.touch()
    workers.push()
    second = workers.start()
    workers.wait_until(lambda: status_of(job) == Job.Status.DONE, "the second worker")
    job.refresh_from_db()
    assert job.attempts == 2 and job.worker.endswith(f":{second.pid}")
    assert job.result == {"klar": True}


def test_a_report_runs_while_a_long_import_is_running(job_owner, workers):
    go = workers.tmp_path / "go"
    long_import = start_job(
        wait_for_file.using(queue_name=IMPORT_QUEUE),
        kind="measurements_import",
        title="Stor import",
        user=job_owner,
        path=str(go),
    )
    report = start_job(count_quickly, kind="report", title="Rapport", user=job_owner, n=3)
    workers.push()
    workers.start(IMPORT_QUEUE)
    workers.wait_until(lambda: status_of(long_import) == Job.Status.RUNNING, "the import")
    workers.start("default")
    workers.wait_until(lambda: status_of(report) == Job.Status.DONE, "the report")
    assert status_of(long_import) == Job.Status.RUNNING
    go.touch()
    workers.wait_until(lambda: status_of(long_import) == Job.Status.DONE, "the import to end")


def test_serve_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(Path(BASE_DIR) / "scripts" / "serve.sh")], check=True)  # noqa: S603,S607


@pytest.mark.browser
def test_the_page_of_a_job_whose_worker_died_stops_and_says_so(
    live_server, page, job_owner, settings
):
    from .a11y import assert_accessible

    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    job = start_job(count_quickly, kind="test", title="Stor import", user=job_owner, n=1)
    as_if_running(job, worker="en-annan-dator:4242", silent_for=1)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(job_owner), "url": live_server.url}]
    )
    page.goto(live_server.url + job.get_absolute_url())
    assert page.locator("[data-job-status]").inner_text() == "Pågår"
    assert_accessible(page)
    as_if_running(job, worker="en-annan-dator:4242", silent_for=61)  # the worker went silent
    alert = page.get_by_role("alert")
    alert.wait_for()  # the page's script polled, learnt the job failed, and reloaded
    assert LOST in alert.inner_text()
    assert page.locator("[data-job-status-url]").count() == 0
    assert_accessible(page)


def session_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_the_heartbeat_thread_touches_the_running_job(job_owner):
    import time

    from uppsikt.jobs.heartbeat import Heartbeat

    job = start_job(count_quickly, kind="test", title="Räkna", user=job_owner, n=1)
    rows = Job.objects.filter(pk=job.pk)
    with Heartbeat(rows, 0.05):
        time.sleep(0.3)
    beat = rows.get().heartbeat_at
    assert beat is not None
    time.sleep(0.1)
    assert rows.get().heartbeat_at == beat  # stopped with the block
