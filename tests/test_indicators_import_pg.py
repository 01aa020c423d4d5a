"""The PostgreSQL fast path for CSV files (``importers.pgcsv``) against the row-by-row path.

Both must give the same report (rows, counts, every error with line, column, code and
message) and leave the same measurements, revisions, batches and audit events, for good and
bad files alike. Runs on PostgreSQL only (``DATABASE_URL=postgres://…``); skipped on SQLite,
where every file goes row by row.
"""

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.importers import import_file, import_measurements, pgcsv, read_rows
from uppsikt.indicators.models import (
    ImportBatch,
    IndicatorDefinition,
    Measurement,
    MeasurementRevision,
)
from uppsikt.organisations.models import Organisation, Unit

from .builders import load_minimal, user_with_role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the fast path is PostgreSQL's own"
    ),
]
NBSP, MINUS = "\u00a0", "\u2212"

BASE = (
    "indikator;organisation;period;kön;värde;status;källa\n"
    "hme;0099;2023;T;74,1;preliminär;Enkät\n"
    "hme;0099;2023;K;70;;\n"
    "N79179;0000;2023;T;5;;\n"
)


@pytest.fixture
def planner_with_definitions(no_year_partitions):
    load_minimal()
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    blekinge = Organisation.objects.create(code="0010", name="Region Blekinge", kind="region")
    Unit.objects.create(organisation=blekinge, slug="rs", name="Regionstyrelsen", kind="styrelse")
    IndicatorDefinition.objects.create(key="hme", name="HME", unit="index", by_gender=True)
    IndicatorDefinition.objects.create(
        key="vard", name="Vård", unit="procent", source_kind="kolada", source_code="N79179"
    )
    return user_with_role("planerare", "planerare", "styrelsen")


def stored():
    measurements = sorted(
        Measurement.objects.values_list(
            "definition__key",
            "organisation__code",
            "period",
            "gender",
            "value",
            "status",
            "source",
        )
    )
    revisions = sorted(
        MeasurementRevision.objects.values_list(
            "measurement__definition__key",
            "measurement__period",
            "measurement__gender",
            "value",
            "status",
            "source",
        )
    )
    batches = list(
        ImportBatch.objects.order_by("pk").values_list(
            "filename", "format", "rows", "created", "changed", "unchanged", "skipped"
        )
    )
    events = list(
        AuditEvent.objects.filter(action="measurements.import")
        .order_by("pk")
        .values_list("after", "reason")
    )
    return measurements, revisions, batches, events


def comparable(report):
    data = report.to_data()
    data.pop("batch_id")
    return data


def row_by_row(data, **options):
    rows, total = read_rows(data, "csv")
    return import_measurements(rows, filename="f.csv", format="csv", total=total, **options)


def fast(data, **options):
    report = pgcsv.import_csv(data, filename="f.csv", progress=lambda *a: None, **options)
    assert report is not None, "the fast path refused a simple file"
    return report


def both(data, actor, skip_bad_rows=False, base=BASE):
    results = []
    for path in (row_by_row, fast):
        point = transaction.savepoint()
        try:
            row_by_row(base.encode(), actor=None)
            report = path(data, actor=actor, skip_bad_rows=skip_bad_rows, dry_run=False)
            results.append((comparable(report), stored()))
        finally:
            transaction.savepoint_rollback(point)
    return results


INDICATORS = ["hme", "HME", "N79179", "n79179", "vard", "okänd", "", " hme ", "N0"]
ORGANISATIONS = ["0099", "99", "0000", "1880", "0010", "7777", "", " 0000 "]
PERIODS = ["2023", "2022", "2023T2", "2023-07", "2023T4", "", "x", " 2022 ", "2023-13"]
GENDERS = ["", "T", "K", "m", "X", "kvinnor", " M "]
VALUES = [
    "74,1",
    "1 183",
    f"{MINUS}2,5",
    "-3",
    "74.1",
    "",
    " ",
    "12345678901234",
    "1,23456",
    "1,2000",
    f"1{NBSP}183,25",
    "abc",
    "0",
    " 5 ",
    "999999999999,9999",
    "-0",
    "٣",
    "1,",
]
STATUSES = ["", "preliminär", "slutlig", "kanske", "P", " S "]
SOURCES = ["", "Enkät", "x" * 201, " SCB ", "a\\b", "Enkät;2"]

row = st.fixed_dictionaries(
    {
        "indicator": st.sampled_from(INDICATORS),
        "organisation": st.sampled_from(ORGANISATIONS),
        "period": st.sampled_from(PERIODS),
        "gender": st.sampled_from(GENDERS),
        "value": st.one_of(
            st.sampled_from(VALUES),
            st.decimals(-(10**6), 10**6, places=2).map(lambda d: f"{d:f}".replace(".", ",")),
        ),
        "status": st.sampled_from(STATUSES),
        "source": st.sampled_from(SOURCES),
    }
)
NAMES = {
    "indicator": "Indikator",
    "organisation": "organisation",
    "period": "år",
    "gender": "kön",
    "value": "värde",
    "status": "status",
    "source": "källa",
}


@st.composite
def csv_files(draw):
    optional = draw(st.lists(st.sampled_from(["gender", "status", "source"]), unique=True))
    fields = draw(st.permutations(["indicator", "organisation", "period", "value", *optional]))
    delimiter = draw(st.sampled_from([";", "\t"]))
    extra = draw(st.booleans())  # a column the import does not read
    rows = draw(st.lists(row, min_size=1, max_size=25))
    header = [NAMES[f] for f in fields] + (["kommentar"] if extra else [])
    lines = [delimiter.join(header)]
    for values in rows:
        cells = [values[f].replace(";", ",") for f in fields] + (["x"] if extra else [])
        lines.append(delimiter.join(cells))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=csv_files(), skip=st.booleans(), as_planner=st.booleans())
def test_fast_path_reports_and_stores_what_the_row_by_row_path_does(
    planner_with_definitions, data, skip, as_planner
):
    planner = planner_with_definitions
    (slow_report, slow_stored), (fast_report, fast_stored) = both(
        data, planner if as_planner else None, skip
    )
    assert fast_report == slow_report
    assert fast_stored == slow_stored


def test_reimport_and_correction_through_the_fast_path(planner_with_definitions):
    data = BASE.encode()
    report = fast(data, actor=None, skip_bad_rows=False, dry_run=False)
    assert (report.created, report.imported) == (3, True)
    again = fast(data, actor=None, skip_bad_rows=False, dry_run=False)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 3)
    corrected = BASE.replace("74,1;preliminär", "74,3;slutlig").encode()
    report = fast(corrected, actor=None, skip_bad_rows=False, dry_run=False)
    assert (report.created, report.changed, report.unchanged) == (0, 1, 2)
    (revision,) = MeasurementRevision.objects.all()
    assert (str(revision.value), revision.status) == ("74.1000", "preliminar")


def test_a_bad_file_through_the_fast_path_changes_nothing(planner_with_definitions):
    data = (BASE + "okänd;0099;2023;T;1;;\nhme;0099;2023;T;2;;\n").encode()
    report = import_file(data=data, filename="f.csv")
    assert not report.imported
    assert [(e.line, e.column, e.code) for e in report.errors] == [
        (5, "indikator", "unknown_indicator"),
        (6, "", "duplicate"),
    ]
    assert not Measurement.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        'indikator;organisation;period;värde\nhme;0099;2023;"74,1"\n',  # quoted
        "indikator;organisation;period;värde\n\nhme;0099;2023;1\n",  # blank line
        "indikator;organisation;period;värde\nhme;0099;2023\n",  # short row
        "indikator;organisation;period;värde\nhme;0099;2023;1;x\n",  # longer row
        "indikator;organisation;period;värde\nhme;0099;2023;1\r\nhme;0099;2022;1\n",  # mixed
        "indikator;organisation;period;värde\nhme;0099;2023;1\n ; \n",  # blank cells
    ],
)
def test_files_copy_would_read_differently_go_row_by_row(planner_with_definitions, text):
    refused = pgcsv.import_csv(
        text.encode(),
        actor=None,
        filename="f.csv",
        skip_bad_rows=False,
        dry_run=False,
        progress=lambda *a: None,
    )
    assert refused is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=csv_files(), skip=st.booleans())
def test_both_paths_agree_on_new_years_and_on_the_same_file_again(
    planner_with_definitions, data, skip
):
    # Into an empty table every year is new (the bulk load straight from the raw rows);
    # the second import of the same file is the unchanged re-import that writes nothing.
    results = []
    for path in (row_by_row, fast):
        point = transaction.savepoint()
        try:
            first = path(data, actor=None, skip_bad_rows=skip, dry_run=False)
            again = path(data, actor=None, skip_bad_rows=skip, dry_run=False)
            results.append((comparable(first), comparable(again), stored()))
        finally:
            transaction.savepoint_rollback(point)
    assert results[0] == results[1]


def _partitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'indicators_measurement'::regclass"
        )
        return cursor.fetchone()[0]


def test_a_repeated_key_in_new_years_is_named_and_leaves_no_partition(
    planner_with_definitions,
):
    before = _partitions()
    # " 2023 " is read as 2023: the same key as line 2, though not the same text.
    data = (BASE + "hme;0099; 2023 ;T;2;;\n").encode()
    report = fast(data, actor=None, skip_bad_rows=False, dry_run=False)
    assert not report.imported
    assert [(e.line, e.code) for e in report.errors] == [(5, "duplicate")]
    assert not Measurement.objects.exists() and not ImportBatch.objects.exists()
    assert _partitions() == before


def test_a_repeated_key_in_an_unchanged_file_is_named(planner_with_definitions):
    fast(BASE.encode(), actor=None, skip_bad_rows=False, dry_run=False)
    again = (BASE + "hme;0099;2023;T;74,1;preliminär;Enkät\n").encode()
    report = fast(again, actor=None, skip_bad_rows=True, dry_run=False)
    assert [(e.line, e.code) for e in report.errors] == [(5, "duplicate")]
    assert (report.imported, report.unchanged, report.skipped) == (True, 3, 1)


def test_a_row_failing_the_kon_check_is_named_when_every_text_is_valid(
    planner_with_definitions,
):
    # Every distinct text is valid, but "vard" is not reported by kön: only the row shows it.
    data = (BASE + "N79179;0099;2023;K;5;;\n").encode()
    report = fast(data, actor=None, skip_bad_rows=False, dry_run=False)
    assert [(e.line, e.code) for e in report.errors] == [(5, "not_by_gender")]
    assert not Measurement.objects.exists()
