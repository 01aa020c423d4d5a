"""Background jobs: the real database queue and worker, progress, results and access."""

import io

import pytest
from django.core.exceptions import ValidationError
from django_tasks import task

from uppsikt.jobs.models import Job
from uppsikt.jobs.runner import running, start_job
from uppsikt.lib.progress import TerminalProgress

from .builders import run_queued_jobs, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@task()
def count_to(job_id: str, n: int) -> None:
    with running(job_id) as run:
        for i in range(1, n + 1):
            run.progress(i, n, f"Steg {i}")
        run.attach("tal.txt", " ".join(str(i) for i in range(1, n + 1)).encode())
        run.set_result({"antal": n})


@task()
def refuse(job_id: str) -> None:
    with running(job_id):
        raise ValidationError("Rad 3: okänd indikator.")


def test_a_job_runs_on_the_worker_and_offers_its_file(client, job_owner):
    job = start_job(count_to, kind="test", title="Räkna", user=job_owner, n=5)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 5, 5, 100)
    assert job.result == {"antal": 5}

    client.force_login(job_owner)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Ladda ned tal.txt" in page and "antal" in page
    download = client.get(f"/jobb/{job.pk}/fil")
    assert b"".join(download.streaming_content) == b"1 2 3 4 5"


def test_a_failed_job_says_why_in_swedish(client, job_owner):
    job = start_job(refuse, kind="test", title="Import", user=job_owner)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Rad 3: okänd indikator."
    client.force_login(job_owner)
    assert "Rad 3: okänd indikator." in client.get(job.get_absolute_url()).content.decode()


def test_progress_is_polled_as_json_while_queued(client, job_owner):
    job = start_job(count_to, kind="test", title="Räkna", user=job_owner, n=3)
    client.force_login(job_owner)
    data = client.get(f"/jobb/{job.pk}/status.json").json()
    assert data["status"] == "koad" and data["finished"] is False and data["percent"] == 0
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="status"' in page and "<progress" in page


def test_only_the_starter_and_readers_of_the_unit_see_a_job(client, job_owner):
    job = start_job(count_to, kind="test", title="Räkna", user=job_owner, n=1)
    assert client.get(job.get_absolute_url()).status_code == 404
    client.force_login(user_with_role("frammande", None))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(f"/jobb/{job.pk}/status.json").status_code == 404


def test_terminal_progress_on_a_pipe_prints_each_tenth_once():
    out = io.StringIO()
    progress = TerminalProgress(out)
    for i in range(1, 101):
        progress(i, 100, "arbete")
    lines = out.getvalue().splitlines()
    assert len(lines) == 11  # the first step, then each tenth
    assert lines[-1].strip() == "100% arbete"
