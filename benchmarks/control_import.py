"""Benchmark: XLSX import of an internkontrollplan, and the internal-control pages.

Run with ``make bench`` or ``.venv/bin/python benchmarks/control_import.py``. Not a test: it
prints figures and asserts nothing about speed.

* Part A, import: a generated workbook of ROWS åtgärder (one row each, spread over areas and
  risks, every cell filled as the export writes it) imported into one unit. Measured in the
  same run: reading the file with openpyxl alone (the floor: no import can be faster than
  reading its input), parsing it into rows (``xlsx.read_workbook``), the first import (every
  row new) and a second import of the same file (every row matched, nothing to write).
* Part B, pages: in-process render time (django.test.Client, full middleware) of the demo's
  internkontrollplan page and the region page, against the verksamhetsplan page of the same
  demo (a page with its own benchmark, ``plan_page.py``) as the baseline.

Everything runs in a throwaway var dir (SQLite); the checkout's ``var/`` is not touched.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROWS = (200, 2000)
N_RENDER, N_WARMUP = 30, 3


def setup_django(var_dir: str) -> None:
    os.environ["UPPSIKT_VAR_DIR"] = var_dir
    Path(var_dir, "static").mkdir()  # quiets WhiteNoise; the pages' CSS is not fetched
    os.environ["UPPSIKT_DEBUG"] = "0"
    os.environ["UPPSIKT_MANIFEST_STATIC"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsikt.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def generated_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    from uppsikt.control.tabular import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append([header for _name, header in COLUMNS])
    per_risk = 4
    for index in range(rows):
        risk = index // per_risk
        s, k = risk % 4 + 1, (risk * 7) % 4 + 1
        values = {
            "area": f"Område {risk % 12}",
            "risk": f"Risken nummer {risk} att något inte bedrivs enligt kraven.",
            "requirements": "c, d",
            "likelihood": s,
            "consequence": k,
            "score": s * k,
            "decision": "Ej accepterad",
            "measure": f"Åtgärd {index}: kontroll och uppföljning enligt rutin.",
            "region_wide": "Nej",
            "responsible": "Controller",
            "control_method": "Stickprov",
            "frequency": "Årligen",
            "reported_in": "Delårsrapport, verksamhetsberättelse",
            "level": "",
            "motivation": "",
            "note": "",
        }
        sheet.append([values[name] for name, _header in COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def part_a() -> None:
    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from uppsikt.control.xlsx import import_workbook, read_workbook
    from uppsikt.organisations.models import Unit

    actor = get_user_model()(username="benchmark", is_superuser=True, is_active=True)
    unit = Unit.objects.get(slug="regionkansliet")
    print("Part A: XLSX import into one unit (seconds; rows/s in brackets)")
    print(
        f"{'rows':>6} {'file kB':>8} {'openpyxl read':>14} {'parse':>8} {'import new':>11} {'re-import':>10} {'new/read':>9}"
    )
    for rows in ROWS:
        content = generated_workbook(rows)

        def read_only(content=content):
            book = load_workbook(BytesIO(content), read_only=True, data_only=True)
            count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
            book.close()
            return count

        floor, _ = timed(read_only)
        parse, _ = timed(lambda content=content: read_workbook(content))
        year = 2030 + ROWS.index(rows)  # a fresh plan per size
        first, result = timed(
            lambda content=content, year=year: import_workbook(unit, year, content, actor=actor)
        )
        again, _ = timed(
            lambda content=content, year=year: import_workbook(unit, year, content, actor=actor)
        )
        assert result.counts["åtgärder"] == rows
        print(
            f"{rows:>6} {len(content) / 1024:>8.0f} {floor:>8.2f} ({rows / floor:>5.0f}) {parse:>8.2f} "
            f"{first:>5.2f} ({rows / first:>4.0f}) {again:>10.2f} {first / floor:>8.1f}×"
        )


def render_median(client, url: str) -> tuple[float, float]:
    for _ in range(N_WARMUP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(N_RENDER):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]


def part_b() -> None:
    from django.test import Client

    from uppsikt.plans.models import Plan

    client = Client()
    plan = Plan.objects.get(unit__slug="regionstyrelsen", year=2023)
    urls = [
        ("verksamhetsplan (baseline)", plan.get_absolute_url()),
        ("internkontrollplan RS", "/internkontroll/0018/enhet/regionstyrelsen/2023/"),
        ("region 2023", "/internkontroll/0018/2023/"),
        ("risklista", "/internkontroll/0018/2023/risker/"),
    ]
    print(f"\nPart B: in-process render, {N_RENDER} GETs after {N_WARMUP} warm-up (ms)")
    base = None
    for label, url in urls:
        median, p95 = render_median(client, url)
        base = base or median
        print(f"{label:<28} median {median:6.2f}  p95 {p95:6.2f}  ratio {median / base:4.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-") as var_dir:
        setup_django(var_dir)
        from django.test.utils import setup_test_environment

        setup_test_environment()  # test client on "testserver" under ALLOWED_HOSTS
        from django.core.management import call_command

        from uppsikt.accounts.commandline import command_actor
        from uppsikt.control.datafile import load_control_file
        from uppsikt.control.demo import load_demo_control

        call_command(
            "load", str(REPO / "demo" / "region-orebro-lan.yaml"), "--replace", verbosity=0
        )
        load_control_file(REPO / "demo" / "internkontroll-2023.yaml", actor=command_actor())
        load_demo_control(command_actor())
        import platform
        import sqlite3

        import django

        print(
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs"
        )
        part_a()
        part_b()


if __name__ == "__main__":
    main()
