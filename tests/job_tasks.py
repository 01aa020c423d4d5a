"""Tiny background tasks for the worker tests; real worker processes import them from here."""

import time
from pathlib import Path

from django_tasks import task

from uppsikt.jobs.runner import running


@task()
def wait_for_file(job_id: str, path: str) -> None:
    """Run until ``path`` exists (at most a minute): a job that is running while a test acts."""
    with running(job_id) as run:
        run.progress(0, 1, "Väntar")
        deadline = time.monotonic() + 60
        while not Path(path).exists():
            if time.monotonic() > deadline:
                raise TimeoutError(path)
            time.sleep(0.05)
        run.set_result({"klar": True})


@task()
def count_quickly(job_id: str, n: int) -> None:
    with running(job_id) as run:
        for i in range(1, n + 1):
            run.progress(i, n, f"Steg {i}")
        run.set_result({"antal": n})
