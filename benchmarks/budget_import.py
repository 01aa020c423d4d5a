"""Benchmark: reading and checking a large SIE file, and the budget table page.

Run with ``make bench`` or ``.venv/bin/python benchmarks/budget_import.py``. Not a test: it
prints figures and asserts nothing about speed.

* A region-sized SIE 4 ledger written by Uppsikt's own writer: the demo's example ledger
  for table 4.3 plus ``EXTRA_CENTRES`` more kostnadsställen (not mapped, as the rest of a
  region's ledger would be), 12 months of #PSALDO and #PBUDGET per account and object, and
  ``VERIFICATIONS`` #VER blocks of three #TRANS lines each.
* The baseline, measured in the same run on the same bytes: the least any Python reader
  must do, decoding the file from CP437 and splitting every line into fields
  (``bytes.decode`` + ``str.split``). The ratio says what the real parser's quoting,
  object lists, checks and line-numbered errors cost on top.
* ``read_sie`` alone, then the whole check of an import (``importers.check_file``: read,
  map through the mapping table, accumulate per month, check the varav rule), and writing
  the figures (``actions.apply_import``).
* The table page for 4.3 with the published columns and with every column (about 30),
  in-process through the full middleware, median of N_RENDER GETs.

Everything runs against a throwaway SQLite database in a temporary directory.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXTRA_CENTRES = 400
VERIFICATIONS = 30_000
ROUNDS = 3
N_RENDER = 20


def setup_django(var_dir: str) -> None:
    os.environ.update(UPPSIKT_VAR_DIR=var_dir, UPPSIKT_DEBUG="0", ALLOWED_HOSTS="testserver")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsikt.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load", str(REPO / "demo/region-orebro-lan.yaml"), "--replace", stdout=quiet)
    call_command("load_budget", str(REPO / "demo/budget-2023.yaml"), stdout=quiet)
    call_command("demo_users", stdout=quiet)


def big_ledger(table) -> bytes:
    from datetime import date
    from decimal import Decimal

    from uppsikt.budget.examples import example_ledger
    from uppsikt.budget.sie import Balance, write_sie

    sie = example_ledger([table], 2023)
    accounts = sorted(sie.accounts)
    for n in range(EXTRA_CENTRES):
        code = f"9{n:04d}"
        sie.objects[(1, code)] = f"Verksamhet {n} (exempel)"
        for account in accounts:
            for month in range(1, 13):
                amount = Decimal((n * 7919 + account * 31 + month * 13) % 100_000) + Decimal("0.25")
                line = Balance(0, account, amount, f"2023-{month:02d}", ((1, code),))
                sie.period_balances.append(line)
                sie.period_budgets.append(line)
    text = write_sie(sie).decode("cp437")
    parts = [text]
    for n in range(VERIFICATIONS):
        day = date(2023, 1 + n % 12, 1 + n % 28).strftime("%Y%m%d")
        parts.append(
            f'#VER A {n + 1} {day} "Leverantörsfaktura {n}"\r\n{{\r\n'
            f'#TRANS 4010 {{1 "9{n % EXTRA_CENTRES:04d}"}} 1250.00\r\n'
            f"#TRANS 2640 {{}} 312.50\r\n#TRANS 2440 {{}} -1562.50\r\n}}\r\n"
        )
    return "".join(parts).encode("cp437")


def timed(fn, rounds: int = ROUNDS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def baseline(data: bytes) -> int:
    return sum(len(line.split()) for line in data.decode("cp437").split("\n"))


def render(client, url: str) -> float:
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(N_RENDER):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-") as var_dir:
        setup_django(var_dir)
        from django.contrib.auth import get_user_model
        from django.test import Client

        from uppsikt.budget.actions import apply_import, run_import_check, stage_import
        from uppsikt.budget.importers import ImportOptions, check_file
        from uppsikt.budget.models import BudgetTable
        from uppsikt.budget.sie import read_sie

        table = BudgetTable.objects.get(number="4.3")
        admin = get_user_model().objects.get(username="admin")
        data = big_ledger(table)
        lines = data.count(b"\n")
        print(f"SIE file: {len(data) / 1e6:.1f} MB, {lines} lines")

        t_base, _ = timed(lambda: baseline(data))
        t_read, sie = timed(lambda: read_sie(data))
        options = ImportOptions(outcome=True)
        t_check, checked = timed(lambda: check_file(table, "sie", data, options))
        assert not checked.problems, checked.problems[:3]
        staged = stage_import(
            table, actor=admin, file_name="stor.se", content=data, options=options
        )
        run_import_check(staged, actor=admin)
        start = time.perf_counter()
        counts = apply_import(staged, actor=admin)
        t_apply = time.perf_counter() - start

        def row(step: str, seconds: float) -> str:
            per_second = f"{lines / seconds:,.0f}".replace(",", "\u00a0")
            return f"| {step} | {seconds:.2f} | {per_second} | {seconds / t_base:.1f}× |"

        print()
        print("| step | median s (of 3) | lines/s | ratio to baseline |")
        print("|---|---:|---:|---:|")
        print(row("baseline: decode and split every line", t_base))
        print(row("read_sie: parse and check", t_read))
        print(row("check_file: read, map, accumulate, varav rule", t_check))
        print(f"| apply_import: write {counts['nya']} figures | {t_apply:.2f} | – | – |")
        print(f"\n#PSALDO lines read: {len(sie.period_balances)}")

        from uppsikt.budget.stored import load, series_of

        columns = len(series_of(load(table)))
        client = Client()
        url = table.get_absolute_url()
        published = render(client, url)
        every = render(client, url + "?visa=alla")
        print()
        print(f"| table page 4.3 | median ms (of {N_RENDER}) |")
        print("|---|---:|")
        print(f"| published columns (3) | {published:.1f} |")
        print(f"| every column ({columns}) | {every:.1f} |")


if __name__ == "__main__":
    main()
