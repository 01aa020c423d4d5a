"""Benchmark: recomputing a derived indicator (``indicators.derived``) after its inputs change.

Run with ``.venv/bin/python benchmarks/derived_recompute.py``. Not a test: it prints figures
and asserts nothing about speed. SQLite in a throwaway var dir; the checkout's ``var/`` is
not touched.

Two inputs (a count and a population) for ORGS organisations × 16 years × T/K/M, and a ratio
"per 1 000 invånare" of them. Measured in the same run:

1. the baseline: importing the inputs' rows (``import_measurements``, every row new);
2. the first recompute (every derived value new), as defining the formula runs it;
3. a recompute after one input value changed (one derived value written): importing that
   row with the recompute, less importing an unchanged row;
4. a recompute with nothing to do (every derived value as stored): the cost of comparing;
5. a value by hand (``record_measurement``), which recomputes its organisation only.

Each is printed in ms and as a ratio to the baseline import of the same number of rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ORGS = 312
YEARS = range(2010, 2026)
GENDERS = ("T", "K", "M")


def setup_django(var_dir: str) -> None:
    os.environ["UPPSIKT_VAR_DIR"] = var_dir
    Path(var_dir, "static").mkdir()
    os.environ["UPPSIKT_DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsikt.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from uppsikt.accounts.commandline import command_line_user
        from uppsikt.indicators.actions import define_derived, record_measurement
        from uppsikt.indicators.derived import recompute
        from uppsikt.indicators.importers import import_measurements
        from uppsikt.indicators.models import IndicatorDefinition, Measurement
        from uppsikt.organisations.models import Organisation

        Organisation.objects.bulk_create(
            Organisation(code=f"{9000 + i}", name=f"Kommun {i}", kind="kommun") for i in range(ORGS)
        )
        for key in ("vp", "fm"):
            IndicatorDefinition.objects.create(key=key, name=key, unit="antal", by_gender=True)
        per = IndicatorDefinition.objects.create(
            key="per", name="per 1 000", unit="antal", by_gender=True
        )
        rows = [
            {
                "indicator": key,
                "organisation": f"{9000 + i}",
                "period": str(year),
                "gender": gender,
                "value": str(base + i + year % 7),
            }
            for key, base in (("vp", 400), ("fm", 150000))
            for i in range(ORGS)
            for year in YEARS
            for gender in GENDERS
        ]
        keys = len(rows) // 2
        actor = command_line_user()
        baseline, _report = timed(lambda: import_measurements(rows, actor=actor))
        per_row = baseline / len(rows)
        # Defining the formula computes every value once it commits (here: at once).
        first, _r = timed(
            lambda: define_derived(per, kind="kvot", inputs=["vp", "fm"], factor=1000, actor=actor)
        )
        assert Measurement.objects.filter(definition=per).count() == keys
        alone, _r = timed(lambda: import_measurements([rows[1]], actor=actor))  # unchanged
        one, _r = timed(lambda: import_measurements([{**rows[0], "value": "999"}], actor=actor))
        one -= alone
        nothing, _r = timed(lambda: recompute([per.pk]))
        # A value by hand: only its organisation's derived values are recomputed.
        beds = IndicatorDefinition.objects.get(key="vp")
        home = Organisation.objects.get(code="9000")
        plain, _r = timed(lambda: record_measurement(beds, home, "2011", 401, actor=actor))
        scoped, _r = timed(lambda: record_measurement(beds, home, "2011", 402, actor=actor))
        if os.environ.get("PROFILE"):
            import cProfile

            cProfile.runctx("recompute([per.pk])", globals(), locals(), sort="cumtime")
        print(f"Derived recompute, SQLite, {ORGS} organisations × {len(YEARS)} years × T/K/M")
        print(f"  baseline: import {len(rows)} input rows: {baseline:.0f} ms")
        for label, ms, written in (
            ("first recompute", first, keys),
            ("after one input changed (its import's own time taken off)", one, 1),
            ("nothing to do", nothing, 0),
        ):
            ratio = ms / (per_row * max(written, 1))
            print(
                f"  {label}: {ms:.0f} ms for {keys} keys, {written} written "
                f"({ratio:.1f}× importing those rows)"
            )
        print(
            f"  a value by hand (record_measurement, one organisation's {keys // ORGS} keys "
            f"recomputed): {(plain + scoped) / 2:.0f} ms"
        )


if __name__ == "__main__":
    main()
