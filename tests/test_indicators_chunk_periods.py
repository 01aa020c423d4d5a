"""The periods with a total value, kept per chunk (``chunk_periods``): whatever writes a
value, through any path, the periods offered are the ones the values have. Both databases;
the import that merges without the trigger is PostgreSQL's CSV path."""

import threading

import pytest
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.indicators import chunk_periods
from uppsikt.indicators.importers import import_file
from uppsikt.indicators.models import IndicatorDefinition, Measurement, ValueChunk
from uppsikt.indicators.queries import periods_with_values

from .test_indicators_fingerprints import HYPOTHESIS, WRITES, _file, _fresh, world
from .year_partitions import drop_year_partitions

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def periods_world():
    return world()


def _from_values(key: str) -> list[str]:
    """What the periods are, read the plain way: every current total value."""
    from uppsikt.indicators.periods import parse_period

    periods = Measurement.objects.filter(definition__key=key, gender="T").values_list(
        "period", flat=True
    )
    return sorted(set(periods), key=parse_period)


def _offered(key: str) -> list[str]:
    return periods_with_values(IndicatorDefinition.objects.get(key=key), totals=True)


def _tertials_file(key: str, year: str) -> bytes:
    return (
        "indikator;organisation;period;kön;värde\n"
        f"{key};1880;{year}T1;T;1\n{key};1880;{year}T2;T;2\n{key};0000;{year}-05;T;3\n"
    ).encode()


def _new_periods(key, organisation, year):
    assert import_file(data=_tertials_file(key, year), filename="tertial.csv").imported


def _withdraw_every_total(key, organisation, year):
    rows = Measurement.objects.filter(definition__key=key, period=year, gender="T")
    rows.update(withdrawn=True)


WRITES_AND_MORE = {**WRITES, "new periods": _new_periods, "all withdrawn": _withdraw_every_total}


def _applies(write: str, key: str, organisation: str, year: str) -> bool:
    """Whether ``write`` can be made: most change a stored current value; "ORM create"
    makes a June value, once."""
    if write in ("new periods", "all withdrawn"):
        return True
    period = f"{year}-06" if write == "ORM create" else year
    stored = Measurement.objects.filter(
        definition__key=key, organisation__code=organisation, period=period, gender="T"
    ).exists()
    return not stored if write == "ORM create" else stored


@HYPOTHESIS
@given(
    writes=st.lists(
        st.tuples(
            st.sampled_from(sorted(WRITES_AND_MORE)),
            st.sampled_from(["hme", "vard"]),
            st.sampled_from(["0099", "0000", "1880"]),
            st.sampled_from(["2022", "2023"]),
        ),
        min_size=1,
        max_size=4,
        unique=True,  # the same write twice would change nothing the second time
    )
)
def test_the_periods_offered_are_the_values_periods_after_any_writes(periods_world, writes):
    _fresh()
    import_file(data=_file(), filename="matvarden.csv")
    for key in ("hme", "vard"):
        assert _offered(key) == _from_values(key) == ["2022", "2023"]
    for write, key, organisation, year in writes:
        if _applies(write, key, organisation, year):
            WRITES_AND_MORE[write](key, organisation, year)
        for each in ("hme", "vard"):
            # Twice: the first read may fill in what a write made unknown, the second
            # reads what was kept.
            assert _offered(each) == _from_values(each)
            assert _offered(each) == _from_values(each)


def test_the_periods_are_kept_and_read_without_the_values(periods_world):
    import_file(data=_tertials_file("hme", "2023"), filename="tertial.csv")
    hme = IndicatorDefinition.objects.get(key="hme")
    assert _offered("hme") == _from_values("hme")
    assert set(_offered("hme")) == {"2023T1", "2023T2", "2023-05"}
    chunk = ValueChunk.objects.get(definition_id=hme.pk, year=2023)
    assert set(chunk.total_periods.split(",")) == {"2023T1", "2023T2", "2023-05"}
    # Known periods are read from the chunk, not from the values.
    ValueChunk.objects.filter(pk=chunk.pk).update(total_periods="2023T1")
    assert _offered("hme") == ["2023T1"]


def test_a_chunk_written_meanwhile_is_not_given_the_periods_read_before(periods_world, monkeypatch):
    """The write lands between reading the chunks and storing what the values said."""
    import_file(data=_file(), filename="matvarden.csv")
    hme = IndicatorDefinition.objects.get(key="hme")
    assert ValueChunk.objects.get(definition_id=hme.pk, year=2023).total_periods is None
    original = chunk_periods.read_periods

    def write_after_reading(definition_id, years):
        found = original(definition_id, years)
        _new_periods("hme", "1880", "2023")
        return found

    monkeypatch.setattr(chunk_periods, "read_periods", write_after_reading)
    assert "2023T1" not in _offered("hme")  # read before the write
    monkeypatch.setattr(chunk_periods, "read_periods", original)
    assert ValueChunk.objects.get(definition_id=hme.pk, year=2023).total_periods is None
    assert _offered("hme") == _from_values("hme")
    assert "2023T1" in _offered("hme")


@pytest.mark.skipif(not POSTGRES, reason="a second connection holding a row: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_page_does_not_wait_for_a_writer_holding_the_chunk(periods_world):
    import_file(data=_file(), filename="matvarden.csv")
    hme = IndicatorDefinition.objects.get(key="hme")
    ValueChunk.objects.filter(definition_id=hme.pk).update(total_periods=None)
    held, release = threading.Event(), threading.Event()

    def writer():
        with connections["default"].cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT 1 FROM indicators_valuechunk WHERE definition_id = %s AND year = 2023 "
                "FOR UPDATE",
                [hme.pk],
            )
            held.set()
            release.wait(10)
            cursor.execute("ROLLBACK")
        connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        assert _offered("hme") == ["2022", "2023"]  # returns while the row is held
        kept = dict(
            ValueChunk.objects.filter(definition_id=hme.pk).values_list("year", "total_periods")
        )
        assert kept == {2022: "2022", 2023: None}
    finally:
        release.set()
        thread.join()
        drop_year_partitions()  # committed DDL: the flush after the test leaves it


def test_chunks_are_made_for_values_stored_before_they_were_kept(periods_world):
    from importlib import import_module

    migration = import_module("uppsikt.indicators.migrations.0010_chunk_total_periods")
    import_file(data=_file(), filename="matvarden.csv")
    ValueChunk.objects.all().delete()
    assert _offered("hme") == []
    with connection.cursor() as cursor:
        cursor.execute(migration.EVERY_CHUNK)
    assert _offered("hme") == _from_values("hme") == ["2022", "2023"]
    assert ValueChunk.objects.count() == 4
