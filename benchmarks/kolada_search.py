"""Benchmark: searching Kolada's KPI catalogue (issue 16). Prints figures; asserts nothing.

Run with ``.venv/bin/python benchmarks/kolada_search.py [--kpis N]``. A synthetic,
deterministic catalogue of ``N`` KPIs (default 6 000, the order of Kolada's own) with
Swedish titles of 4–10 words and descriptions of 20–40, in a throwaway SQLite database and,
when one is reachable, a throwaway PostgreSQL database (``UPPSIKT_PG_URL``, default
postgres://postgres@127.0.0.1:5432/postgres; created for the run and dropped after).

For each search: the median and p95 over N_RUNS of what the catalogue page asks of the
database (``catalogue_views._page_of``: the number of hits and the first page of 25), and the ratio of the median to the
baseline measured in the same run, the catalogue listed without words or filters. Then the
whole page ``/kolada/katalog/?q=…`` in-process (django.test.Client), median.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.phases import child_env, throwaway_postgres  # noqa: E402 - after the path

N_RUNS = 20
WORDS = [
    "andel",
    "invånare",
    "väntetid",
    "vård",
    "besök",
    "primärvården",
    "specialiserad",
    "region",
    "kommun",
    "nöjda",
    "kostnad",
    "elever",
    "gymnasiet",
    "behörighet",
    "äldreomsorg",
    "hemtjänst",
    "brukare",
    "personal",
    "sjukfrånvaro",
    "läkemedel",
    "tandvård",
    "barn",
    "unga",
    "öppenvård",
    "slutenvård",
    "ekonomi",
    "resultat",
    "nettokostnad",
    "arbetslöshet",
    "bredband",
    "kollektivtrafik",
    "resor",
    "miljö",
    "avfall",
    "återvinning",
    "vatten",
    "energi",
    "folkhälsa",
    "dödlighet",
    "cancer",
    "hjärta",
    "psykiatri",
    "förlossning",
    "tillgänglighet",
    "telefon",
]
AREAS = ["Hälso- och sjukvård", "Äldreomsorg", "Grundskola", "Kommunen, övergripande", "Miljö"]
SEARCHES = [
    ("baseline: no words, no filters", {}),
    ("one word: väntetid", {"text": "väntetid"}),
    ("three words: andel invånare nöjda", {"text": "andel invånare nöjda"}),
    ("folded: ANDEL INVANARE", {"text": "ANDEL INVANARE"}),
    ("an id: N00042", {"text": "N00042"}),
    (
        "a word and every filter",
        {"text": "vård", "area": AREAS[0], "by_gender": "ja", "applies_to": "L"},
    ),
    ("no hit: xyzzy", {"text": "xyzzy"}),
]


def catalogue(count: int) -> list[dict]:
    rng = random.Random(16)
    rows = []
    for index in range(count):
        rows.append(
            {
                "code": f"N{index:05}",
                "title": " ".join(rng.choices(WORDS, k=rng.randint(4, 10))).capitalize(),
                "description": " ".join(rng.choices(WORDS, k=rng.randint(20, 40))) + ".",
                "operating_area": rng.choice(AREAS),
                "divided_by_gender": rng.random() < 0.4,
                "municipality_type": rng.choice("KLA"),
            }
        )
    return rows


def phase(count: int) -> dict:
    """In this process, on the database the environment names: migrate, fill, time."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from uppsikt.kolada.catalogue_views import _page_of
    from uppsikt.kolada.models import KoladaKpi
    from uppsikt.kolada.search import Criteria

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # the page's stylesheet links
    fetched = timezone.make_aware(datetime.datetime(2026, 12, 1))
    KoladaKpi.objects.bulk_create(
        (KoladaKpi(fetched_at=fetched, **row) for row in catalogue(count)), batch_size=1000
    )
    results = []
    for label, fields in SEARCHES:
        criteria = Criteria(**fields)
        times, hits = [], 0
        for _ in range(N_RUNS + 2):
            start = time.perf_counter()
            page = _page_of(criteria, "1")  # as the catalogue page reads it
            hits = page.paginator.count
            list(page.object_list)
            times.append((time.perf_counter() - start) * 1000)
        times = sorted(times[2:])  # two warm-up runs
        results.append(
            {
                "label": label,
                "hits": hits,
                "median": statistics.median(times),
                "p95": times[round(0.95 * (len(times) - 1))],
            }
        )
    client, page_times = Client(), []
    for _ in range(N_RUNS + 2):
        start = time.perf_counter()
        response = client.get("/kolada/katalog/", {"q": "andel invånare", "galler": "L"})
        assert response.status_code == 200
        page_times.append((time.perf_counter() - start) * 1000)
    return {
        "vendor": connection.vendor,
        "searches": results,
        "page": statistics.median(page_times[2:]),
    }


def run_phase(env: dict[str, str], count: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", "--kpis", str(count)],
        env=env,
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if out.returncode:
        sys.exit(f"the phase failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(result: dict, count: int) -> None:
    base = result["searches"][0]["median"]
    print(f"\n{result['vendor']}: {count} KPIs")
    print("| search | hits | median ms | p95 ms | × baseline |\n|---|---:|---:|---:|---:|")
    for row in result["searches"]:
        print(
            f"| {row['label']} | {row['hits']} | {row['median']:.1f} | {row['p95']:.1f} "
            f"| {row['median'] / base:.2f}× |"
        )
    print(f"page /kolada/katalog/?q=andel+invånare&galler=L: median {result['page']:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kpis", type=int, default=6000)
    parser.add_argument("--phase", action="store_true")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.kpis)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = child_env(tmp)
        report(run_phase(env, args.kpis), args.kpis)
        with throwaway_postgres(env, "bench_kolada") as pg_env:
            if pg_env is not None:
                report(run_phase(pg_env, args.kpis), args.kpis)


if __name__ == "__main__":
    main()
