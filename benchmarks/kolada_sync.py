"""Benchmark: a Kolada sync of one KPI for all 312 organisations and 16 years (issue 16).

Run with ``make bench`` or ``.venv/bin/python benchmarks/kolada_sync.py [--skip-pg]``. Prints
figures; asserts nothing about speed. Goal: the full sync < 2 s.

A loopback stand-in for Kolada (``tests/kolada_server.py``, Kolada's v3 answers with
paging) holds one KPI (by kön) for Riket, the 21 regions and the 290 kommuner
(``uppsikt/organisations/reference``, loaded with ``load_organisations``) × 2010–2025 × T/K/M:
14 976 values. Into a fresh database (migrate + load_organisations, nothing else), in one
process, each measured in the same run:

1. a full sync of Region Örebro län with the comparison "alla regioner och kommuner"
   (``kolada.sync.run_sync``: every request and page, checking, the import with its batch
   and audit event, the run's row), seconds, and its parts: reading Kolada alone
   (``KoladaClient.values``) and the baseline, importing the same rows handed over as dicts
   (``import_measurements``, into a second definition so that every value is new);
2. a second sync (incremental: what changed since the first's start; nothing did): seconds
   and counts;
3. a second full sync: seconds and counts (every value unchanged).

SQLite in a temporary directory, then PostgreSQL in a database created for the run and
dropped after (``UPPSIKT_PG_URL``, default postgres://postgres@127.0.0.1:5432/postgres),
skipped when unreachable. The test and demo databases are never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("UPPSIKT_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
YEARS = range(2010, 2026)
GENDERS = ("T", "K", "M")
KPI = "N00001"
ORGANISATION = "0018"  # Region Örebro län


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(UPPSIKT_DEBUG="0", DJANGO_SETTINGS_MODULE="uppsikt.settings", **extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def _prepare(env: dict[str, str]) -> None:
    for args in (["migrate", "--noinput", "-v0"], ["load_organisations"]):
        subprocess.run(
            [str(BIN / "uppsikt"), *args],
            cwd=REPO,
            env=env,
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )


def _phase(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase"],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=1800,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- The phase, inside Django -----------------------------------------------------------------


def _fill(server, codes: list[str]) -> int:
    server.add_kpi(KPI, "Nyckeltal för prestandamätningen", divided_by_gender=True)
    count = 0
    for index, code in enumerate(codes):
        for year in YEARS:
            for offset, gender in enumerate(GENDERS):
                value = Decimal(40 + (index * 7 + year * 3 + offset) % 55) + Decimal("0.1")
                server.set_value(KPI, code, year, value, gender=gender)
                count += 1
    return count


def _timed(function):
    """(wall seconds, this process's CPU seconds, result): on a loaded machine the CPU time
    is the steadier figure (the stand-in's own work is in its own process)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return (time.perf_counter() - start, time.process_time() - cpu), result


def serve(codes_file: str) -> None:
    """The stand-in for Kolada in a process of its own (as Kolada is): fill it, print its
    address, serve until stdin closes."""
    from tests.kolada_server import KoladaServer

    server = KoladaServer().start()
    values = _fill(server, Path(codes_file).read_text().split())
    print(json.dumps({"url": server.url, "values": values}), flush=True)
    sys.stdin.read()
    server.stop()


@contextlib.contextmanager
def stand_in(codes: list[str]):
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as handle:
        handle.write("\n".join(codes))
        handle.flush()
        process = subprocess.Popen(
            [sys.executable, __file__, "--serve", handle.name],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            yield json.loads(process.stdout.readline())
        finally:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=30)


def run_phase() -> None:
    import django

    django.setup()
    from uppsikt.organisations.models import Organisation

    codes = list(Organisation.objects.order_by("code").values_list("code", flat=True))
    with stand_in(codes) as server:
        figures = _measure(server["url"], codes)
    figures["values"] = server["values"]
    print(json.dumps(figures, default=str))


def _measure(url: str, codes: list[str]) -> dict:
    from uppsikt.indicators.importers import import_measurements
    from uppsikt.indicators.models import IndicatorDefinition
    from uppsikt.kolada.client import KoladaClient
    from uppsikt.kolada.models import SyncSettings
    from uppsikt.kolada.sync import import_rows, plan_sync, run_sync
    from uppsikt.organisations.models import Organisation

    IndicatorDefinition.objects.create(
        key="bench",
        name="Bench",
        unit="procent",
        source_kind="kolada",
        source_code=KPI,
        by_gender=True,
    )
    organisation = Organisation.objects.get(code=ORGANISATION)
    SyncSettings.objects.create(organisation=organisation, comparison="alla", scheduled=False)
    figures: dict = {"organisations": len(codes)}
    with KoladaClient(url, backoff=0) as client:
        plan = plan_sync(organisation, full=True)
        read_s, entries = _timed(lambda: list(client.values([KPI], plan.codes)))
        figures["read_only"] = {"s": read_s[0], "cpu": read_s[1], "requests": client.requests}
    rows, _read = import_rows(entries, plan)
    for row in rows:
        row["indicator"] = "bench-baseline"
    IndicatorDefinition.objects.create(
        key="bench-baseline", name="Baslinje", unit="procent", by_gender=True
    )
    base_s, report = _timed(lambda: import_measurements(rows, actor=None, filename="bas"))
    figures["baseline"] = {"s": base_s[0], "cpu": base_s[1], "created": report.created}
    for name, full in (("full", True), ("incremental", False), ("second_full", True)):
        with KoladaClient(url, backoff=0) as client:
            seconds, outcome = _timed(
                lambda full=full, client=client: run_sync(organisation, full=full, client=client)
            )
        figures[name] = {"s": seconds[0], "cpu": seconds[1], **outcome.to_data()}
    return figures


# --- Orchestration ------------------------------------------------------------------------


def report(label: str, figures: dict) -> None:
    base = figures["baseline"]
    print(f"\n{label}: {figures['organisations']} organisations, {figures['values']:,} values")
    read = figures["read_only"]
    print(
        f"  reading Kolada alone (HTTP + JSON, {read['requests']} requests): "
        f"{read['s']:.2f} s wall, {read['cpu']:.2f} s CPU"
    )
    print(
        f"  baseline, import_measurements of the same rows as dicts: {base['s']:.2f} s wall, "
        f"{base['cpu']:.2f} s CPU ({base['created']:,} new)"
    )
    for name, title in (
        ("full", "full sync"),
        ("incremental", "second sync (incremental)"),
        ("second_full", "second full sync"),
    ):
        row = figures[name]
        goal = " (goal < 2 s)" if name == "full" else ""
        print(
            f"  {title}: {row['s']:.2f} s wall{goal}, {row['cpu']:.2f} s CPU, "
            f"{row['s'] / base['s']:.2f}× baseline (wall); {row['requests']} requests, "
            f"{row['values_read']:,} values read, {row['created']:,} new, "
            f"{row['changed']} changed, {row['unchanged']:,} unchanged"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.phase:
        return run_phase()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-kolada-") as tmp:
        env = _env(UPPSIKT_VAR_DIR=str(Path(tmp) / "sqlite"))
        _prepare(env)
        report("SQLite", _phase(env))
        if not args.skip_pg:
            _postgres(Path(tmp))


def _postgres(tmp: Path) -> None:
    import psycopg

    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        print("\nPostgreSQL: not reachable, skipped")
        return
    name = f"uppsikt_bench_kolada_{os.getpid()}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base, _slash, _db = PG_URL.rpartition("/")
        env = _env(DATABASE_URL=f"{base}/{name}", UPPSIKT_VAR_DIR=str(tmp / "pg"))
        _prepare(env)
        report("PostgreSQL", _phase(env))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
