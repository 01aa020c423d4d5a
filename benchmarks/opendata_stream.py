"""Benchmark: the open data indicator values as CSV (``/oppna-data/indikatorvarden.csv``).
Prints figures; asserts nothing about speed.

Run with ``make bench`` or ``.venv/bin/python benchmarks/opendata_stream.py [--rows N]``.
The table is synthetic and deterministic: 312 organisations, 20 indicators, years from 2010
and kön T/K/M, ``N`` rows in all (default 300 000). In the same run, on SQLite and then on
PostgreSQL when reachable (``UPPSIKT_PG_URL``, a database made for the run and dropped):

1. a plain loop over a database cursor: the same rows and columns joined in SQL, in the
   same order, written with ``csv.writer`` to nowhere (the ceiling);
2. the view, through Django's whole stack in-process, its streamed response read to the end;
   rows/s and its ratio to the ceiling, and the largest memory the Python heap held while
   streaming (``tracemalloc``, a separate run), which stays flat however large the table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.phases import child_env, throwaway_postgres  # noqa: E402 - after the path

ORGANISATIONS = 312
INDICATORS = 20
BASELINE_SQL = (
    "SELECT d.key, d.name, d.unit, o.code, m.period, m.gender, m.value, m.status, m.source, "
    "m.updated_at FROM indicators_measurement m "
    "JOIN indicators_indicatordefinition d ON d.id = m.definition_id "
    "JOIN organisations_organisation o ON o.id = m.organisation_id "
    "WHERE NOT m.withdrawn "
    "ORDER BY m.definition_id, m.organisation_id, m.period, m.gender"
)


class Nowhere:
    def write(self, text: str) -> int:
        return len(text)


def _fill(rows: int) -> None:
    from decimal import Decimal

    from uppsikt.indicators.models import IndicatorDefinition, Measurement
    from uppsikt.organisations.models import Organisation

    orgs = Organisation.objects.bulk_create(
        Organisation(code=f"{9000 + n:04d}", name=f"Kommun {n}", kind="kommun")
        for n in range(ORGANISATIONS)
    )
    definitions = IndicatorDefinition.objects.bulk_create(
        IndicatorDefinition(key=f"ind-{n}", name=f"Indikator {n}", unit="procent")
        for n in range(INDICATORS)
    )
    per_series = -(-rows // (ORGANISATIONS * INDICATORS))  # values per organisation
    batch: list[Measurement] = []
    made = 0
    for definition in definitions:
        for org in orgs:
            for n in range(per_series):
                if made == rows:
                    break
                year, gender = 2010 + n // 3, "TKM"[n % 3]
                value = Decimal(made % 100000) / 100
                batch.append(
                    Measurement(
                        definition=definition,
                        organisation=org,
                        period=str(year),
                        gender=gender,
                        value=value,
                    )
                )
                made += 1
            if len(batch) >= 20000:
                Measurement.objects.bulk_create(batch)
                batch = []
    Measurement.objects.bulk_create(batch)


def _baseline() -> tuple[int, float]:
    from django.db import connection

    writer = csv.writer(Nowhere(), lineterminator="\r\n")
    started = time.perf_counter()
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL)
        while chunk := cursor.fetchmany(5000):
            writer.writerows(chunk)
            count += len(chunk)
    return count, time.perf_counter() - started


def _view(trace: bool = False) -> tuple[int, float, int]:
    import tracemalloc

    from django.test import Client

    client = Client()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/oppna-data/indikatorvarden.csv")
    lines = 0
    for piece in response.streaming_content:
        lines += piece.count(b"\r\n")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    return lines - 1, elapsed, peak


def run_phase(rows: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    _fill(rows)
    _baseline()  # warm the database's cache for both
    Client().get(
        "/oppna-data/enheter.csv"
    )  # and Django: the first request imports every URL module
    base_rows, base_s = _baseline()
    view_rows, view_s, _peak = _view()
    _rows, _s, peak = _view(trace=True)
    return {
        "rows": base_rows,
        "view_rows": view_rows,
        "baseline_rate": base_rows / base_s,
        "view_rate": view_rows / view_s,
        "peak_mb": peak / 1e6,
    }


def _phase(env: dict[str, str], rows: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", "--rows", str(rows)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, figures: dict) -> None:
    ratio = figures["view_rate"] / figures["baseline_rate"]
    assert figures["view_rows"] == figures["rows"], figures
    print(f"{label}: {figures['rows']:,} rows")
    print(f"  plain cursor loop + csv.writer  {figures['baseline_rate']:>12,.0f} rows/s")
    print(f"  the view, streamed to the end   {figures['view_rate']:>12,.0f} rows/s  ({ratio:.0%})")
    print(f"  largest Python heap while streaming {figures['peak_mb']:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.rows)))
        return
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU")
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-") as tmp:
        env = child_env(tmp)
        report("SQLite", _phase(env, args.rows))
        with throwaway_postgres(env, "bench_opendata") as pg_env:
            if pg_env is not None:
                report("PostgreSQL", _phase(pg_env, args.rows))


if __name__ == "__main__":
    main()
