"""Benchmark: the full plan page against a minimal Django view on the same stack.

Run with ``make bench`` or ``.venv/bin/python benchmarks/plan_page.py``. Not a test: it
prints figures, it asserts nothing about speed.

* Part A, server render time: django.test.Client in-process (full middleware stack, no
  HTTP), median and p95 over N GETs of the Regionstyrelsen plan page and of the minimal
  view (``benchmarks/ceiling``), after a warm-up.
* Part B, throughput (median of ROUNDS interleaved rounds): gunicorn on 127.0.0.1 (2 workers, 1 thread each, no access log)
  serving both URLs, loaded by ``wrk`` if installed, else by a Python generator
  (CONCURRENCY processes, http.client, fixed duration). Requests/second for both URLs.

Everything runs against a throwaway var dir (SQLite DB, secret key, collected static)
loaded with ``demo/region-orebro-lan.yaml``; the checkout's own ``var/`` is not touched.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PLAN_TITLE = "Regionstyrelsens verksamheter, Verksamhetsplan med budget 2023"
DEMO_FILE = "demo/region-orebro-lan.yaml"
SETTINGS = "benchmarks.ceiling.settings"
HOST = "127.0.0.1"

N_RENDER = 50  # timed in-process GETs per URL
N_WARMUP = 5
DURATION = 5.0  # seconds of load per URL
WARMUP_DURATION = 1.0
ROUNDS = 3  # interleaved load rounds per URL; the median round is reported
CONCURRENCY = 4  # load-generator processes (or wrk connections)
MAX_REQUESTS_PER_CLIENT = 1_000_000  # hard bound next to the time bound
SERVER_START_TIMEOUT = 30.0


def bench_env(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        UPPSIKT_VAR_DIR=var_dir,
        UPPSIKT_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE=SETTINGS,
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p),
    )
    env.pop("DATABASE_URL", None)  # always the throwaway SQLite DB
    return env


def prepare(env: dict[str, str]) -> None:
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load", DEMO_FILE, "--replace"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [str(BIN / "uppsikt"), *args],
            cwd=REPO,
            env=env,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- Part A: in-process render time -------------------------------------------------


def time_renders(client, url: str) -> tuple[list[float], int]:
    for _ in range(N_WARMUP):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} -> {response.status_code}")
    times = []
    size = 0
    for _ in range(N_RENDER):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        size = len(response.content)
    return times, size


# --- Part B: throughput against gunicorn ----------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_get_status(port: int, path: str) -> int | None:
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        conn.close()


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("wb")
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "uppsikt.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--threads",
            "1",
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_up(server: subprocess.Popen, port: int, path: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        if http_get_status(port, path) == 200:
            return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {path} within {SERVER_START_TIMEOUT:.0f} s")


def load_client(port: int, path: str, duration: float, start_event, results) -> None:
    """One load-generator process: back-to-back GETs on one connection for ``duration``."""
    import http.client

    start_event.wait(timeout=30)
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    ok = errors = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    deadline = start + duration
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if time.perf_counter() >= deadline:
            break
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()  # http.client reopens on the next request
    end = time.perf_counter()
    conn.close()
    results.put((ok, errors, start, end, time.process_time() - cpu_start))


def python_load(port: int, path: str, duration: float) -> dict[str, float]:
    ctx = multiprocessing.get_context("fork")
    start_event = ctx.Event()
    results = ctx.Queue()
    procs = [
        ctx.Process(target=load_client, args=(port, path, duration, start_event, results))
        for _ in range(CONCURRENCY)
    ]
    for proc in procs:
        proc.start()
    start_event.set()
    rows = [results.get(timeout=duration + 60) for _ in procs]
    for proc in procs:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
    ok = sum(row[0] for row in rows)
    errors = sum(row[1] for row in rows)
    wall = max(row[3] for row in rows) - min(row[2] for row in rows)
    client_cpu = sum(row[4] for row in rows)
    return {
        "rps": ok / wall,
        "ok": ok,
        "errors": errors,
        "wall": wall,
        # share of the whole machine's CPU the load generator itself used
        "client_cpu_share": client_cpu / (wall * (os.cpu_count() or 1)),
    }


def wrk_load(port: int, path: str, duration: float) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(CONCURRENCY, os.cpu_count() or 1)),
            "-c",
            str(CONCURRENCY),
            "-d",
            f"{max(1, round(duration))}s",
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return {"rps": rps, "ok": total - errors, "errors": errors, "wall": duration}


def server_cpu_seconds(server: subprocess.Popen) -> float | None:
    """CPU time (user + system) of the gunicorn master and its workers, Linux only."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        total = 0
        for pid in [str(server.pid), *children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def throughput(server: subprocess.Popen, port: int, path: str, use_wrk: bool) -> dict[str, float]:
    load = wrk_load if use_wrk else python_load
    cpu_before = server_cpu_seconds(server)
    result = load(port, path, DURATION)
    cpu_after = server_cpu_seconds(server)
    if cpu_before is not None and cpu_after is not None:
        result["server_cpu_share"] = (cpu_after - cpu_before) / (
            result["wall"] * (os.cpu_count() or 1)
        )
    return result


# --- main -----------------------------------------------------------------------------


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="uppsikt-bench-")
    server = None
    try:
        env = bench_env(var_dir)
        for key in ("UPPSIKT_VAR_DIR", "UPPSIKT_DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
            os.environ[key] = env[key]
        os.environ.pop("DATABASE_URL", None)
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))

        print(f"preparing throwaway database in {var_dir} ...", flush=True)
        prepare(env)

        import django

        django.setup()
        from django.test import Client

        from benchmarks.ceiling.urls import MINIMAL_PATH
        from uppsikt.plans.models import Plan

        plan_url = Plan.objects.get(title=PLAN_TITLE).get_absolute_url()
        urls = {"plan page": plan_url, "minimal view": MINIMAL_PATH}

        # Part A
        client = Client(HTTP_HOST=HOST)
        render = {}
        for name, url in urls.items():
            times, size = time_renders(client, url)
            render[name] = {
                "median": statistics.median(times),
                "p95": percentile(times, 0.95),
                "bytes": size,
            }
        if PLAN_TITLE.encode() not in client.get(plan_url).content:
            raise SystemExit("plan page does not contain the plan title")

        # Part B
        use_wrk = shutil.which("wrk") is not None
        port = free_port()
        server = start_server(env, port, Path(var_dir) / "gunicorn.log")
        wait_until_up(server, port, MINIMAL_PATH)
        wait_until_up(server, port, plan_url)
        for url in urls.values():  # warm both workers on both URLs, discard
            (wrk_load if use_wrk else python_load)(port, url, WARMUP_DURATION)
        # Interleaved rounds, so background load on the machine hits both URLs alike.
        rounds = {name: [] for name in urls}
        for _ in range(ROUNDS):
            for name, url in urls.items():
                rounds[name].append(throughput(server, port, url, use_wrk))
        rate = {
            name: sorted(results, key=lambda r: r["rps"])[len(results) // 2]
            for name, results in rounds.items()
        }
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
        shutil.rmtree(var_dir, ignore_errors=True)

    plan, ceiling = render["plan page"], render["minimal view"]
    plan_rps, ceiling_rps = rate["plan page"], rate["minimal view"]
    generator = (
        f"wrk, {CONCURRENCY} connections"
        if use_wrk
        else f"Python http.client, {CONCURRENCY} processes (wrk not installed)"
    )
    print()
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, Django {django.get_version()}"
    )
    print(f"plan page: {plan_url} ({plan['bytes']:,} bytes); minimal view: {MINIMAL_PATH}")
    print(f"render: django.test.Client in-process, N={N_RENDER} after {N_WARMUP} warm-up")
    print(
        f"load: gunicorn 2 workers x 1 thread, {generator}, {DURATION:.0f} s per URL, "
        f"{ROUNDS} interleaved rounds"
    )
    print()
    header = f"{'measure':<32}{'plan page':>12}{'minimal view':>15}{'ratio':>10}"
    print(header)
    print("-" * len(header))
    rows = [
        ("render median (ms)", plan["median"], ceiling["median"], "{:.2f}"),
        ("render p95 (ms)", plan["p95"], ceiling["p95"], "{:.2f}"),
        ("requests/second", plan_rps["rps"], ceiling_rps["rps"], "{:.0f}"),
    ]
    for label, value, ceil, fmt in rows:
        ratio = f"{value / ceil:.3g}x"
        print(f"{label:<32}{fmt.format(value):>12}{fmt.format(ceil):>15}{ratio:>10}")
    print()
    for name, results in rounds.items():
        per_round = ", ".join(f"{r['rps']:.0f}" for r in results)
        print(f"{name} req/s per round: {per_round} (median reported)")
    for name, result in rate.items():
        extra = ""
        if "server_cpu_share" in result:
            extra += f", gunicorn used {result['server_cpu_share']:.0%} of machine CPU"
        if "client_cpu_share" in result:
            extra += f", load generator {result['client_cpu_share']:.0%}"
        print(
            f"{name}: {result['ok']:,} OK, {result['errors']:,} errors "
            f"in {result['wall']:.1f} s{extra}"
        )


if __name__ == "__main__":
    main()
