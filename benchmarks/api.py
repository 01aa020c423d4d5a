"""Benchmark: REST API reads and the plan comparison, against a minimal view on the same stack.

Run with ``make bench`` or ``.venv/bin/python benchmarks/api.py``. Not a test: it prints
figures and asserts nothing about speed.

In-process (django.test.Client, full middleware stack, no HTTP), against a throwaway var dir
loaded with the demo (plans, indicator series, budget tables) and one revision of the
Regionstyrelsen plan: median and p95 render time over N GETs per URL after a warm-up, the
response size and the number of SQL queries. The minimal view (``benchmarks/ceiling``) is
measured in the same run as the ceiling.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.plan_page import BIN, PLAN_TITLE, bench_env, percentile  # noqa: E402

N_RENDER = 30
N_WARMUP = 3


def time_renders(client, url: str) -> tuple[list[float], int]:
    import time

    for _ in range(N_WARMUP):
        client.get(url)
    times, size = [], 0
    for _ in range(N_RENDER):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        size = len(response.content)
    return times, size


def prepare(env: dict[str, str]) -> None:
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load", "demo/region-orebro-lan.yaml", "--replace"],
        ["collectstatic", "--noinput", "-v0"],
        ["demo_indicators"],
        ["load_budget", "demo/budget-2023.yaml"],
        ["demo_users"],
    ):
        subprocess.run(
            [str(BIN / "uppsikt"), *args],
            cwd=REPO,
            env=env,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-api-") as var_dir:
        env = bench_env(var_dir)
        prepare(env)
        os.environ.update(env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        from benchmarks.ceiling.urls import MINIMAL_PATH
        from uppsikt.api.tokens import create_token
        from uppsikt.budget.models import BudgetTable
        from uppsikt.plans.actions.versions import revise_plan
        from uppsikt.plans.models import Plan

        setup_test_environment()
        planner = get_user_model().objects.get(username="planerare")
        plan = Plan.objects.get(title=PLAN_TITLE)
        revision = revise_plan(plan, actor=planner, reason="Benchmark").plan
        _token, key = create_token(planner, actor=planner, name="bench")
        table = BudgetTable.objects.order_by("pk").first()

        public = Client()
        with_token = Client(headers={"Authorization": f"Bearer {key}"})
        logged_in = Client()
        logged_in.force_login(planner)
        cases = [
            ("minimal view (ceiling)", public, MINIMAL_PATH),
            ("GET /api/v1/plans", public, "/api/v1/plans"),
            ("GET /api/v1/goals?limit=500", public, "/api/v1/goals?limit=500"),
            ("… with a planner's token", with_token, "/api/v1/goals?limit=500"),
            ("GET /api/v1/measurements?limit=500", public, "/api/v1/measurements?limit=500"),
            ("GET /api/v1/budget-tables/{id}", public, f"/api/v1/budget-tables/{table.pk}"),
            ("GET /api/v1/openapi.json", public, "/api/v1/openapi.json"),
            (
                "compare page, version 1 with 2",
                logged_in,
                f"/planer/{revision.pk}/jamfor/?med={plan.pk}",
            ),
        ]
        print(
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} CPUs; {N_RENDER} timed GETs per URL\n"
        )
        print(f"{'URL':40} {'median ms':>10} {'p95 ms':>8} {'× ceiling':>10} {'kB':>7} {'SQL':>4}")
        ceiling = None
        for label, client, url in cases:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            count = len(queries)  # now: later requests reset the connection's query log
            if response.status_code != 200:
                raise SystemExit(f"GET {url} -> {response.status_code}")
            times, size = time_renders(client, url)
            median = statistics.median(times)
            ceiling = ceiling or median
            print(
                f"{label:40} {median:10.2f} {percentile(times, 0.95):8.2f} "
                f"{median / ceiling:9.0f}× {size / 1024:7.1f} {count:4d}"
            )


if __name__ == "__main__":
    main()
