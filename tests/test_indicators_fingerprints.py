"""Fingerprints of imported files (``importers.fingerprints``) and the triggers that keep
them exact: any write to ``Measurement``, through any path, empties the digest of every
(definition, year) it touched, so a re-import after it is never skipped. The triggers run
on both databases; the skip itself is the PostgreSQL CSV path's."""

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.actions import define_derived, record_measurement
from uppsikt.indicators.importers import import_file, import_measurements, pgcsv
from uppsikt.indicators.models import (
    ImportBatch,
    ImportFingerprint,
    IndicatorDefinition,
    Measurement,
    ValueChunk,
)
from uppsikt.organisations.models import Organisation, Unit

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"
YEARS = ("2022", "2023")
DIGEST = "f" * 64
HYPOTHESIS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def fingerprint_world():
    return world()


def world():
    """Two definitions (one divided by kön) and three organisations; returns a planner."""
    load_minimal()
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    IndicatorDefinition.objects.create(key="hme", name="HME", unit="index", by_gender=True)
    IndicatorDefinition.objects.create(key="vard", name="Vård", unit="procent")
    return user_with_role("planerare_fingerprint", "planerare", "styrelsen")


def _fresh() -> None:
    """Hypothesis runs every example in the one test's transaction: start each afresh."""
    Measurement.stored.all().delete()
    ValueChunk.objects.all().delete()
    ImportFingerprint.objects.all().delete()


def _file() -> bytes:
    lines = ["indikator;organisation;period;kön;värde;status;källa"]
    for key in ("hme", "vard"):
        for organisation in ("0099", "0000", "1880"):
            for year in YEARS:
                lines.append(f"{key};{organisation};{year};T;{len(lines)},5;slutlig;Test")
    return ("\n".join(lines) + "\n").encode()


def _stamp_every_chunk() -> None:
    """Every (definition, year) of the stored values, as if a file had confirmed it."""
    pairs = {(d, int(p[:4])) for d, p in Measurement.stored.values_list("definition_id", "period")}
    for definition_id, year in pairs:
        ValueChunk.objects.update_or_create(
            definition_id=definition_id, year=year, defaults={"digest": DIGEST}
        )


def _stamped() -> set[tuple[int, int]]:
    return set(ValueChunk.objects.filter(digest=DIGEST).values_list("definition_id", "year"))


def _value(key: str, organisation: str, year: str) -> Measurement:
    return Measurement.stored.get(
        definition__key=key, organisation__code=organisation, period=year, gender="T"
    )


# Every way a value can be written, each given (indicator, organisation, year) of a stored
# value; each must empty the digest of exactly that definition's year.
def _by_hand(key, organisation, year):
    current = _value(key, organisation, year)
    record_measurement(
        current.definition, current.organisation, year, current.value + 1, source="handpåläggning"
    )


def _orm_save(key, organisation, year):
    current = _value(key, organisation, year)
    current.value += Decimal("0.5")
    current.save()


def _orm_update(key, organisation, year):
    Measurement.stored.filter(pk=_value(key, organisation, year).pk).update(status="preliminar")


def _orm_delete(key, organisation, year):
    _value(key, organisation, year).delete()


def _orm_create(key, organisation, year):
    Measurement.objects.create(
        definition=IndicatorDefinition.objects.get(key=key),
        organisation=Organisation.objects.get(code=organisation),
        period=f"{year}-06",
        value=Decimal(1),
    )


def _api_rows(key, organisation, year):
    row = {"indicator": key, "organisation": organisation, "period": year, "value": "999"}
    assert import_measurements([row], actor=None, filename="api").changed == 1


def _withdrawal(key, organisation, year):
    row = {"indicator": key, "organisation": organisation, "period": year, "withdrawn": True}
    assert import_measurements([row], actor=None, filename="api").withdrawn == 1


def _another_file(key, organisation, year):
    data = f"indikator;organisation;period;värde\n{key};{organisation};{year};4242\n".encode()
    assert import_file(data=data, filename="annan.csv").changed == 1


WRITES = {
    "by hand": _by_hand,
    "ORM save": _orm_save,
    "ORM update": _orm_update,
    "ORM delete": _orm_delete,
    "ORM create": _orm_create,
    "API rows": _api_rows,
    "withdrawal": _withdrawal,
    "another file": _another_file,
}


@HYPOTHESIS
@given(
    write=st.sampled_from(sorted(WRITES)),
    key=st.sampled_from(["hme", "vard"]),
    organisation=st.sampled_from(["0099", "0000", "1880"]),
    year=st.sampled_from(YEARS),
)
def test_any_write_empties_exactly_the_chunk_it_touched(
    fingerprint_world, write, key, organisation, year
):
    _fresh()
    import_file(data=_file(), filename="matvarden.csv")
    _stamp_every_chunk()
    before = _stamped()
    assert len(before) == 4
    WRITES[write](key, organisation, year)
    touched = (IndicatorDefinition.objects.get(key=key).pk, int(year))
    assert _stamped() == before - {touched}


def test_deleting_a_definition_or_an_organisation_empties_their_chunks(fingerprint_world):
    import_file(data=_file(), filename="matvarden.csv")
    _stamp_every_chunk()
    hme = IndicatorDefinition.objects.get(key="hme")
    vard = IndicatorDefinition.objects.get(key="vard").pk
    hme.delete()
    assert _stamped() == {(vard, 2022), (vard, 2023)}
    Organisation.objects.get(code="1880").delete()
    assert _stamped() == set()


def test_a_derived_recompute_empties_the_derived_chunk(
    fingerprint_world, django_capture_on_commit_callbacks
):
    per = IndicatorDefinition.objects.create(key="per", name="Per", unit="antal")
    for key in ("hme", "vard"):
        IndicatorDefinition.objects.filter(key=key).update(unit="antal", by_gender=False)
    import_file(data=_file(), filename="matvarden.csv")
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(
            per, kind="kvot", inputs=["hme", "vard"], actor=fingerprint_world, decimals=2
        )
    assert Measurement.objects.filter(definition=per, period="2023").exists()
    _stamp_every_chunk()
    with django_capture_on_commit_callbacks(execute=True):
        _api_rows("hme", "0099", "2023")  # the recompute follows the input
    assert (per.pk, 2023) not in _stamped()
    assert (per.pk, 2022) in _stamped()


# --- the skip itself (PostgreSQL's CSV path) -------------------------------------------------

on_postgres = pytest.mark.skipif(not POSTGRES, reason="the skip is the PostgreSQL CSV path's")


def _current() -> list[tuple]:
    return sorted(
        Measurement.stored.values_list(
            "definition_id",
            "organisation_id",
            "period",
            "gender",
            "value",
            "status",
            "source",
            "withdrawn",
        )
    )


@on_postgres
def test_an_unchanged_reimport_is_known_by_its_fingerprint(fingerprint_world):
    first = import_file(data=_file(), filename="matvarden.csv", actor=fingerprint_world)
    assert first.imported and first.created == 12
    assert ImportFingerprint.objects.get().chunks == 4
    stored = list(Measurement.stored.values_list("id", "updated_at"))
    events = AuditEvent.objects.filter(action="measurements.import").count()
    again = import_file(data=_file(), filename="igen.csv", actor=fingerprint_world)
    assert again.imported and (again.rows, again.unchanged, again.created) == (12, 12, 0)
    assert (again.changed, again.withdrawn) == (0, 0)
    assert list(Measurement.stored.values_list("id", "updated_at")) == stored
    batch = ImportBatch.objects.get(pk=again.batch_id)
    assert (batch.filename, batch.rows, batch.unchanged, batch.created) == ("igen.csv", 12, 12, 0)
    assert AuditEvent.objects.filter(action="measurements.import").count() == events + 1
    event = AuditEvent.objects.filter(action="measurements.import").latest("pk")
    assert event.after["oförändrade"] == 12 and event.after["nya"] == 0


@on_postgres
@HYPOTHESIS
@given(
    write=st.sampled_from(sorted(WRITES)),
    key=st.sampled_from(["hme", "vard"]),
    organisation=st.sampled_from(["0099", "0000", "1880"]),
    year=st.sampled_from(YEARS),
)
def test_a_reimport_after_any_write_is_not_skipped(
    fingerprint_world, write, key, organisation, year
):
    _fresh()
    import_file(data=_file(), filename="matvarden.csv")
    expected = _current()
    WRITES[write](key, organisation, year)
    assert _current() != expected
    with mock.patch.object(pgcsv, "_unchanged", wraps=pgcsv._unchanged) as skipped:
        again = import_file(data=_file(), filename="matvarden.csv")
        assert not skipped.called
        assert again.imported and again.rows == 12
        # The file's keys hold the file's values again (a key it lacks may stay).
        assert [row for row in _current() if row[2] in YEARS] == expected
        # And now the file is known again: the next re-import is skipped.
        assert import_file(data=_file(), filename="matvarden.csv").unchanged == 12
        assert skipped.call_count == 1


@on_postgres
def test_an_actor_without_the_right_is_refused_not_skipped(fingerprint_world):
    import_file(data=_file(), filename="matvarden.csv", actor=fingerprint_world)
    stored = _current()
    # Örebro gets a unit of its own: the planner of Regionstyrelsen may no longer write it.
    orebro = Organisation.objects.get(code="1880")
    Unit.objects.create(organisation=orebro, slug="ks-orebro", name="KS", kind="styrelse")
    report = import_file(data=_file(), filename="matvarden.csv", actor=fingerprint_world)
    assert not report.imported and report.batch_id is None
    assert {error.code for error in report.errors} == {"forbidden"}
    assert len(report.errors) == 4  # every row of Örebro, by line
    assert _current() == stored
    # The command line may: and that re-import is still known unchanged.
    assert import_file(data=_file(), filename="matvarden.csv").unchanged == 12


@on_postgres
def test_a_changed_verdict_is_not_skipped(fingerprint_world):
    import_file(data=_file(), filename="matvarden.csv")
    # The indicator is renamed: its text no longer finds it, so every row is named bad.
    IndicatorDefinition.objects.filter(key="vard").update(key="vard2")
    report = import_file(data=_file(), filename="matvarden.csv")
    assert not report.imported
    assert {error.code for error in report.errors} == {"unknown_indicator"}
    assert len(report.errors) == 6


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_during_the_import_is_not_lost(
    fingerprint_world,
):
    """Another session changes a value of the file while a re-import merges: the re-import
    does not put its digest on that chunk, so the next one compares and restores it."""
    import psycopg

    from uppsikt.indicators.importers import fingerprints

    import_file(data=_file(), filename="matvarden.csv")
    expected = _current()
    Measurement.stored.filter(period="2022").update(source="ändrad")  # no longer a match
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    remember = fingerprints.Fingerprint.remember

    def meanwhile(self, batch):
        other.execute(
            "UPDATE indicators_measurement SET value = value + 1 "
            "WHERE period = '2023' AND definition_id = %s",
            [IndicatorDefinition.objects.get(key="hme").pk],
        )
        return remember(self, batch)

    try:
        with mock.patch.object(fingerprints.Fingerprint, "remember", meanwhile):
            again = import_file(data=_file(), filename="matvarden.csv")
        assert again.imported and again.changed == 6
    finally:
        other.close()
    hme = IndicatorDefinition.objects.get(key="hme").pk
    assert ValueChunk.objects.get(definition_id=hme, year=2023).digest == ""
    assert ValueChunk.objects.filter(digest__gt="").count() == 3
    assert _current() != expected
    with mock.patch.object(pgcsv, "_unchanged", wraps=pgcsv._unchanged) as skipped:
        last = import_file(data=_file(), filename="matvarden.csv")
        assert not skipped.called and last.changed == 3
    assert _current() == expected


@on_postgres
def test_a_file_with_rows_left_out_does_not_keep_an_older_files_digest(fingerprint_world):
    """Its own rows are merged as any other write's: the older file is read again after."""
    import_file(data=_file(), filename="matvarden.csv")
    expected = _current()
    other = (
        "indikator;organisation;period;kön;värde\n"
        "hme;0000;2023;T;4242\n"
        "vard;1880;2023;K;1\n"  # vard is not divided by kön: left out
    ).encode()
    report = import_file(data=other, filename="annan.csv", skip_bad_rows=True)
    assert report.imported and (report.changed, report.skipped) == (1, 1)
    assert _value("hme", "0000", "2023").value == Decimal(4242)
    with mock.patch.object(pgcsv, "_unchanged", wraps=pgcsv._unchanged) as skipped:
        again = import_file(data=_file(), filename="matvarden.csv")
        assert not skipped.called
    assert again.imported and again.changed == 1
    assert _current() == expected
