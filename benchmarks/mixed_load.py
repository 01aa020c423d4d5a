"""Benchmark: a mixed load on PostgreSQL over loopback — signed-in users reading plan pages
and saving follow-ups while an indicator import runs.

Run with ``make bench`` or ``.venv/bin/python benchmarks/mixed_load.py [--users 50]
[--seconds 60] [--baseline 15] [--planners 6] [--import-rows 200000]``. It prints figures;
it exits non-zero when any request failed or any update was lost (goal: none of either),
never because of speed.

Set-up, in a PostgreSQL database made for the run and dropped afterwards (``UPPSIKT_PG_URL``,
default postgres://postgres@127.0.0.1:5432/postgres): migrate, the Makefile's ``demo-load``
steps, the reference organisations, then ``--users`` accounts. Most are rapportörer, each
responsible for one entry of the demo's open 2023 periods (verksamhetsberättelse, then
årsredovisning); ``--planners`` are planerare on the verksamhetsberättelse's units, who see
every row of their unit's form and share one entry per unit. The server is the production
shape on 127.0.0.1: gunicorn (``uppsikt.wsgi``, 3 workers × 4 threads) and ``db_worker`` for
each queue, as scripts/serve.sh starts them.

Every user signs in through the login form, then, back to back without pauses, picks one
of: a published plan page anonymously, their unit's plan page signed in, their unit's
follow-up page, or a save: the follow-up page, then its form posted back as a browser does
(every field the page rendered, hidden ones too) with the user's entry changed to a new
marker text. Phases: a baseline (``--baseline`` s) and the load (``--seconds`` s), during
which a planner uploads a CSV of ``--import-rows`` measurements on the import page and polls
the background job's status each second. Lost updates are counted three ways
(``mixed_load_clients.lost_updates``); a refused stale save (a conflict shown to the user)
is counted apart and is neither an error nor a lost update.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.mixed_load_clients import (  # noqa: E402
    Client,
    lost_updates,
    run_import,
    run_threads,
)
from benchmarks.mixed_load_report import report  # noqa: E402

BIN = Path(sys.executable).parent
PG_URL = os.environ.get("UPPSIKT_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
HOST = "127.0.0.1"
ORGANISATION = "0018"
PERIODS = ("2023-verksamhetsberattelse", "2023-arsredovisning")
PASSWORD = "mätning-blandad-last"
START_TEXT = "Mätning: utgångsläge."
IMPORT_AFTER = 3.0  # seconds into the load phase
IMPORT_WAIT = 300.0  # the longest the import is waited for after the load phase
SERVER_START_TIMEOUT = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline", type=float, default=15.0)
    parser.add_argument("--planners", type=int, default=6)
    parser.add_argument("--import-rows", type=int, default=200_000)
    args = parser.parse_args()
    if not 0 <= args.planners < args.users:
        parser.error("--planners must be below --users")

    import psycopg

    name = f"uppsikt_bench_mixed_{os.getpid()}"
    base_url, _slash, _db = PG_URL.rpartition("/")
    admin = psycopg.connect(PG_URL, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    processes: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory(prefix="uppsikt-bench-mixed-") as tmp:
            env = bench_env(tmp, f"{base_url}/{name}")
            started = time.perf_counter()
            prepare(env)
            setup = prepare_accounts(env, args)
            csv_path = Path(tmp) / "matvarden-blandad-last.csv"
            write_csv(csv_path, setup["definitions"], setup["codes"], args.import_rows)
            print(
                f"set-up: demo, {args.users} users, {args.import_rows:,} rows of CSV "
                f"({csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s"
            )
            port = free_port()
            processes = start_server(env, port, Path(tmp))
            wait_until_up(processes[0], port)
            outcome = run(args, setup, f"http://{HOST}:{port}", csv_path, processes)
            stop(processes)
            outcome["server_log"] = read_logs(Path(tmp))
            outcome["finals"], outcome["job"] = final_state(outcome["clients"], outcome)
            version = admin.info.server_version
            outcome["pg_version"] = f"{version // 10000}.{version % 10000}"
    finally:
        stop(processes)
        close_django()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    lost = lost_updates(outcome["clients"], outcome["finals"])
    failed = report(args, outcome, lost)
    sys.exit(1 if failed else 0)


# --- Set-up ---------------------------------------------------------------------------------


def bench_env(var_dir: str, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        UPPSIKT_VAR_DIR=var_dir,
        UPPSIKT_DEBUG="0",
        ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="uppsikt.settings",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p),
    )
    return env


def demo_load_steps() -> list[list[str]]:
    """The `uppsikt` commands `make demo` loads the demo with (``uppsikt load_demo`` runs
    ``portal.demo_steps.DEMO_STEPS``), in order, so the benchmark loads it the same way."""
    from uppsikt.portal.demo_steps import DEMO_STEPS

    return [list(step) for step in DEMO_STEPS]


def prepare(env: dict[str, str]) -> None:
    steps = [
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        *demo_load_steps(),
        ["load_organisations"],  # the organisations the CSV names
    ]
    for args in steps:
        subprocess.run(
            [str(BIN / "uppsikt"), *args],
            cwd=REPO,
            env=env,
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )


def prepare_accounts(env: dict[str, str], args) -> dict:
    """Users, roles and the entries they own, in this process (Django set up here)."""
    os.environ.update(env)
    import django

    django.setup()
    from benchmarks.mixed_load_setup import create_personas

    return create_personas(
        users=args.users,
        planners=args.planners,
        organisation=ORGANISATION,
        periods=PERIODS,
        password=PASSWORD,
        start_text=START_TEXT,
    )


def write_csv(path: Path, definitions: list[tuple[str, bool]], codes: list[str], rows: int):
    """``rows`` measurements of the demo's own indicators for every organisation, newest
    years first; deterministic, Swedish decimal commas."""
    rng = random.Random(rows)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("indikator;organisation;period;kön;värde;status\n")
        for year in range(2025, 1900, -1):
            for key, by_gender in definitions:
                for code in codes:
                    for gender in ("T", "K", "M") if by_gender else ("T",):
                        if written == rows:
                            return
                        value = f"{rng.uniform(10, 90):.1f}".replace(".", ",")
                        out.write(f"{key};{code};{year};{gender};{value};slutlig\n")
                        written += 1


# --- The server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, tmp: Path) -> list[subprocess.Popen]:
    """gunicorn as deploy/uppsikt-web.service runs it (no access log), and one db_worker per
    queue as scripts/serve.sh starts them; their output goes to log files in ``tmp``."""
    commands = {
        "gunicorn": [
            str(BIN / "gunicorn"),
            "uppsikt.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "3",
            "--threads",
            "4",
            "--timeout",
            "120",
            "--error-logfile",
            "-",
        ],
        "worker-default": [str(BIN / "uppsikt"), "db_worker", "--queue-name", "default"],
        "worker-imports": [str(BIN / "uppsikt"), "db_worker", "--queue-name", "imports"],
    }
    processes = []
    for name, command in commands.items():
        if name.startswith("worker"):
            command += ["--interval", "1", "--no-startup-delay"]
        log = (tmp / f"{name}.log").open("wb")
        processes.append(
            subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        )
    return processes


def wait_until_up(server: subprocess.Popen, port: int) -> None:
    import requests

    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"http://{HOST}:{port}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f} s")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def read_logs(tmp: Path) -> dict[str, list[str]]:
    """Lines of the server's and workers' logs that report a failure."""
    words = ("Traceback", "Error", "ERROR", "CRITICAL", "WORKER TIMEOUT", "deadlock", "locked")
    found = {}
    for log in sorted(tmp.glob("*.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        found[log.stem] = [line for line in lines if any(word in line for word in words)]
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        total += cpu_seconds([int(child) for child in children])
    return total


# --- The run --------------------------------------------------------------------------------


def run(args, setup: dict, base: str, csv_path: Path, processes) -> dict:
    clients = [
        Client(persona, base, setup["public_plans"], seed=index)
        for index, persona in enumerate(setup["personas"])
    ]
    importer = Client(setup["importer"], base, setup["public_plans"], seed=-1)
    signed_in = []
    run_threads([lambda c=c: signed_in.append(c.sign_in(PASSWORD)) for c in [*clients, importer]])
    if not all(signed_in) or len(signed_in) != len(clients) + 1:
        raise SystemExit(f"sign-in failed for {signed_in.count(False)} users")
    phases = {}
    for phase, seconds in (("baseline", args.baseline), ("load", args.seconds)):
        phases[phase] = run_phase(phase, seconds, clients, importer, csv_path, processes)
    return {
        "clients": clients,
        "importer": importer,
        "phases": phases,
        "import": phases["load"].pop("import"),
    }


def database_pids() -> list[int]:
    """The PostgreSQL backends serving the benchmark's database (the same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def run_phase(phase, seconds, clients, importer, csv_path, processes) -> dict:
    pids = [p.pid for p in processes]
    backends = {pid: cpu_seconds([pid]) for pid in database_pids()}
    server_cpu, own_cpu = cpu_seconds(pids), time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    result: dict = {"start": start, "deadline": deadline, "loadavg_start": os.getloadavg()[0]}
    uploader = None
    if phase == "load":
        importer.phase = phase

        def upload() -> None:
            result["import"] = run_import(
                importer, csv_path, start + IMPORT_AFTER, deadline + IMPORT_WAIT
            )

        uploader = threading.Thread(target=upload, daemon=True)
        uploader.start()
    run_threads([lambda c=c: c.run(phase, deadline) for c in clients])
    result["end"] = time.perf_counter()
    result["server_cpu"] = cpu_seconds(pids) - server_cpu
    result["client_cpu"] = time.process_time() - own_cpu
    result["database_cpu"] = sum(  # backends that ended meanwhile are not counted
        cpu_seconds([pid]) - backends.get(pid, 0.0) for pid in database_pids()
    )
    result["loadavg_end"] = os.getloadavg()[0]
    if uploader is not None:
        uploader.join()  # bounded: polling stops IMPORT_WAIT seconds after the phase
    return result


def final_state(clients: list[Client], outcome: dict) -> tuple[dict[int, str], dict]:
    from benchmarks.mixed_load_setup import final_comments, job_facts

    job_id = outcome["import"].get("job_id")
    return final_comments([c.persona.entry_id for c in clients]), job_facts(job_id)


def close_django() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
