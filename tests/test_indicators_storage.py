"""How imported values are stored: withdrawals, re-imports that write nothing, and (on
PostgreSQL) the bulk load of a year that has no partition yet. Runs on both databases."""

import json
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.actions import record_measurement
from uppsikt.indicators.importers import import_file, import_measurements, partitions
from uppsikt.indicators.models import (
    ImportBatch,
    IndicatorDefinition,
    Measurement,
    MeasurementRevision,
)
from uppsikt.indicators.queries import ranking
from uppsikt.organisations.models import Organisation

from .builders import load_minimal

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def storage_definitions(no_year_partitions):
    load_minimal()
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    hme = IndicatorDefinition.objects.create(key="hme", name="HME", unit="index", by_gender=True)
    IndicatorDefinition.objects.create(
        key="vard", name="Vård", unit="procent", source_kind="kolada", source_code="N79179"
    )
    return hme


def row(period="2023", value="74,1", gender="T", organisation="0099", **more):
    data = {"indicator": "hme", "organisation": organisation, "period": period}
    data |= {"gender": gender, "value": value, **more}
    return data


def withdrawal(period="2023", gender="T", organisation="0099"):
    return {
        "indicator": "hme",
        "organisation": organisation,
        "period": period,
        "gender": gender,
        "withdrawn": True,
    }


def everything():
    """Every stored row (withdrawn ones too) and every revision, as plain tuples."""
    rows = sorted(
        Measurement.stored.values_list(
            "definition__key",
            "organisation__code",
            "period",
            "gender",
            "value",
            "status",
            "source",
            "withdrawn",
            "updated_at",
        )
    )
    revisions = sorted(
        MeasurementRevision.objects.values_list(
            "measurement__period", "measurement__gender", "value", "status", "source"
        )
    )
    return rows, revisions


def test_a_withdrawal_keeps_the_value_in_the_history(storage_definitions):
    hme = storage_definitions
    import_measurements([row(), row(gender="K", value="70")], actor=None)
    report = import_measurements([withdrawal(), row(gender="K", value="70")], actor=None)
    assert report.imported and report.errors == []
    assert (report.withdrawn, report.unchanged, report.created, report.changed) == (1, 1, 0, 0)
    # Not current any more: not shown, not compared …
    assert list(Measurement.objects.values_list("gender", flat=True)) == ["K"]
    assert [r.value for r in ranking(hme, "2023")] == []  # ranks T values only
    # … but stored, with the value it had as its newest revision.
    gone = Measurement.stored.get(gender="T")
    assert gone.withdrawn and gone.value == Decimal("74.1")
    assert [r.value for r in gone.revisions.all()] == [Decimal("74.1")]
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.withdrawn == 1
    event = AuditEvent.objects.filter(action="measurements.import").latest("pk")
    assert event.after["borttagna"] == 1


def test_a_withdrawal_sent_again_or_of_nothing_changes_nothing(storage_definitions):
    import_measurements([row()], actor=None)
    import_measurements([withdrawal()], actor=None)
    before = everything()
    report = import_measurements(
        [withdrawal(), withdrawal(period="2020"), withdrawal(organisation="1880")], actor=None
    )
    assert report.imported
    assert (report.withdrawn, report.unchanged, report.created) == (0, 3, 0)
    assert everything() == before


def test_a_withdrawn_value_sent_again_is_current_again(storage_definitions):
    import_measurements([row()], actor=None)
    import_measurements([withdrawal()], actor=None)
    report = import_measurements([row(value="75")], actor=None)
    assert (report.created, report.changed) == (1, 0)
    current = Measurement.objects.get()
    assert (current.value, current.withdrawn) == (Decimal("75"), False)
    # The withdrawn value was kept when it was withdrawn, once.
    assert list(MeasurementRevision.objects.values_list("value", flat=True)) == [Decimal("74.1")]
    import_measurements([withdrawal()], actor=None)
    record_measurement(storage_definitions, current.organisation, "2023", "76")
    assert Measurement.objects.get().value == Decimal("76")
    assert sorted(MeasurementRevision.objects.values_list("value", flat=True)) == [
        Decimal("74.1"),
        Decimal("75"),
    ]


def test_a_withdrawal_with_a_value_is_refused_by_line(storage_definitions):
    report = import_measurements([row(), row(period="2022", withdrawn=True)], actor=None)
    assert not report.imported
    assert [(e.line, e.column, e.code) for e in report.errors] == [
        (2, "value", "withdrawn_with_value")
    ]
    assert not Measurement.stored.exists() and not ImportBatch.objects.exists()


def test_kolada_isdeleted_withdraws_and_null_withdraws_only_when_asked(storage_definitions):
    from uppsikt.indicators.importers import kolada

    import_measurements(
        [
            {"indicator": "N79179", "organisation": "0099", "period": "2023", "value": "5"},
            {"indicator": "N79179", "organisation": "0000", "period": "2023", "value": "6"},
        ],
        actor=None,
    )
    document = {
        "values": [
            {
                "kpi": "N79179",
                "municipality": "0099",
                "period": 2023,
                "values": [{"gender": "T", "status": "", "value": 5, "isdeleted": True}],
            },
            {
                "kpi": "N79179",
                "municipality": "0000",
                "period": 2023,
                "values": [{"gender": "T", "status": "Missing", "value": None}],
            },
        ]
    }
    data = json.dumps(document).encode()
    report = import_file(data=data, filename="kolada.json")
    assert (report.withdrawn, report.empty) == (1, 1)
    assert list(Measurement.objects.values_list("organisation__code", flat=True)) == ["0000"]
    rows, _total = kolada.read(data, null_withdraws=True)
    report = import_measurements(rows, actor=None, format="kolada")
    assert (report.withdrawn, report.empty, report.unchanged) == (1, 0, 1)
    assert not Measurement.objects.exists() and Measurement.stored.count() == 2


def test_reimport_writes_nothing(storage_definitions):
    text = "indikator;organisation;period;kön;värde\n" + "".join(
        f"hme;0099;{year};{gender};{year % 100},5\n"
        for year in range(2015, 2025)
        for gender in "TKM"
    )
    first = import_file(data=text.encode(), filename="a.csv")
    assert first.created == 30
    before = everything()
    again = import_file(data=text.encode(), filename="a.csv")
    assert (again.unchanged, again.created, again.changed, again.withdrawn) == (30, 0, 0, 0)
    assert everything() == before  # updated_at included: no row was touched


def test_bad_rows_into_a_new_year_are_named_and_nothing_is_written(storage_definitions):
    text = (
        "indikator;organisation;period;kön;värde\n"
        "hme;0099;2031;T;1\n"
        "hme;0099;2031;T;2\n"
        "hme;7777;2031;K;3\n"
        "hme;0099;2031;M;x\n"
    )
    report = import_file(data=text.encode(), filename="a.csv")
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "duplicate"),
        (4, "unknown_organisation"),
        (5, "bad_number"),
    ]
    assert not Measurement.stored.exists() and not ImportBatch.objects.exists()
    if POSTGRES:
        assert not _partition_exists(2031)


def _partition_exists(year: int) -> bool:
    if not POSTGRES:
        return False  # SQLite keeps one plain table
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [partitions.name(year)])
        return cursor.fetchone()[0]


# --- A new year in bulk (PostgreSQL) gives what the merge gives -------------------------------


class _Undo(Exception):
    pass


def _stored_after(rows, *, year_taken: bool):
    """What importing ``rows`` leaves (without updated_at), undone afterwards; with
    ``year_taken`` the year already has a stored value, so it cannot be loaded in bulk."""
    result = None
    try:
        with transaction.atomic():
            if year_taken:
                other = IndicatorDefinition.objects.get(key="vard")
                record_measurement(other, Organisation.objects.get(code="0000"), "2024", "1")
            report = import_measurements(rows, actor=None)
            rows_now, revisions = everything()
            result = (
                (report.created, report.changed, report.unchanged, report.withdrawn),
                [r[:-1] for r in rows_now if r[0] == "hme"],
                revisions,
                _partition_exists(2024),
            )
            raise _Undo
    except _Undo:
        pass
    return result


values = st.lists(
    st.tuples(
        st.sampled_from(["2024", "2024T1", "2024T3", "2024-01", "2024-12"]),
        st.sampled_from("TKM"),
        st.sampled_from(["0099", "0000", "1880"]),
        st.one_of(st.none(), st.decimals(-(10**6), 10**6, places=2)),
    ),
    max_size=25,
    unique_by=lambda t: t[:3],
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=values)
def test_bulk_load_of_a_new_year_stores_what_the_merge_stores(storage_definitions, drawn):
    rows = [
        withdrawal(period, gender, code)
        if value is None
        else row(period, f"{value:f}".replace(".", ","), gender, code, status="p")
        for period, gender, code, value in drawn
    ]
    bulk = _stored_after(rows, year_taken=False)
    merged = _stored_after(rows, year_taken=True)
    # On PostgreSQL a partition was made …
    assert bulk[3] == (POSTGRES and any("value" in r for r in rows))
    assert merged[3] is False  # … but not where the year had a value
    assert bulk[:3] == merged[:3]
    assert all(not r[-1] for r in bulk[1])


@pytest.mark.skipif(not POSTGRES, reason="partitions are PostgreSQL's")
def test_a_value_by_hand_stored_after_the_check_sends_the_new_year_row_by_row(
    storage_definitions, monkeypatch
):
    """A value of the new year stored after ``new_years`` looked (as by a planner between the
    import's check and its ``ATTACH``): the import merges that year row by row instead."""
    real_new_years = partitions.new_years
    hand = IndicatorDefinition.objects.get(key="vard")

    def new_years_then_a_value_by_hand(cursor, years):
        found = real_new_years(cursor, years)
        record_measurement(hand, Organisation.objects.get(code="0000"), "2024", "1")
        return found

    monkeypatch.setattr(partitions, "new_years", new_years_then_a_value_by_hand)
    rows = [row("2024"), row("2024", gender="K", value="70"), row("2025", value="71")]
    report = import_measurements(rows, actor=None)
    assert (report.created, report.errors) == (3, [])
    stored = {(m.definition.key, m.period, m.gender, m.value) for m in Measurement.stored.all()}
    assert stored == {
        ("hme", "2024", "T", Decimal("74.1")),
        ("hme", "2024", "K", Decimal("70")),
        ("hme", "2025", "T", Decimal("71")),
        ("vard", "2024", "T", Decimal("1")),
    }
    # No year was loaded in bulk: the 2024 value by hand kept its year out of a partition.
    assert not _partition_exists(2024) and not _partition_exists(2025)


def test_the_orm_finds_bulk_loaded_values_by_id_and_the_admin_shows_them(
    storage_definitions, admin_client
):
    import_measurements([row(), row(gender="K", value="70")], actor=None)
    import_measurements([row(value="75")], actor=None)  # a correction: one revision
    measurement = Measurement.objects.get(gender="T")
    assert Measurement.objects.get(pk=measurement.pk).value == Decimal("75")
    answer = admin_client.get(f"/admin/indicators/measurement/{measurement.pk}/change/")
    assert answer.status_code == 200 and "74,1" in answer.content.decode()
    storage_definitions.delete()  # Django's cascade: the values and their history go
    assert not Measurement.stored.exists() and not MeasurementRevision.objects.exists()


def test_the_import_page_counts_the_withdrawals(storage_definitions, client):
    from .builders import user_with_role

    import_measurements([row()], actor=None, filename="forsta.csv")
    import_measurements([withdrawal()], actor=None, filename="andra.csv")
    client.force_login(user_with_role("planerare_storage", "planerare", "styrelsen"))
    page = client.get("/indikatorer/inlasning/").content.decode()
    header = page[page.index("Senaste inläsningarna, nyast först") :]
    assert "Borttagna</th>" in header
    latest = header[header.index("andra.csv") : header.index("</tr>", header.index("andra.csv"))]
    cells = [cell.split("</td>")[0] for cell in latest.split('<td class="number">')[1:]]
    assert cells == ["0", "0", "0", "1", "0"]  # new, changed, unchanged, withdrawn, skipped
