"""New years of a CSV file read by Arrow and copied straight into new partitions
(``importers.columnar``), against the row-by-row path.

The columnar path must store exactly what the row-by-row path stores and report the same,
and every file it does not take (a problem, a kön the indicator is not divided by, a stored
year, a repeated key) must reach the raw-row path unchanged. The tests below check that it
was taken where it should be (the raw ``COPY`` of ``pgcsv`` never ran) so they can fail.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.indicators.importers import columnar, pgcsv, sideload
from uppsikt.indicators.models import ImportFingerprint, IndicatorDefinition, Measurement
from uppsikt.organisations.models import Organisation

from .builders import load_minimal, user_with_role
from .test_indicators_import_pg import comparable, row_by_row, stored
from .year_partitions import drop_year_partitions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="new partitions are PostgreSQL's own"
    ),
]
NBSP, MINUS = "\u00a0", "\u2212"


@pytest.fixture
def columnar_world(no_year_partitions):
    load_minimal()
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    IndicatorDefinition.objects.create(key="hme", name="HME", unit="index", by_gender=True)
    IndicatorDefinition.objects.create(
        key="vard", name="Vård", unit="procent", source_kind="kolada", source_code="N79179"
    )
    return user_with_role("planerare_columnar", "planerare", "styrelsen")


@pytest.fixture
def raw_copies(monkeypatch):
    """How many times ``pgcsv`` copied a file's raw lines into the database."""
    calls = []
    original = pgcsv._copy_raw

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(pgcsv, "_copy_raw", counted)
    return calls


def fast(data: bytes, **options):
    options.setdefault("actor", None)
    options.setdefault("skip_bad_rows", False)
    options.setdefault("dry_run", False)
    report = pgcsv.import_csv(data, filename="f.csv", progress=lambda *a: None, **options)
    assert report is not None
    return report


# Every one valid: the columnar path takes a file made of these.
VALID_VALUES = ["74,1", "1 183", f"{MINUS}2,5", "-3", "0", "-0", f"1{NBSP}183,25", " 5 "]
VALID_PERIODS = ["2019", "2020T2", "2021-07", " 2022 ", "2023T1"]
good_row = st.tuples(
    st.sampled_from(["hme", "N79179", " hme "]),
    st.sampled_from(["0099", "99", "0000", "1880", " 0000 "]),
    st.sampled_from(VALID_PERIODS),
    st.sampled_from(["T", "K", "m", ""]),
    st.one_of(
        st.sampled_from(VALID_VALUES),
        st.decimals(-(10**6), 10**6, places=3).map(lambda d: f"{d:f}".replace(".", ",")),
    ),
    st.sampled_from(["", "preliminär", "slutlig", " S "]),
    st.sampled_from(["", "Enkät", " SCB ", "a,b", "a\\b"]),
)


@st.composite
def good_files(draw):
    """Files of valid texts whose keys do not repeat (the indicator read as its definition)."""
    rows = draw(st.lists(good_row, min_size=1, max_size=30))
    seen, lines = set(), []
    for indicator, organisation, period, gender, value, status, source in rows:
        definition = "vard" if indicator == "N79179" else "hme"
        if definition == "vard":
            gender = "T"  # not divided by kön
        key = (definition, organisation.strip().zfill(4), period.strip(), gender.upper() or "T")
        if key in seen:
            continue
        seen.add(key)
        lines.append(";".join([indicator, organisation, period, gender, value, status, source]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    header = "indikator;organisation;period;kön;värde;status;källa"
    return (newline.join([header, *lines]) + newline).encode()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=good_files())
def test_columnar_stores_and_reports_what_the_row_by_row_path_does(
    columnar_world, raw_copies, data
):
    raw_copies.clear()
    results = []
    for path in (row_by_row, fast):
        point = transaction.savepoint()
        try:
            report = path(data, actor=columnar_world, skip_bad_rows=False, dry_run=False)
            results.append((comparable(report), stored()))
        finally:
            transaction.savepoint_rollback(point)
    assert results[0] == results[1]
    assert results[1][0]["imported"], results[1][0]["errors"]
    assert raw_copies == []  # the file's text never went into the database as raw lines


def test_columnar_rows_are_typed_as_the_import_reads_them(columnar_world, raw_copies):
    data = (
        "indikator;organisation;period;kön;värde;status\n"
        f"hme;99;2020T2;k;{MINUS}2,5;preliminär\n"
        f"hme;0000;2021-07;M;1{NBSP}183,25;\n"
        "N79179;1880;2019;;74,1;slutlig\n"
    ).encode()
    report = fast(data)
    assert (report.imported, report.created, raw_copies) == (True, 3, [])
    assert sorted(
        Measurement.objects.values_list(
            "definition__key", "organisation__code", "period", "gender", "value", "status"
        )
    ) == [
        ("hme", "0000", "2021-07", "M", Decimal("1183.2500"), "slutlig"),
        ("hme", "0099", "2020T2", "K", Decimal("-2.5000"), "preliminar"),
        ("vard", "1880", "2019", "T", Decimal("74.1000"), "slutlig"),
    ]
    # The file's fingerprint is kept: the same bytes again write nothing.
    assert ImportFingerprint.objects.count() == 1
    again = fast(data)
    assert (again.created, again.unchanged) == (0, 3)


@pytest.mark.parametrize(
    "extra, code",
    [
        ("okänd;0099;2023;T;1;;", "unknown_indicator"),
        ("hme;0099;2023;T;abc;;", "bad_number"),
        ("N79179;0099;2023;K;5;;", "not_by_gender"),
        ("hme;0099; 2023 ;T;2;;", "duplicate"),
    ],
)
def test_columnar_leaves_a_file_it_cannot_take_to_the_raw_rows(
    columnar_world, raw_copies, extra, code
):
    data = (
        "indikator;organisation;period;kön;värde;status;källa\nhme;0099;2023;T;1;;\n" + extra + "\n"
    ).encode()
    before = _partitions()
    report = fast(data)
    assert not report.imported
    assert [(e.line, e.code) for e in report.errors] == [(3, code)]
    assert len(raw_copies) == 1
    assert not Measurement.objects.exists() and _partitions() == before


def test_columnar_is_not_taken_for_a_year_with_stored_values(columnar_world, raw_copies):
    fast(b"indikator;organisation;period;varde\nhme;0099;2023;1\n")
    assert raw_copies == []
    report = fast(b"indikator;organisation;period;varde\nhme;0099;2023;2\nhme;0099;2024;3\n")
    assert (report.created, report.changed, len(raw_copies)) == (1, 1, 1)


def test_columnar_reads_a_file_arrow_cannot_take_as_none(columnar_world):
    opened = pgcsv.open_csv(b"indikator;organisation;period;varde\nhme;0099;2023;1\n")
    assert columnar._read(b"hme;0099;2023\n", opened) is None  # a short row
    assert columnar._read(b"hme;0099;2023;1;x\n", opened) is None  # a longer row


def _partitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'indicators_measurement'::regclass"
        )
        return cursor.fetchone()[0]


# --- a large file: a second connection loads part of the years ------------------------------


@pytest.fixture
def beside(monkeypatch):
    """Every file counts as large: a second connection loads part of its years."""
    monkeypatch.setattr(columnar, "BESIDE_FROM", 1)


def _load_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'indicators\\_load\\_%'")
        return [row[0] for row in cursor.fetchall()]


YEARS_FILE = "indikator;organisation;period;kön;värde\n" + "".join(
    f"hme;{code};{year};{gender};{year % 100},{index}\n"
    for year in range(2015, 2021)
    for index, code in enumerate(["0099", "0000", "1880"])
    for gender in "TKM"
)


@pytest.mark.django_db(transaction=True)  # the second connection sees what is committed
def test_beside_a_large_file_stores_what_the_row_by_row_path_does(
    columnar_world, raw_copies, beside
):
    data = YEARS_FILE.encode()
    report = fast(data)
    assert (report.imported, report.created, raw_copies) == (True, 54, [])
    loaded = stored()
    # Ids were reserved in one step: one per row, consecutive, none taken twice.
    ids = sorted(Measurement.objects.values_list("id", flat=True))
    assert ids == list(range(ids[0], ids[0] + 54))
    # Every year is a partition of its own, named and indexed as one loaded here would be.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid), "
            "(SELECT array_agg(conname::text) FROM pg_constraint WHERE conrelid = c.oid) "
            "FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid "
            "WHERE h.inhparent = 'indicators_measurement'::regclass AND c.relname ~ '_y[0-9]+$'"
        )
        partitions = sorted(cursor.fetchall())
    assert [name for name, _count, _names in partitions] == [
        f"indicators_measurement_y{year}" for year in range(2015, 2021)
    ]
    for name, indexes, constraints in partitions:
        assert indexes == 3 and sorted(constraints) == [f"{name}_key", f"{name}_year"]
    assert _load_tables() == []
    Measurement.objects.all().delete()
    drop_year_partitions()
    row_by_row(data, actor=None, skip_bad_rows=False, dry_run=False)
    assert stored()[0] == loaded[0]


@pytest.mark.django_db(transaction=True)
def test_beside_a_repeated_key_in_the_second_connections_years_is_named(
    columnar_world, raw_copies, beside
):
    data = (YEARS_FILE + "hme;0099;2015;T;1\nhme;0099;2020;T;1\n").encode()
    report = fast(data)
    assert not report.imported
    assert sorted(e.code for e in report.errors) == ["duplicate", "duplicate"]
    assert len(raw_copies) == 1
    assert not Measurement.objects.exists() and _load_tables() == []


def test_beside_the_tables_of_a_rolled_back_import_are_swept(columnar_world, beside):
    # In the test's transaction the second connection's tables are committed, and the
    # rename that made them partitions rolls back with the savepoint: the next large load
    # drops them.
    point = transaction.savepoint()
    fast(YEARS_FILE.encode())
    transaction.savepoint_rollback(point)
    left = _load_tables()
    assert left and not Measurement.objects.exists()
    other = "indikator;organisation;period;värde\n" + "".join(
        f"N79179;0099;{year};1\n" for year in range(2010, 2014)
    )
    assert fast(other.encode()).imported
    assert _load_tables() == []


def test_beside_ids_come_from_the_sequence_when_the_import_holds_it(
    columnar_world, beside, monkeypatch
):
    reserved = []
    original = sideload.Side.reserve_ids
    monkeypatch.setattr(
        sideload.Side,
        "reserve_ids",
        lambda side, count: reserved.append(original(side, count)) or reserved[-1],
    )
    # The import's own transaction took an id earlier, so it holds the id sequence and the
    # second connection cannot reserve a range: each row then takes its id as it is copied.
    earlier = Measurement.objects.create(
        definition=IndicatorDefinition.objects.get(key="vard"),
        organisation=Organisation.objects.get(code="0000"),
        period="2009",
        gender="T",
        value=1,
        status="slutlig",
        updated_at="2026-01-01T00:00:00Z",
    )
    report = fast(YEARS_FILE.encode())
    assert (report.imported, report.created, reserved) == (True, 54, [None])
    ids = list(Measurement.objects.exclude(pk=earlier.pk).values_list("id", flat=True))
    assert len(set(ids)) == 54 and min(ids) > earlier.pk
