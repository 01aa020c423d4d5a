"""Importing measurements: CSV, XLSX and Kolada JSON through one validating core."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.formatting import format_number
from uppsikt.indicators.importers import import_file, import_measurements
from uppsikt.indicators.importers.rows import read_value
from uppsikt.indicators.importers.xlsx import template
from uppsikt.indicators.models import (
    ImportBatch,
    IndicatorDefinition,
    Measurement,
    MeasurementRevision,
)
from uppsikt.organisations.models import Organisation, Unit

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
NBSP, MINUS = "\u00a0", "\u2212"


@pytest.fixture
def hme_and_kolada_definitions():
    load_minimal()
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    hme = IndicatorDefinition.objects.create(key="hme", name="HME", unit="index", by_gender=True)
    kolada = IndicatorDefinition.objects.create(
        key="vard", name="Vård", unit="procent", source_kind="kolada", source_code="N79179"
    )
    return hme, kolada


def values():
    return sorted(
        Measurement.objects.values_list(
            "definition__key", "organisation__code", "period", "gender", "value", "status"
        )
    )


def nothing_written():
    return (
        not Measurement.objects.exists()
        and not ImportBatch.objects.exists()
        and not AuditEvent.objects.filter(action="measurements.import").exists()
    )


GOOD_CSV = (
    "indikator;organisation;period;kön;värde;status;källa\n"
    "hme;0099;2023;T;74,1;preliminär;Enkät\n"
    f"hme;0099;2023;K;{MINUS}2,5;;Enkät\n"
    f"N79179;0000;2023T2;;1{NBSP}183;slutlig;\n"
    "\n"
    "n79179;99;2023-07;T;1 183,25;;\n"
)


def test_semicolon_csv_with_swedish_numbers(hme_and_kolada_definitions):
    report = import_file(data=GOOD_CSV.encode(), filename="varden.csv")
    assert report.errors == [] and report.imported
    assert (report.rows, report.created, report.changed, report.unchanged) == (4, 4, 0, 0)
    assert values() == [
        ("hme", "0099", "2023", "K", Decimal("-2.5"), "slutlig"),
        ("hme", "0099", "2023", "T", Decimal("74.1"), "preliminar"),
        ("vard", "0000", "2023T2", "T", Decimal("1183"), "slutlig"),
        ("vard", "0099", "2023-07", "T", Decimal("1183.25"), "slutlig"),
    ]
    assert Measurement.objects.get(gender="K").source == "Enkät"
    (event,) = AuditEvent.objects.filter(action="measurements.import")
    assert event.after["nya"] == 4 and "varden.csv" in event.reason
    assert ImportBatch.objects.get().created == 4


def test_windows_1252_and_comma_separated(hme_and_kolada_definitions):
    text = 'Indikator,Organisation,Period,Kön,Värde\nhme,0099,2022,T,"70,5"\nhme,1880,2022,M,71\n'
    report = import_file(data=text.encode("cp1252"), filename="ansi.csv")
    assert report.errors == [] and report.created == 2
    assert Measurement.objects.get(organisation__code="1880").value == Decimal(71)


def test_reimport_changes_nothing_and_correction_keeps_history(hme_and_kolada_definitions):
    import_file(data=GOOD_CSV.encode(), filename="a.csv")
    first = values()
    again = import_file(data=GOOD_CSV.encode(), filename="a.csv")
    assert (again.created, again.changed, again.unchanged) == (0, 0, 4)
    assert values() == first and not MeasurementRevision.objects.exists()

    corrected = GOOD_CSV.replace("74,1;preliminär", "74,3;slutlig")
    report = import_file(data=corrected.encode(), filename="b.csv")
    assert (report.created, report.changed, report.unchanged) == (0, 1, 3)
    measurement = Measurement.objects.get(gender="T", definition__key="hme")
    assert (measurement.value, measurement.status) == (Decimal("74.3"), "slutlig")
    (revision,) = measurement.revisions.all()
    assert (revision.value, revision.status, revision.source) == (
        Decimal("74.1"),
        "preliminar",
        "Enkät",
    )
    assert Measurement.objects.count() == 4


BROKEN_CSV = (
    "indikator;organisation;period;kön;värde;status\n"
    "hme;0099;2023;T;74,1;\n"  # 2 good
    "okänd;0099;2023;T;1;\n"  # 3 unknown indicator
    "hme;7777;2023;T;1;\n"  # 4 unknown organisation
    "hme;0099;2023;T;75;\n"  # 5 duplicate of 2
    "hme;0099;;K;;\n"  # 6 empty period and value
    "hme;0099;2023T4;X;74.1;kanske\n"  # 7 period, gender, point, status
    "vard;0099;2023;K;5;\n"  # 8 not by kön
    "hme;0000;2023;T;12345678901234;\n"  # 9 too big
    "hme;0000;2023;M;1,23456;\n"  # 10 too many decimals
    "hme;0099;2022;T;7"  # 11 truncated
)


def test_broken_file_lists_every_bad_row_and_changes_nothing(hme_and_kolada_definitions):
    report = import_file(data=BROKEN_CSV.encode(), filename="trasig.csv")
    assert not report.imported and nothing_written()
    found = {(e.line, e.column, e.code) for e in report.errors}
    assert found == {
        (3, "indikator", "unknown_indicator"),
        (4, "organisation", "unknown_organisation"),
        (5, "", "duplicate"),
        (6, "period", "missing"),
        (6, "värde", "missing"),
        (7, "period", "bad_period"),
        (7, "kön", "bad_gender"),
        (7, "värde", "bad_number"),
        (7, "status", "bad_status"),
        (8, "kön", "not_by_gender"),
        (9, "värde", "bad_number"),
        (10, "värde", "bad_number"),
        (11, "", "short_row"),
    }
    messages = {(e.line, e.column): e.message for e in report.errors}
    assert messages[(3, "indikator")] == "Okänd indikator ”okänd”."
    assert "decimalkomma" in messages[(7, "värde")]
    assert "rad 2" in messages[(5, "")]
    assert report.bad_lines == 9
    assert report.to_data()["errors"][0] == {
        "line": 3,
        "column": "indikator",
        "code": "unknown_indicator",
        "message": "Okänd indikator ”okänd”.",
    }


def test_skip_bad_rows_imports_the_good_ones(hme_and_kolada_definitions):
    report = import_file(data=BROKEN_CSV.encode(), filename="trasig.csv", skip_bad_rows=True)
    assert report.imported and report.skipped == 9
    assert values() == [("hme", "0099", "2023", "T", Decimal("74.1"), "slutlig")]


def test_cli_refuses_a_broken_file_and_reports_rows(hme_and_kolada_definitions, tmp_path, capsys):
    path = tmp_path / "trasig.csv"
    path.write_bytes(BROKEN_CSV.encode())
    with pytest.raises(CommandError, match="ingenting lästes in"):
        call_command("import_measurements", str(path))
    assert "rad 3, kolumn indikator: Okänd indikator" in capsys.readouterr().err
    assert nothing_written()
    call_command("import_measurements", str(path), "--skip-bad-rows")
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("indikator;värde\nhme;1\n".encode("utf-16"), "bad_encoding"),
        (b"indikator;organisation;period;v\x81rde\n", "bad_encoding"),
        (b"indikator;organisation;varde\nhme;0099;1\n", "missing_column"),
        (b"", "no_header"),
    ],
)
def test_unreadable_csv_files_are_refused(hme_and_kolada_definitions, data, code):
    report = import_file(data=data, filename="x.csv")
    assert [e.code for e in report.errors][:1] == [code]
    assert not report.imported and nothing_written()


def test_unterminated_quote_is_reported(hme_and_kolada_definitions):
    data = 'indikator;organisation;period;värde\nhme;0099;2023;"74,1\n'.encode()
    report = import_file(data=data, filename="x.csv")
    assert [e.code for e in report.errors] == ["bad_csv"] and nothing_written()


# --- XLSX ------------------------------------------------------------------------------------


def test_template_lists_columns_indicators_and_organisations(hme_and_kolada_definitions):
    workbook = load_workbook(io.BytesIO(template()))
    assert workbook.sheetnames == ["Mätvärden", "Anvisning", "Indikatorer", "Organisationer"]
    header = [cell.value for cell in workbook["Mätvärden"][1]]
    assert header == ["indikator", "organisation", "period", "kön", "värde", "status", "källa"]
    keys = [row[0] for row in workbook["Indikatorer"].iter_rows(min_row=2, values_only=True)]
    assert keys == ["hme", "vard"]
    codes = [row[0] for row in workbook["Organisationer"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["0000", "0099", "1880"]


def test_filled_template_imports(hme_and_kolada_definitions):
    workbook = load_workbook(io.BytesIO(template()))
    sheet = workbook["Mätvärden"]
    sheet.append(["hme", "0099", "2023", "K", 74.1, "preliminär", None])
    sheet.append(["N79179", 0, 2023, None, 12, None, "SCB"])  # Excel lost the zeros
    sheet.append(["hme", "0099", "2023", "T", "abc", None, None])
    out = io.BytesIO()
    workbook.save(out)
    report = import_file(data=out.getvalue(), filename="mall.xlsx")
    assert [(e.line, e.column, e.code) for e in report.errors] == [(4, "värde (E)", "bad_number")]
    assert nothing_written()
    report = import_file(data=out.getvalue(), filename="mall.xlsx", skip_bad_rows=True)
    assert values() == [
        ("hme", "0099", "2023", "K", Decimal("74.1"), "preliminar"),
        ("vard", "0000", "2023", "T", Decimal(12), "slutlig"),
    ]


def test_truncated_workbook_is_refused(hme_and_kolada_definitions):
    workbook = Workbook()
    workbook.active.append(["indikator", "organisation", "period", "värde"])
    out = io.BytesIO()
    workbook.save(out)
    report = import_file(data=out.getvalue()[:300], filename="avkortad.xlsx")
    assert [e.code for e in report.errors] == ["bad_workbook"] and nothing_written()


# --- Kolada ----------------------------------------------------------------------------------


def kolada_document():
    return {
        "count": 2,
        "values": [
            {
                "kpi": "N79179",
                "municipality": "0099",
                "period": 2023,
                "values": [
                    {"gender": "T", "count": 1, "status": "", "value": 74.1},
                    {"gender": "K", "count": 0, "status": "Missing", "value": None},
                ],
            },
            {
                "kpi": "N00000",
                "municipality": "0000",
                "period": 2023,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 70.25}],
            },
        ],
    }


def test_kolada_json_exact_values_and_line_numbers(hme_and_kolada_definitions):
    text = json.dumps(kolada_document(), indent=2)
    report = import_file(data=text.encode(), filename="kolada.json")
    (error,) = report.errors
    assert (error.code, error.column) == ("unknown_indicator", "values[1].kpi")
    lines = text.splitlines()
    assert lines[error.line - 1].strip() == "{"  # the value's own object …
    assert '"N00000"' in "".join(lines[error.line - 6 : error.line])  # … in the N00000 entry
    assert nothing_written()

    report = import_file(data=text.encode(), filename="kolada.json", skip_bad_rows=True)
    assert (report.created, report.empty, report.skipped) == (1, 1, 1)
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.source) == (Decimal("74.1"), "Kolada")


def test_truncated_kolada_file_names_the_line(hme_and_kolada_definitions):
    text = json.dumps(kolada_document(), indent=2)
    report = import_file(data=text[: len(text) // 2].encode(), filename="kolada.json")
    (error,) = report.errors
    assert error.code == "bad_json" and error.line > 1 and nothing_written()
    report = import_file(data=b'{"values": 3}', filename="kolada.json")
    assert [e.code for e in report.errors] == ["bad_structure"]


# --- Rows from code (the API), permissions ---------------------------------------------------


def test_rows_as_dicts(hme_and_kolada_definitions):
    rows = [
        {"indicator": "hme", "organisation": "0099", "period": "2023", "value": "78,2"},
        {"indicator": "hme", "organisation": "0099", "period": "2024", "value": Decimal("1.5")},
        {"indicator": "hme", "organisation": "0099", "period": "2025"},
    ]
    report = import_measurements(rows, actor=None, filename="api")
    assert [(e.line, e.column, e.code) for e in report.errors] == [(3, "value", "missing")]
    assert nothing_written()


def test_write_access_follows_units(hme_and_kolada_definitions):
    Organisation.objects.create(code="0010", name="Region Blekinge", kind="region")
    blekinge = Organisation.objects.get(code="0010")
    Unit.objects.create(organisation=blekinge, slug="rs", name="Regionstyrelsen", kind="styrelse")
    planner = user_with_role("planerare", "planerare", "styrelsen")  # Region Test only
    text = (
        "indikator;organisation;period;värde\n"
        "hme;0099;2023;1\n"  # own organisation
        "hme;0000;2023;2\n"  # no units in Uppsikt: anyone who plans somewhere
        "hme;0010;2023;3\n"  # another organisation with units: refused
    )
    report = import_file(data=text.encode(), filename="x.csv", actor=planner)
    assert [(e.line, e.code) for e in report.errors] == [(4, "forbidden")]
    assert "Region Blekinge" in report.errors[0].message
    report = import_file(data=text.encode(), filename="x.csv", actor=planner, skip_bad_rows=True)
    assert report.created == 2
    assert AuditEvent.objects.get(action="measurements.import").actor == planner

    reader = user_with_role("lasare", "lasare")
    with pytest.raises(PermissionDenied):
        import_file(data=text.encode(), filename="x.csv", actor=reader)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_swedish_formatted_numbers_read_back(value):
    assert read_value(format_number(value, 2)) == value
    assert read_value(f"{value:f}".replace(".", ",").replace("-", MINUS)) == value


def test_official_organisations_load_once():
    from uppsikt.organisations.registry import load_official_organisations, official_organisations

    officials = official_organisations()
    kinds = [o.kind for o in officials]
    assert (kinds.count("riket"), kinds.count("region"), kinds.count("kommun")) == (1, 21, 290)
    assert {o.code: o.name for o in officials}["0018"] == "Region Örebro län"
    load_minimal()
    assert load_official_organisations() == 312
    assert load_official_organisations() == 0
    assert Organisation.objects.get(code="0099").name == "Region Test"


def test_free_text_source_survives_staging(hme_and_kolada_definitions):
    source = "Enkät\t2023\\vår\nrad två"
    rows = [{"indicator": "hme", "organisation": "0099", "period": "2023", "value": "1"}]
    rows[0]["source"] = source
    assert import_measurements(rows, actor=None).created == 1
    assert Measurement.objects.get().source == source


def test_a_definition_deleted_while_reading_stops_the_whole_import(hme_and_kolada_definitions):
    hme, _kolada = hme_and_kolada_definitions

    def rows():
        yield {"indicator": "vard", "organisation": "0099", "period": "2023", "value": "1"}
        yield {"indicator": "hme", "organisation": "0099", "period": "2023", "value": "2"}
        hme.delete()  # after every row was checked, before the merge

    report = import_measurements(rows(), actor=None, filename="api")
    assert not report.imported and [e.code for e in report.errors] == ["changed_meanwhile"]
    assert nothing_written()


def test_deleting_a_definition_or_organisation_deletes_its_measurements(hme_and_kolada_definitions):
    hme, _kolada = hme_and_kolada_definitions
    import_file(data=GOOD_CSV.encode(), filename="a.csv")
    hme.delete()
    assert set(Measurement.objects.values_list("definition__key", flat=True)) == {"vard"}
    Organisation.objects.get(code="0000").delete()
    assert list(Measurement.objects.values_list("organisation__code", flat=True)) == ["0099"]
