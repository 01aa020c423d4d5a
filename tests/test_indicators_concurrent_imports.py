"""Two CSV imports of new years at the same time, each on its own connection (PostgreSQL).

A file whose years have no partition yet goes the columnar way (``importers.columnar``):
its rows are copied into fresh tables that become the years' partitions when the import
commits. Two such imports at once must end as if one had run after the other: the one that
comes second finds the years stored and merges with them (new keys, changed values kept as
revisions, equal values unchanged), each import has its batch and audit event, and no
table of either is left behind.

Each test forces its interleaving: the first import (A) is held inside its transaction at a
known point by a wrapped function waiting on an event; the second (B) is started and let run
until its connection waits for a lock (or it is done); only then is A let go.
"""

import threading
import time

import pytest
from django.db import connection

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.importers import columnar, core, import_file, partitions
from uppsikt.indicators.models import (
    ImportBatch,
    ImportFingerprint,
    IndicatorDefinition,
    MeasurementRevision,
    ValueChunk,
)
from uppsikt.organisations.models import Organisation

from .builders import load_minimal, user_with_role
from .test_indicators_import_pg import comparable, stored
from .year_partitions import drop_year_partitions, year_partitions

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="new partitions are PostgreSQL's own"
    ),
    # Two connections, each committing on its own.
    pytest.mark.django_db(transaction=True),
]
WAIT = 30  # seconds: a test that waits this long has failed (deadlock, lost wake-up)
CODES = ["0099", "0000", "1880"]


def _stray_tables() -> list[str]:
    """Tables of a load that are no partition: the second connection's, or the bulk one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p') "
            "AND (c.relname LIKE 'indicators\\_load\\_%%' OR c.relname = %s "
            "OR (c.relname ~ '^indicators_measurement_y[0-9]+$' AND NOT EXISTS "
            "(SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)))",
            [partitions.BULK],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _reset_years() -> None:
    """Back to no stored value: the year partitions, revisions and fingerprints go (batches
    and audit events stay; they are compared by what each run added)."""
    MeasurementRevision.objects.all().delete()
    ImportFingerprint.objects.all().delete()
    ValueChunk.objects.all().delete()
    drop_year_partitions()
    with connection.cursor() as cursor:
        for name in _stray_tables():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute("DELETE FROM indicators_measurement")


@pytest.fixture
def concurrent_world():
    """Definitions and organisations, committed; no year partition before or after."""
    _reset_years()
    load_minimal()
    for code, name, kind in (("0000", "Riket", "riket"), ("1880", "Örebro", "kommun")):
        Organisation.objects.create(code=code, name=name, kind=kind)
    IndicatorDefinition.objects.create(key="hme", name="HME", unit="index", by_gender=True)
    IndicatorDefinition.objects.create(
        key="vard", name="Vård", unit="procent", source_kind="kolada", source_code="N79179"
    )
    yield user_with_role("planerare_concurrent", "planerare", "styrelsen")
    _reset_years()


def years_file(years, shift: int = 0, extra: bool = False) -> bytes:
    """Values of ``hme`` (by kön) and ``N79179`` for ``years``; ``shift`` changes the values
    of women's rows, ``extra`` adds a period per year (keys the other file lacks)."""
    periods = ["", "T1", "-03"] + (["T3"] if extra else [])
    lines = ["indikator;organisation;period;kön;värde;status"]
    for year in years:
        for suffix in periods:
            for index, code in enumerate(CODES):
                for gender in "TKM":
                    value = year % 100 + index + (shift if gender == "K" else 0)
                    lines.append(f"hme;{code};{year}{suffix};{gender};{value},5;preliminär")
                lines.append(f"N79179;{code};{year}{suffix};T;{year % 100 + index};slutlig")
    return ("\n".join(lines) + "\n").encode()


class Importer(threading.Thread):
    """One import on a connection of its own (``import_file``, as the views call it)."""

    def __init__(self, data: bytes, name: str, actor) -> None:
        super().__init__(name=name, daemon=True)
        self.data, self.actor = data, actor
        self.report = self.error = self.pid = None
        self.waited = False  # whether it was seen waiting for a lock while A was held
        self.started_work = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started_work.set()
            self.report = import_file(data=self.data, filename=f"{self.name}.csv", actor=self.actor)
        except BaseException as error:  # reported by the test's assertions
            self.error = error
        finally:
            self.started_work.set()
            connection.close()


class Gate:
    """Holds one thread at the first call of a wrapped function until ``release``."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.reached, self.released = threading.Event(), threading.Event()

    def wrap(self, function):
        def held(*args, **kwargs):
            if threading.current_thread() is self.thread and not self.reached.is_set():
                self.reached.set()
                assert self.released.wait(WAIT), "the held import was never let go"
            return function(*args, **kwargs)

        return held


def _blocked_or_done(importer: Importer) -> bool:
    """Wait until ``importer``'s connection waits for a lock (``True``), or the import is
    over (``False``)."""
    assert importer.started_work.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while importer.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [importer.pid]
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    assert not importer.is_alive(), "the second import neither waited for a lock nor ended"
    return False


def run_overlapping(monkeypatch, module, function: str, first: bytes, second: bytes, actor):
    """A held in ``module.function`` (its first call), B run until it waits, A let go; both
    joined. Returns the two importers (A, B)."""
    gate = Gate()
    monkeypatch.setattr(module, function, gate.wrap(getattr(module, function)))
    a, b = Importer(first, "a", actor), Importer(second, "b", actor)
    gate.thread = a
    a.start()
    assert gate.reached.wait(WAIT), f"the first import never reached the held point: {a.error}"
    b.start()
    b.waited = _blocked_or_done(b)
    gate.released.set()
    for importer in (a, b):
        importer.join(WAIT)
        assert not importer.is_alive(), f"import {importer.name} did not end (deadlock?)"
    monkeypatch.undo()
    return a, b


def outcome(reports, since: int):
    """The reports, the stored values and revisions, and the batches and audit events
    written after batch ``since`` (the last one before the run)."""
    measurements, revisions, _batches, _events = stored()
    batches = list(
        ImportBatch.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("filename", "format", "rows", "created", "changed", "unchanged", "skipped")
    )
    events = list(
        AuditEvent.objects.filter(action="measurements.import", object_id__in=_batch_ids(since))
        .order_by("pk")
        .values_list("after", "reason")
    )
    return [comparable(report) for report in reports], measurements, revisions, batches, events


def _batch_ids(since: int) -> list[str]:
    return [str(pk) for pk in ImportBatch.objects.filter(pk__gt=since).values_list("pk", flat=True)]


def _last_batch() -> int:
    return ImportBatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def one_after_the_other(first: bytes, second: bytes, actor):
    """The same two files imported one after the other, from no stored value."""
    _reset_years()
    since = _last_batch()
    reports = [
        import_file(data=data, filename=f"{name}.csv", actor=actor)
        for data, name in ((first, "a"), (second, "b"))
    ]
    return outcome(reports, since)


def check_as_if_in_turn(a: Importer, b: Importer, actor, since: int):
    """Both imported, as one after the other would have; nothing left behind."""
    assert (a.error, b.error) == (None, None)
    assert a.report.imported and b.report.imported, (a.report.errors, b.report.errors)
    assert _stray_tables() == []
    found_partitions = year_partitions()
    for name, indexes, constraints in found_partitions:
        assert (indexes, constraints) == (3, [f"{name}_key", f"{name}_year"]), name
    together = outcome([a.report, b.report], since)
    in_turn = one_after_the_other(a.data, b.data, actor)
    assert together == in_turn
    assert year_partitions() == found_partitions
    return together


# --- the same new years ------------------------------------------------------------------


FIRST = years_file([2021, 2022, 2023])
SECOND = years_file([2021, 2022, 2023], shift=3, extra=True)


@pytest.mark.parametrize(
    "held",
    [
        # A has loaded its first year's table, not yet attached it: B, reading no partition
        # of those years, would create the same table.
        (partitions, "attach"),
        # A has attached every year and waits to record its batch: the years' partitions
        # exist, but are not seen by B until A commits.
        (core, "record_batch"),
    ],
    ids=["before-attach", "before-batch"],
)
@pytest.mark.parametrize("second", [SECOND, FIRST], ids=["changed", "same-bytes"])
def test_two_imports_of_the_same_new_years_end_as_one_after_the_other(
    concurrent_world, monkeypatch, held, second
):
    """Interleaving: A is held inside its merge's transaction (before its first ``ATTACH``,
    or after every one, before its batch); B runs until its connection waits for a lock;
    then A goes on. B must end as if it had started after A committed: its changed values
    are revisions, its equal ones unchanged, its new keys added."""
    since = _last_batch()
    a, b = run_overlapping(monkeypatch, *held, FIRST, second, concurrent_world)
    assert b.waited  # B cannot store these years before A has committed or rolled back
    reports, _measurements, revisions, batches, _events = check_as_if_in_turn(
        a, b, concurrent_world, since
    )
    assert reports[0]["created"] == len(FIRST.splitlines()) - 1
    if second is SECOND:  # 27 changed women's values, 36 new keys (the period T3)
        assert (reports[1]["created"], reports[1]["changed"]) == (36, 27)
        assert len(revisions) == 27
    else:
        assert reports[1]["unchanged"] == reports[1]["rows"] and not revisions
    assert [name for name, *_rest in year_partitions()] == [
        f"indicators_measurement_y{year}" for year in (2021, 2022, 2023)
    ]
    assert len(batches) == 2


@pytest.mark.parametrize("held", [(partitions, "attach"), (core, "record_batch")])
def test_two_large_imports_of_the_same_new_years_with_second_connections(
    concurrent_world, monkeypatch, held
):
    """As above with every file counted as large: each import's second connection loads
    part of the years into committed tables of its own. Interleaving: A is held before its
    first ``ATTACH`` (its second connection's tables loaded, or being loaded) or before its
    batch; B runs until it waits for a lock; then A goes on."""
    monkeypatch.setattr(columnar, "BESIDE_FROM", 1)
    since = _last_batch()
    a, b = run_overlapping(monkeypatch, *held, FIRST, SECOND, concurrent_world)
    assert b.waited
    monkeypatch.setattr(columnar, "BESIDE_FROM", 1)  # the run undid it; in turn, the same
    reports, *_rest = check_as_if_in_turn(a, b, concurrent_world, since)
    assert (reports[1]["created"], reports[1]["changed"]) == (36, 27)


def quoted(data: bytes) -> bytes:
    """The file with a quoted field on every line: it goes row by row (``import_measurements``),
    whose merge loads new years through a scratch table (``partitions.load_in_bulk``)."""
    return data.replace(b";slutlig\n", b';"slutlig"\n')


def test_two_row_by_row_imports_of_the_same_new_years(concurrent_world, monkeypatch):
    """Interleaving: A, read row by row, is held in its merge before the first ``ATTACH`` of
    ``load_in_bulk`` (its years' tables filled through the scratch table); B, row by row
    too, runs until it waits for a lock; then A goes on."""
    first, second = quoted(FIRST), quoted(SECOND)
    assert first != FIRST
    since = _last_batch()
    a, b = run_overlapping(monkeypatch, partitions, "attach", first, second, concurrent_world)
    assert b.waited
    reports, *_rest = check_as_if_in_turn(a, b, concurrent_world, since)
    assert (reports[1]["created"], reports[1]["changed"]) == (36, 27)


# --- different new years -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["small", "beside", "row-by-row"])
def test_two_imports_of_different_new_years_each_create_their_partitions(
    concurrent_world, monkeypatch, kind
):
    """Interleaving: A (2021–2022) is held before its first ``ATTACH``, its tables loaded;
    B (2023–2024) runs until it waits for a lock (or is done); then A goes on. Each import's
    years become partitions of their own, every row stored once."""
    first, second = years_file([2021, 2022]), years_file([2023, 2024], extra=True)
    if kind == "row-by-row":
        first, second = quoted(first), quoted(second)
    large = kind == "beside"
    if large:
        monkeypatch.setattr(columnar, "BESIDE_FROM", 1)
    since = _last_batch()
    a, b = run_overlapping(monkeypatch, partitions, "attach", first, second, concurrent_world)
    if large:
        monkeypatch.setattr(columnar, "BESIDE_FROM", 1)
    reports, measurements, revisions, *_rest = check_as_if_in_turn(a, b, concurrent_world, since)
    assert [report["created"] for report in reports] == [
        len(first.splitlines()) - 1,
        len(second.splitlines()) - 1,
    ]
    assert len(measurements) == sum(report["created"] for report in reports) and not revisions
    assert [name for name, *_rest in year_partitions()] == [
        f"indicators_measurement_y{year}" for year in range(2021, 2025)
    ]
