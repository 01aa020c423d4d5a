"""Benchmark: indicators at national scale. Prints figures; asserts nothing about speed.

Run with ``make bench`` or ``.venv/bin/python benchmarks/indicators_national.py
[--indicators N] [--skip-touched]``. The dataset is synthetic and deterministic: Riket, the 21 regions and
the 290 municipalities with their official codes (``uppsikt/organisations/reference``),
``N`` indicators (the demo plan's own definitions first, then generated ones), the years
2010–2025 and kön T/K/M: N × 312 × 16 × 3 rows in one semicolon CSV with Swedish decimal
commas. ``--indicators 2000`` is the full national scale (about 30 million rows); the
default is small enough for every ``make bench`` on a 2-core machine.

Figures, each measured in the same run:

1. PostgreSQL ingest: ``uppsikt import_measurements``' code path end to end (read, validate
   every row, stage, merge into ``Measurement`` with its indexes, audit) in rows/s, as a
   ratio to the ceiling: a plain ``COPY`` of the same file into a bare table of text
   columns without indexes, in the same throwaway database. Goal ≥ 25 %. And the same
   file imported again (every row unchanged, nothing written) against the same ``COPY``:
   goal ≥ 50 %. And, without a goal, the same file once more after one value was changed
   elsewhere (its fingerprint no longer holds: every row is compared, one changed back).
2. SQLite ingest: the same import into a temporary SQLite file, rows/s.
3. Full-plan assessment: ``proposals.propose_plan`` for the demo's Regionstyrelsen plan
   (every goal, every indicator judged, proposals stored), median of repeated runs,
   on PostgreSQL with the national data loaded. Goal < 100 ms.
4. Comparison view: the page ranking one indicator in one year across all 312
   organisations (``/indikatorer/<pk>/jamfor/2023/``, full Django stack in-process),
   median, on PostgreSQL. Goal < 20 ms.

PostgreSQL runs in a database created for the run and dropped afterwards
(``UPPSIKT_PG_URL``, default postgres://postgres@127.0.0.1:5432/postgres); SQLite in a
temporary directory. The test and demo databases are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("UPPSIKT_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
YEARS = range(2010, 2026)
GENDERS = ("T", "K", "M")
DEFAULT_INDICATORS = 40
ASSESS_RUNS = 20
COMPARE_RUNS = 50


# --- Orchestration (no Django here) ----------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        UPPSIKT_DEBUG="0", ALLOWED_HOSTS="testserver,127.0.0.1", PYTHONPATH=str(REPO), **extra
    )
    # National scale is tens of millions of rows, past the default import limit.
    env.setdefault("UPPSIKT_IMPORT_MAX_ROWS", "100000000")
    return env


def _uppsikt(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "uppsikt"), *args],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=3600,
    )


def _phase(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=4 * 3600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _prepare(env: dict[str, str]) -> None:
    _uppsikt(env, "migrate", "--noinput", "-v0")
    _uppsikt(env, "collectstatic", "--noinput", "-v0")
    _uppsikt(env, "load", "demo/region-orebro-lan.yaml", "--replace")
    _uppsikt(env, "demo_indicators")
    _uppsikt(env, "load_organisations")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--indicators", type=int, default=DEFAULT_INDICATORS)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--statements",
        action="store_true",
        help="print every SQL statement of the PostgreSQL imports that took 0.1 s or more",
    )
    parser.add_argument(
        "--skip-touched",
        action="store_true",
        help="leave out figure 1c (the re-import after one value changed elsewhere, the "
        "slowest part at national scale)",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return run_phase(args)

    import psycopg

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU")
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-") as tmp:
        csv_path = Path(tmp) / "matvarden.csv"
        started = time.perf_counter()
        rows = generate(csv_path, args.indicators)
        size = csv_path.stat().st_size
        print(
            f"dataset: {args.indicators} indicators × 312 organisations × {len(YEARS)} years × "
            f"T/K/M = {rows:,} rows, {size / 1e6:.0f} MB CSV "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        name = f"uppsikt_bench_{os.getpid()}"
        admin = psycopg.connect(PG_URL, autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            base, _slash, _db = PG_URL.rpartition("/")
            env = _env(DATABASE_URL=f"{base}/{name}", UPPSIKT_VAR_DIR=str(Path(tmp) / "pg-var"))
            if args.statements:
                env["UPPSIKT_BENCH_STATEMENTS"] = "1"
            if args.skip_touched:
                env["UPPSIKT_BENCH_SKIP_TOUCHED"] = "1"
            _prepare(env)
            pg = _phase(env, "--phase", "postgres", "--file", str(csv_path))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        sqlite = None
        if not args.skip_sqlite:
            env = _env(UPPSIKT_VAR_DIR=str(Path(tmp) / "sqlite-var"))
            _prepare(env)
            sqlite = _phase(env, "--phase", "sqlite", "--file", str(csv_path))
    report(rows, pg, sqlite)


def report(rows: int, pg: dict, sqlite: dict | None) -> None:
    ratio = pg["ingest_rate"] / pg["copy_rate"]
    print()
    print(f"{'figure':<52}{'value':>16}{'goal':>14}")
    print(
        f"{'PostgreSQL ingest, rows/s (import, end to end)':<52}{pg['ingest_rate']:>16,.0f}{'':>14}"
    )
    print(f"{'PostgreSQL plain COPY, rows/s (ceiling)':<52}{pg['copy_rate']:>16,.0f}{'':>14}")
    again = rows / pg["reimport_s"] / pg["copy_rate"]
    touched = rows / pg["touched_s"] / pg["copy_rate"] if "touched_s" in pg else None
    for label, value, goal in (
        ("1. ingest / COPY", ratio, 0.25),
        ("1b. re-import / COPY (unchanged file)", again, 0.50),
    ):
        met = "met" if value >= goal else "NOT met"
        print(f"{label:<52}{value:>16.1%}{f'>= {goal:.0%}':>14}  {met}")
    label = "1c. re-import / COPY, one value changed elsewhere"
    shown = "skipped" if touched is None else f"{touched:.1%}"
    print(f"{label:<52}{shown:>16}{'(no goal)':>14}")
    if sqlite:
        print(f"{'2. SQLite ingest, rows/s':<52}{sqlite['ingest_rate']:>16,.0f}{'':>14}")
    print(f"{'3. full-plan assessment, median ms':<52}{pg['assess_ms']:>16.1f}{'< 100 ms':>14}")
    print(f"{'4. comparison view, median ms':<52}{pg['compare_ms']:>16.1f}{'< 20 ms':>14}")
    print()
    merge_rate = rows / pg["merge_s"] if pg["merge_s"] else 0.0
    stage_rate = rows / pg["stage_s"] if pg["stage_s"] else 0.0
    print(
        f"PostgreSQL parts: read+validate {stage_rate:,.0f} rows/s "
        f"({stage_rate / pg['copy_rate']:.1%} of COPY), write into the indexed table "
        f"{merge_rate:,.0f} rows/s ({merge_rate / pg['copy_rate']:.1%} of COPY)"
    )
    print(
        f"Derived indicators after the ingest (a background job, UPPSIKT_DERIVED_INLINE_ROWS): "
        f"{pg['derived_values']:,} values in {pg['derived_s']:.2f} s"
    )
    floor_rate = rows / pg["floor_s"]
    print(
        f"Floor (the same rows already typed, INSERT … SELECT into an empty unpartitioned "
        f"table with Measurement's indexes): {floor_rate:,.0f} rows/s "
        f"({floor_rate / pg['copy_rate']:.1%} of COPY)"
    )
    print(
        f"PostgreSQL: ingest {pg['ingest_s']:.2f} s (read+validate {pg['stage_s']:.2f} s, write "
        f"{pg['merge_s']:.2f} s), COPY {pg['copy_s']:.2f} s; re-import of the same file "
        f"{pg['reimport_s']:.1f} s ({pg['reimport_unchanged']:,} unchanged, "
        f"{pg['reimport_created']} new); after one value changed elsewhere "
        + (f"{pg['touched_s']:.1f} s" if "touched_s" in pg else "skipped")
    )
    print(
        f"assessment: {pg['goals']} goals, {pg['indicators']} indicators, p95 "
        f"{pg['assess_p95']:.1f} ms; comparison: {pg['compared']} organisations ranked, "
        f"p95 {pg['compare_p95']:.1f} ms, query only {pg['ranking_ms']:.1f} ms"
    )
    if sqlite:
        print(
            f"SQLite: ingest {sqlite['ingest_s']:.1f} s; assessment median "
            f"{sqlite['assess_ms']:.1f} ms; comparison median {sqlite['compare_ms']:.1f} ms"
        )


# --- The dataset -----------------------------------------------------------------------------


def indicator_keys(count: int) -> list[str]:
    """The demo plan's measured definitions first, then generated ones."""
    demo = [
        "levnadsvaneformular",
        "halsofrämjande-behandlingsatgarder",
        "tillgang-till-varden",
        "telefontillganglighet-primarvard",
        "vardgaranti-primarvard",
        "halsofrämjande-insatser-riskomraden",
        "forebyggande-atgarder-tandvard",
        "fardigbehandlade-ett-besok",
        "bredband-100",
        "hme",
        "jamix",
        "frisktal",
        "avi",
        "personalomsattning-externt",
        "resultat-regionstyrelsen",
    ]
    generated = [f"bench-{number:04d}" for number in range(1, count + 1)]
    return (demo + generated)[:count]


def organisation_codes() -> list[str]:
    import csv

    folder = REPO / "uppsikt" / "organisations" / "reference"
    with (folder / "regioner.csv").open(encoding="utf-8") as handle:
        codes = [row["kod"] for row in csv.DictReader(handle)]
    with (folder / "kommuner.csv").open(encoding="utf-8") as handle:
        codes += [row["kommunkod"] for row in csv.DictReader(handle)]
    return codes


def generate(path: Path, count: int) -> int:
    """Write the dataset; deterministic (seeded per indicator), Swedish decimal commas."""
    codes = organisation_codes()
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("indikator;organisation;period;kön;värde;status\n")
        for key in indicator_keys(count):
            rng = random.Random(key)
            level = rng.uniform(20, 90)
            lines = []
            for code in codes:
                base = level * rng.uniform(0.8, 1.2)
                for year in YEARS:
                    base *= 1 + rng.uniform(-0.04, 0.05)
                    status = "preliminär" if year == YEARS[-1] else "slutlig"
                    women = base * (1 + rng.uniform(-0.08, 0.08))
                    for gender, value in (("T", base), ("K", women), ("M", 2 * base - women)):
                        text = f"{value:.1f}".replace(".", ",")
                        lines.append(f"{key};{code};{year};{gender};{text};{status}\n")
            out.writelines(lines)
            rows += len(lines)
    return rows


# --- Inside Django, on one database ----------------------------------------------------------


def _median_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def run_phase(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsikt.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    from uppsikt.indicators.importers import columnar, import_file
    from uppsikt.indicators.importers import staging as staging_module
    from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget, Measurement
    from uppsikt.indicators.proposals import propose_plan
    from uppsikt.indicators.queries import ranking
    from uppsikt.plans.models import Plan

    path = Path(args.file)
    keys = indicator_keys(10**6)
    with path.open("rb") as handle:
        count = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
    wanted = {line.split(";", 1)[0] for line in _first_column(path)}
    # Every definition is divided by kön here, so each has T, K and M rows.
    existing = set(IndicatorDefinition.objects.values_list("key", flat=True))
    IndicatorDefinition.objects.bulk_create(
        IndicatorDefinition(key=key, name=f"Indikator {key}", unit="procent", by_gender=True)
        for key in keys
        if key in wanted and key not in existing
    )
    IndicatorDefinition.objects.filter(key__in=wanted).update(by_gender=True)
    Measurement.objects.all().delete()  # start from the empty table the COPY also gets
    result: dict = {"rows": count}

    if connection.vendor == "postgresql":
        connection.cursor().execute("ANALYZE")
        raw = connection.connection
        raw.execute(
            "CREATE TABLE bench_bare (indikator text, organisation text, period text, "
            "kon text, varde text, status text)"
        )
        started = time.perf_counter()
        with (
            raw.cursor() as cursor,
            cursor.copy(
                "COPY bench_bare FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        raw.commit() if not raw.autocommit else None
        result["copy_s"] = time.perf_counter() - started
        result["copy_rate"] = count / result["copy_s"]
        raw.execute("DROP TABLE bench_bare")

    # Time the two halves of the import too: reading and judging the file, and writing its
    # rows (the staged merge, or the load of new partitions straight from the file).
    merge_time = [0.0]

    def timed(original):
        def merge(self, now):
            started = time.perf_counter()
            try:
                return original(self, now)
            finally:
                merge_time[0] += time.perf_counter() - started

        return merge

    writers = [staging_module.Staging, columnar._Rows]
    originals = [writer.merge for writer in writers]
    for writer, original in zip(writers, originals, strict=True):
        writer.merge = timed(original)
    if os.environ.get("UPPSIKT_BENCH_STATEMENTS"):
        connection.execute_wrappers.append(_slow_statements)
    started = time.perf_counter()
    report = import_file(path)
    result["ingest_s"] = time.perf_counter() - started
    assert report.imported and report.created == count, report.to_data(max_errors=5)
    result["derived_s"], result["derived_values"] = _run_recompute_jobs()
    result["merge_s"] = merge_time[0]
    result["stage_s"] = result["ingest_s"] - merge_time[0]
    result["ingest_rate"] = count / result["ingest_s"]
    for writer, original in zip(writers, originals, strict=True):
        writer.merge = original
    if connection.vendor == "postgresql":
        connection.cursor().execute("ANALYZE")
        started = time.perf_counter()
        again = import_file(path)
        result["reimport_s"] = time.perf_counter() - started
        result["reimport_unchanged"] = again.unchanged
        result["reimport_created"] = again.created
        assert again.imported and again.unchanged == count, again.to_data(max_errors=5)
        # (After the re-import, so that its writes do not slow that down.)
        # Not a ceiling but a floor of the work the import cannot skip: the same rows,
        # already typed and valid, inserted into an empty copy of Measurement with its
        # indexes (no validation, no revisions, no audit).
        raw = connection.connection
        raw.execute("CREATE TABLE bench_indexed (LIKE indicators_measurement INCLUDING ALL)")
        columns = (
            "definition_id, organisation_id, period, gender, value, status, source, updated_at"
        )
        started = time.perf_counter()
        raw.execute(
            f"INSERT INTO bench_indexed ({columns}) SELECT {columns} FROM indicators_measurement"
        )
        raw.commit() if not raw.autocommit else None
        result["floor_s"] = time.perf_counter() - started
        raw.execute("DROP TABLE bench_indexed")

    plan = Plan.objects.get(unit__slug="regionstyrelsen", year=2023)
    proposed = propose_plan(plan, "2023")
    result["goals"] = sum(1 for assessment in proposed.values() if assessment)
    result["indicators"] = IndicatorTarget.objects.filter(indicator__goal__plan=plan).count()
    samples = []
    for _ in range(ASSESS_RUNS):
        started = time.perf_counter()
        propose_plan(plan, "2023")
        samples.append(time.perf_counter() - started)
    result["assess_ms"], result["assess_p95"] = _median_ms(samples)

    definition = IndicatorDefinition.objects.get(key=next(_first_column(path)))
    result["compared"] = len(ranking(definition, "2023"))
    samples = []
    for _ in range(COMPARE_RUNS):
        started = time.perf_counter()
        ranking(definition, "2023")
        samples.append(time.perf_counter() - started)
    result["ranking_ms"] = _median_ms(samples)[0]
    client = Client()
    url = f"/indikatorer/{definition.pk}/jamfor/2023/"
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(COMPARE_RUNS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
    assert response.status_code == 200
    result["compare_ms"], result["compare_p95"] = _median_ms(samples)
    if connection.vendor == "postgresql" and not os.environ.get("UPPSIKT_BENCH_SKIP_TOUCHED"):
        # Last, so that its passes over the table do not touch figures 3 and 4: the same
        # file after one value was changed elsewhere (here by the ORM): its fingerprint no
        # longer holds, so every row is compared and the one value changed back.
        touched = Measurement.objects.filter(period="2023").order_by("id").first()
        touched.value += 1
        touched.save()
        started = time.perf_counter()
        third = import_file(path)
        result["touched_s"] = time.perf_counter() - started
        assert third.imported and third.changed == 1, third.to_data(max_errors=5)
    print(json.dumps(result))


def _run_recompute_jobs() -> tuple[float, int]:
    """Run the derived indicators' recompute that a large import leaves to a background job
    (``UPPSIKT_DERIVED_INLINE_ROWS``) as the worker would, timed: (seconds, values written)."""
    from django_tasks import default_task_backend

    from uppsikt.indicators.tasks import recompute_job
    from uppsikt.jobs.models import Job

    took, written = 0.0, 0
    for job in Job.objects.filter(kind="derived", status=Job.Status.QUEUED):
        queued = default_task_backend.get_result(job.task_result_id)
        started = time.perf_counter()
        recompute_job.call(*queued.args, **queued.kwargs)
        took += time.perf_counter() - started
        job.refresh_from_db()
        written += (job.result or {}).get("written", 0)
    return took, written


def _slow_statements(execute, sql, params, many, context):
    """With ``--statements``: each statement of 0.1 s or more (or of
    ``UPPSIKT_BENCH_STATEMENTS_FROM`` seconds), with its time, on stderr."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        took = time.perf_counter() - started
        if took >= float(os.environ.get("UPPSIKT_BENCH_STATEMENTS_FROM", "0.1")):
            print(f"  {took:7.2f} s  {' '.join(sql.split())[:110]}", file=sys.stderr)


def _first_column(path: Path):
    """The distinct first fields of the CSV, cheaply (rows are grouped by indicator)."""
    last = None
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            key = line[: line.index(";")]
            if key != last:
                last = key
                yield key


if __name__ == "__main__":
    main()
