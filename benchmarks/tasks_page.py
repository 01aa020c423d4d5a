"""Benchmark: the "Att göra" start page and the reminder run (issue 14).

Run with ``make bench`` or ``.venv/bin/python benchmarks/tasks_page.py``. Not a test: it
prints figures and ratios against a baseline measured in the same run, and asserts nothing
about speed.

A throwaway var dir (SQLite) gets the demo exactly as `make demo` loads it (migrate, the
Makefile's ``demo-load`` steps, ``demo_users``), then, in-process:

* the public start page ``/`` anonymous, the baseline, against ``/`` signed in as the demo's
  rapportor and planerare and ``/att-gora/`` as rapportor: median and p95 over N_RENDER GETs
  after a warm-up, size, SQL queries, and the ratio of the medians to the baseline's;
* ``tasks.registry.tasks_for(user)`` alone for rapportor, planerare and administrator:
  median over N_CALLS calls, tasks found and SQL queries;
* ``tasks.reminders.send_reminders(today)`` over every demo user with the locmem e-mail
  backend: once (time, messages and reminders sent) and again the same day (time; it sends
  none, a reminder never goes twice).
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.mixed_load import demo_load_steps  # noqa: E402
from benchmarks.plan_authoring import run, time_renders  # noqa: E402
from benchmarks.plan_page import bench_env, percentile  # noqa: E402

N_CALLS = 30
PAGE_USERS = (("rapportor", "/"), ("planerare", "/"), ("rapportor", "/att-gora/"))
TASK_USERS = ("rapportor", "planerare", "administrator")
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def time_tasks(user) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from uppsikt.tasks.registry import tasks_for

    tasks_for(user)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        found = len(tasks_for(user))
    times = []
    for _ in range(N_CALLS):
        start = time.perf_counter()
        tasks_for(user)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "tasks": found,
        "sql": len(queries),
    }


def time_reminders() -> list[dict]:
    """Two runs of send_reminders today: the first sends what is owed, the second none."""
    from django.core import mail
    from django.test import override_settings

    from uppsikt.tasks.registry import today
    from uppsikt.tasks.reminders import people, send_reminders

    runs = []
    with override_settings(EMAIL_BACKEND=LOCMEM):
        for _ in range(2):
            mail.outbox = []
            start = time.perf_counter()
            outcome = send_reminders(today())
            seconds = time.perf_counter() - start
            runs.append(
                {
                    "s": seconds,
                    "people": people().count(),
                    "messages": len(mail.outbox),
                    "reminders": outcome.reminders,
                    "without_email": len(outcome.without_email),
                    "failed": len(outcome.failed),
                }
            )
    return runs


def measure() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    users = get_user_model().objects
    pages = {("anonymous", "/"): time_renders(Client(), "/")}
    for username, url in PAGE_USERS:
        client = Client()
        client.force_login(users.get(username=username))
        pages[(username, url)] = time_renders(client, url)
    tasks = {name: time_tasks(users.get(username=name)) for name in TASK_USERS}
    return {"pages": pages, "tasks": tasks, "reminders": time_reminders()}


def report(figures: dict, load_s: float) -> None:
    import django

    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
    )
    print(f"migrate, demo-load steps and demo_users (subprocesses): {load_s:.1f} s\n")
    pages = figures["pages"]
    base = pages[("anonymous", "/")]["median"]
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'kB':>7} {'SQL':>4} {'× baseline':>11}")
    for (username, url), row in pages.items():
        label = f"{url} as {username}" + (" (baseline)" if username == "anonymous" else "")
        print(
            f"{label:34} {row['median']:10.2f} {row['p95']:8.2f} {row['kB']:7.1f} "
            f"{row['sql']:4d} {row['median'] / base:10.2f}×"
        )
    print()
    print(f"{'tasks_for(user) alone':34} {'median ms':>10} {'p95 ms':>8} {'tasks':>7} {'SQL':>4}")
    for name, row in figures["tasks"].items():
        print(
            f"{name:34} {row['median']:10.2f} {row['p95']:8.2f} {row['tasks']:7d} {row['sql']:4d}"
        )
    print()
    for number, row in enumerate(figures["reminders"], 1):
        print(
            f"send_reminders(today) run {number}: {row['s'] * 1000:.0f} ms over "
            f"{row['people']} people, {row['messages']} messages, {row['reminders']} "
            f"reminders, {row['without_email']} without e-mail, {row['failed']} failed"
        )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-tasks-") as var_dir:
        env = bench_env(var_dir)
        start = time.perf_counter()
        for step in (["migrate", "--noinput", "-v0"], *demo_load_steps(), ["demo_users"]):
            run(env, *step)
        load_s = time.perf_counter() - start
        run(env, "collectstatic", "--noinput", "-v0")
        os.environ.update(env)
        import django

        django.setup()
        figures = measure()
    report(figures, load_s)


if __name__ == "__main__":
    main()
