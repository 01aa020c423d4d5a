"""Benchmark: the plan page with one organisation set up against the same page with fifty.

Run with ``make bench`` or ``.venv/bin/python benchmarks/organisations_scale.py``. Not a
test: it prints figures and asserts nothing about speed. Goal (issue 15): the page with 50
organisations in the database within 10 % of the page with one.

Two throwaway var dirs (SQLite, secret key, collected static), the checkout's own ``var/``
untouched:

* **one**: the Örebro demo file and the demo logins: Region Örebro län set up, the other
  organisations of the file bare comparison rows;
* **fifty**: a copy of *one* in which 49 kommuner more are set up through the actions, the
  way ``uppsikt demo_kommun`` sets up Kumla (``administration.demo_kommun.set_up_kommun``):
  the twelve kommuner of Örebro län already in the file and 37 created from the official
  registry (``administration.actions.create_organisation``), each with its unit tree, its
  own styrmodell, two demo logins with roles, its periods and two decided plans.

The page is Regionstyrelsen's plan 2023, fetched with ``django.test.Client`` in one process
(full middleware, no HTTP), anonymously and signed in as the region's planerare (whose rights
are worked out over every unit of the installation). SQLite's connection is reopened for
every request (``CONN_MAX_AGE=0``), so the process switches database between batches: after
N_WARMUP warm-up GETs on each, ROUNDS rounds of BATCH GETs per case alternate between the two
databases, so background load on the machine hits both alike. The medians of wall-clock and
of the process's CPU time per GET are reported; on a busy machine the CPU time is the steadier.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
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
HOST = "127.0.0.1"
N_WARMUP = 5
ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "12"))
BATCH = 5  # GETs per case in a round
DB_FILE = "uppsikt.sqlite3"  # in the var dir (settings.SQLITE_PATH)
CASES = (("anonymous", None), ("signed in, planerare", "planerare"))

# The twelve kommuner of Örebro län are in the demo file; these 37 (Södermanlands,
# Värmlands and Västmanlands län and two of Dalarna's, from the SCB registry) are created.
CREATED = (
    ("0428", "Vingåker", "04"),
    ("0461", "Gnesta", "04"),
    ("0480", "Nyköping", "04"),
    ("0481", "Oxelösund", "04"),
    ("0482", "Flen", "04"),
    ("0483", "Katrineholm", "04"),
    ("0484", "Eskilstuna", "04"),
    ("0486", "Strängnäs", "04"),
    ("0488", "Trosa", "04"),
    ("1715", "Kil", "17"),
    ("1730", "Eda", "17"),
    ("1737", "Torsby", "17"),
    ("1760", "Storfors", "17"),
    ("1761", "Hammarö", "17"),
    ("1762", "Munkfors", "17"),
    ("1763", "Forshaga", "17"),
    ("1764", "Grums", "17"),
    ("1765", "Årjäng", "17"),
    ("1766", "Sunne", "17"),
    ("1780", "Karlstad", "17"),
    ("1781", "Kristinehamn", "17"),
    ("1782", "Filipstad", "17"),
    ("1783", "Hagfors", "17"),
    ("1784", "Arvika", "17"),
    ("1785", "Säffle", "17"),
    ("1904", "Skinnskatteberg", "19"),
    ("1907", "Surahammar", "19"),
    ("1960", "Kungsör", "19"),
    ("1961", "Hallstahammar", "19"),
    ("1962", "Norberg", "19"),
    ("1980", "Västerås", "19"),
    ("1981", "Sala", "19"),
    ("1982", "Fagersta", "19"),
    ("1983", "Köping", "19"),
    ("1984", "Arboga", "19"),
    ("2080", "Falun", "20"),
    ("2081", "Borlänge", "20"),
)


def bench_env(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        UPPSIKT_VAR_DIR=var_dir,
        UPPSIKT_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="uppsikt.settings",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p),
    )
    env.pop("DATABASE_URL", None)  # always the throwaway SQLite DB
    return env


def run(args: list[str], env: dict[str, str], *, capture: bool = False) -> str:
    done = subprocess.run(
        args,
        cwd=REPO,
        env=env,
        check=True,
        timeout=1800,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return done.stdout or ""


def prepare(env: dict[str, str]) -> None:
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load", DEMO_FILE, "--replace"],
        ["demo_users"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        run([str(BIN / "uppsikt"), *args], env)


# --- in the child processes -----------------------------------------------------------


def grow() -> None:
    """Set up 49 kommuner through the actions (in the var dir of the environment)."""
    import django

    django.setup()
    from django.db import transaction

    from uppsikt.administration.actions import create_organisation
    from uppsikt.administration.demo_kommun import installer, set_up_kommun
    from uppsikt.organisations.models import Organisation

    actor = installer()
    start = time.perf_counter()
    with transaction.atomic():
        existing = list(Organisation.objects.filter(kind="kommun", county_code="18"))
        created = [
            create_organisation(actor=actor, code=code, name=name, kind="kommun", county_code=lan)
            for code, name, lan in CREATED
        ]
        for organisation in existing + created:
            set_up_kommun(organisation, actor=actor)
    count = len(existing) + len(created)
    print(json.dumps({"organisations": count, "seconds": time.perf_counter() - start}))


def measure(databases: dict[str, str]) -> None:
    """Time the plan page per case on both databases, in batches alternating between them
    (the connection is reopened for every request, so a batch reads its own database);
    print JSON."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from uppsikt.organisations.models import Organisation
    from uppsikt.plans.models import Plan

    def use(name: str) -> None:
        connection.close()
        connection.settings_dict["NAME"] = databases[name]

    url = Plan.objects.get(title=PLAN_TITLE).get_absolute_url()
    clients, result = {}, {}
    for name in databases:
        use(name)
        result[name] = {
            "organisations": Organisation.objects.filter(units__isnull=False).distinct().count()
        }
        for case, username in CASES:
            client = Client(HTTP_HOST=HOST)
            if username:
                client.force_login(get_user_model().objects.get(username=username))
            for _ in range(N_WARMUP):
                response = client.get(url)
                if response.status_code != 200 or PLAN_TITLE.encode() not in response.content:
                    raise SystemExit(f"GET {url} -> {response.status_code}")
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            clients[name, case] = client
            result[name][case] = {"queries": len(queries), "wall": [], "cpu": []}
    for number in range(ROUNDS):
        for name in list(databases)[:: 1 if number % 2 == 0 else -1]:
            use(name)
            for case, _username in CASES:
                samples = result[name][case]
                for _ in range(BATCH):
                    wall, cpu = time.perf_counter(), time.process_time()
                    clients[name, case].get(url)
                    samples["wall"].append((time.perf_counter() - wall) * 1000)
                    samples["cpu"].append((time.process_time() - cpu) * 1000)
    print(json.dumps({"url": url, **result}))


# --- main -----------------------------------------------------------------------------


def child(args: list[str], env: dict[str, str]) -> dict:
    out = run([sys.executable, __file__, *args], env, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    base = tempfile.mkdtemp(prefix="uppsikt-bench-scale-")
    try:
        one, fifty = Path(base) / "one", Path(base) / "fifty"
        print(f"preparing throwaway databases in {base} ...", flush=True)
        prepare(bench_env(str(one)))
        shutil.copytree(one, fifty)
        grown = child(["--grow"], bench_env(str(fifty)))
        print(
            f"set up {grown['organisations']} kommuner through the actions "
            f"in {grown['seconds']:.1f} s",
            flush=True,
        )
        measured = child(
            ["--measure", str(one / DB_FILE), str(fifty / DB_FILE)], bench_env(str(one))
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    report(measured)


def report(measured: dict) -> None:
    import django

    one, fifty = measured["one"], measured["fifty"]
    print()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Django {django.get_version()}"
    )
    print(f"page: {PLAN_TITLE} ({measured['url']}), django.test.Client, UPPSIKT_DEBUG=0")
    print(
        f"{N_WARMUP} warm-up GETs per case and database, then {ROUNDS} rounds of {BATCH} "
        f"GETs alternating between the databases: {ROUNDS * BATCH} timed GETs each"
    )
    print(
        f"organisations set up (with units): {one['organisations']} against {fifty['organisations']}"
    )
    print()
    header = f"{'median per GET':<34}{'1 org':>9}{'50 orgs':>9}{'ratio':>8}{'SQL':>9}"
    print(header)
    print("-" * len(header))
    for case, _username in CASES:
        queries = f"{one[case]['queries']}/{fifty[case]['queries']}"
        for measure, label in (("wall", "wall ms"), ("cpu", "CPU ms")):
            low = statistics.median(one[case][measure])
            high = statistics.median(fifty[case][measure])
            print(
                f"{case + ', ' + label:<34}{low:>9.2f}{high:>9.2f}{high / low:>7.2f}x"
                f"{queries if measure == 'wall' else '':>9}"
            )


if __name__ == "__main__":
    if sys.argv[1:] == ["--grow"]:
        grow()
    elif sys.argv[1:2] == ["--measure"]:
        measure({"one": sys.argv[2], "fifty": sys.argv[3]})
    else:
        main()
