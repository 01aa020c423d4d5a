"""Hostile import files: each refused with a Swedish reason, and nothing imported.

Every finding of issue 12's probe is reproduced here on the importers of indicators,
budget and internal control, through the function, the command line and the web:
a ``<dimension>`` that understates the rows, a DTD with an entity, a zip bomb, a file
larger unpacked than allowed, more rows than allowed, thousands of errors, an upload
above the size limit. The limits are lowered with ``settings`` so the files stay small.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from uppsikt.audit.models import AuditEvent
from uppsikt.budget.actions import run_import_check, stage_import
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.models import BudgetImport, Figure
from uppsikt.control.importing import ImportRejected
from uppsikt.control.models import Risk
from uppsikt.control.tabular import COLUMNS
from uppsikt.control.xlsx import import_workbook
from uppsikt.indicators.importers import import_file
from uppsikt.indicators.models import ImportBatch, IndicatorDefinition, Measurement
from uppsikt.jobs.models import Job
from uppsikt.lib import xlsx_input
from uppsikt.lib.limits import InputRefused
from uppsikt.lib.uploads import LimitedTemporaryFileUploadHandler
from uppsikt.lib.xlsx_input import check_workbook, sheet_rows

from .builders import load_minimal, run_queued_jobs, user_with_role
from .control_setup import region, system
from .hostile import (
    SHEET,
    csv_lines,
    rewrite,
    understated,
    with_bomb,
    with_dtd,
    with_entity_in_shared_strings,
    workbook,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp_path")]
DTD_REASON = "innehåller en DTD eller en entitetsdeklaration"
HOSTILE_XML = {
    "dtd_in_sheet": lambda data: with_dtd(data),
    "entity_in_shared_strings": with_entity_in_shared_strings,
    "dtd_in_workbook": lambda data: with_dtd(data, "xl/workbook.xml"),
}


# --- Indicators -----------------------------------------------------------------------------

HEADER = ["indikator", "organisation", "period", "kön", "värde"]


@pytest.fixture
def indicator():
    load_minimal()
    return IndicatorDefinition.objects.create(key="hme", name="HME", unit="index")


def measurements_xlsx(count: int, **options) -> bytes:
    rows = [HEADER, *(["hme", "0099", str(2000 + i), "T", i] for i in range(count))]
    return workbook(rows, **options)


def nothing_measured() -> bool:
    return not Measurement.objects.exists() and not ImportBatch.objects.exists()


def test_indicators_read_every_row_whatever_the_dimension_says(indicator):
    # Before: "1 rader kontrollerade, inga fel" for a file of 5 rows.
    data = understated(measurements_xlsx(5))
    report = import_file(data=data, filename="varden.xlsx", dry_run=True)
    assert report.errors == [] and report.rows == 5
    report = import_file(data=data, filename="varden.xlsx")
    assert report.imported and report.created == 5 and Measurement.objects.count() == 5


def test_indicators_read_every_column_whatever_the_dimension_says(indicator):
    rows = [[*HEADER, "status"], ["hme", "0099", "2023", "T", 1, "bogus"]]
    report = import_file(data=understated(workbook(rows), "A1:C2"), filename="v.xlsx")
    assert [e.code for e in report.errors] == ["bad_status"] and nothing_measured()


@pytest.mark.parametrize("hostile", HOSTILE_XML)
def test_indicators_refuse_a_workbook_with_a_dtd(indicator, hostile):
    data = HOSTILE_XML[hostile](measurements_xlsx(2, shared_strings=True))
    report = import_file(data=data, filename="varden.xlsx")
    assert [e.code for e in report.errors] == ["xml_dtd"] and DTD_REASON in report.errors[0].message
    assert not report.imported and nothing_measured()


def test_indicators_cli_names_the_dtd_instead_of_a_traceback(indicator, tmp_path):
    path = tmp_path / "varden.xlsx"
    path.write_bytes(with_dtd(measurements_xlsx(2)))
    err = io.StringIO()
    with pytest.raises(CommandError, match="ingenting lästes in"):
        call_command("import_measurements", str(path), stderr=err)
    assert DTD_REASON in err.getvalue() and nothing_measured()


def test_indicators_refuse_a_zip_bomb_and_a_workbook_too_large_unpacked(indicator, settings):
    report = import_file(data=with_bomb(measurements_xlsx(2)), filename="v.xlsx")
    assert [e.code for e in report.errors] == ["zip_bomb"]
    assert "packas upp till" in report.errors[0].message and nothing_measured()
    settings.IMPORT_MAX_UNPACKED_BYTES = 4000
    report = import_file(data=measurements_xlsx(2), filename="v.xlsx")
    assert [e.code for e in report.errors] == ["unpacked_too_large"]
    assert "den största tillåtna storleken uppackad är" in report.errors[0].message
    assert nothing_measured()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xlsx_past_dimension"])
def test_indicators_refuse_more_rows_than_allowed(indicator, settings, kind):
    settings.IMPORT_MAX_ROWS = 50
    if kind == "csv":
        data = csv_lines(";".join(HEADER), lambda i: f"hme;0099;{2000 + i};T;{i}", 60)
    else:
        data = measurements_xlsx(60)
        if kind == "xlsx_past_dimension":
            data = understated(data)
    report = import_file(data=data, filename=f"v.{kind[:4]}")
    assert [e.code for e in report.errors] == ["too_many_rows"]
    assert report.errors[0].message == (
        "Filen har fler än 50 rader; en import får ha högst 50 rader."
    )
    assert nothing_measured()


def test_a_kolada_file_of_more_rows_than_allowed_is_refused_before_it_is_parsed(
    indicator, settings
):
    settings.IMPORT_MAX_ROWS = 10
    values = [{"gender": "T", "status": "", "value": i} for i in range(11)]
    document = {"values": [{"kpi": "N1", "municipality": "0099", "period": 2023, "values": values}]}
    report = import_file(data=json.dumps(document).encode(), filename="kolada.json")
    assert [e.code for e in report.errors] == ["too_many_rows"] and nothing_measured()


def test_indicators_list_the_first_errors_and_count_the_rest(indicator, settings, tmp_path):
    settings.IMPORT_MAX_ERRORS = 10
    data = csv_lines(";".join(HEADER), lambda i: f"okänd{i};0099;2023;T;1", 300)
    report = import_file(data=data, filename="v.csv")
    assert len(report.errors) == 10 and report.error_count == 300 and report.bad_lines == 300
    assert report.to_data()["error_count"] == 300 and len(report.to_data()["errors"]) == 10
    path = tmp_path / "v.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="300 fel på 300 rader"):
        call_command("import_measurements", str(path), stderr=err)
    lines = [line for line in err.getvalue().splitlines() if line.startswith(str(path))]
    assert len(lines) == 11 and lines[-1].endswith("… och 290 fel till, som inte visas här.")
    assert nothing_measured()


@pytest.mark.django_db(transaction=True)
def test_indicators_web_job_names_the_dtd(client):
    load_minimal()
    IndicatorDefinition.objects.create(key="hme", name="HME", unit="index")
    client.force_login(user_with_role("planerare"))
    upload = SimpleUploadedFile("varden.xlsx", with_dtd(measurements_xlsx(2)))
    response = client.post("/indikatorer/inlasning/", {"file": upload, "format": ""})
    assert response.status_code == 302
    run_queued_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and not job.result["imported"]
    assert DTD_REASON in job.result["errors"][0]["message"]
    html = client.get(job.get_absolute_url()).content.decode()
    assert DTD_REASON in html and "oväntat fel" not in html
    assert nothing_measured()


def test_an_upload_above_the_limit_is_refused_by_the_form(client, indicator, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(user_with_role("planerare"))
    upload = SimpleUploadedFile("v.csv", b"x" * 5000)
    html = client.post("/indikatorer/inlasning/", {"file": upload, "format": "csv"})
    text = html.content.decode()
    assert html.status_code == 200
    assert "Filen är 4,9 kB; den största fil som tas emot är 1000 byte." in text
    assert not Job.objects.exists()


def test_a_large_upload_goes_through_the_limited_handler_and_is_refused(client, settings):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE (5 MB) the upload goes to a temporary file, which
    # stops growing at the limit; the form still knows the size that was sent.
    load_minimal()
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(user_with_role("planerare"))
    upload = SimpleUploadedFile("v.csv", b"x" * 6_000_000)
    html = client.post("/indikatorer/inlasning/", {"file": upload, "format": "csv"})
    assert "Filen är 5,7 MB; den största fil som tas emot är 1,0 MB." in html.content.decode()
    assert not Job.objects.exists()


def test_the_upload_handler_stops_writing_past_the_limit(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    handler = LimitedTemporaryFileUploadHandler()
    handler.new_file("file", "big.csv", "text/csv", 1000)
    for start in range(0, 1000, 64):
        handler.receive_data_chunk(b"y" * 64, start)
    upload = handler.file_complete(1000)
    assert upload.size == 1000 and len(upload.read()) <= 100


# --- Budget ---------------------------------------------------------------------------------


def check(table, actor, name: str, content: bytes) -> BudgetImport:
    staged = stage_import(
        table, actor=actor, file_name=name, content=content, options=ImportOptions(unit="kr")
    )
    return run_import_check(staged, actor=actor)


def budget_xlsx(lines: int) -> bytes:
    return workbook([["kod", "prognos 2023-06"], *(["B", -i] for i in range(lines))])


def test_budget_reads_every_row_whatever_the_dimension_says(
    small_budget_table, small_table_planner
):
    data = understated(
        workbook([["kod", "prognos 2023-06"], ["B", -51], ["A", -8], ["A1", -5], ["A2", -3]])
    )
    staged = check(small_budget_table, small_table_planner, "prognos.xlsx", data)
    assert staged.problems == [] and len(staged.changes) == 4


@pytest.mark.parametrize("hostile", HOSTILE_XML)
def test_budget_refuses_a_workbook_with_a_dtd(small_budget_table, small_table_planner, hostile):
    data = HOSTILE_XML[hostile](
        workbook([["kod", "prognos 2023-06"], ["B", -51]], shared_strings=True)
    )
    staged = check(small_budget_table, small_table_planner, "prognos.xlsx", data)
    assert staged.status == BudgetImport.Status.REJECTED
    ((_where, message),) = staged.problems
    assert DTD_REASON in message and not Figure.objects.filter(kind="prognos").exists()


def test_budget_refuses_a_zip_bomb(small_budget_table, small_table_planner):
    staged = check(
        small_budget_table,
        small_table_planner,
        "p.xlsx",
        with_bomb(workbook([["kod", "prognos 2023-06"]])),
    )
    ((_where, message),) = staged.problems
    assert "packas upp till" in message and staged.status == BudgetImport.Status.REJECTED


@pytest.mark.parametrize("kind", ["csv", "xlsx", "se"])
def test_budget_refuses_more_rows_than_allowed(
    small_budget_table, small_table_planner, settings, kind
):
    settings.IMPORT_MAX_ROWS = 20
    if kind == "csv":
        data = csv_lines("kod;prognos 2023-06", lambda i: "B;-51" if i == 0 else ";", 30)
    elif kind == "xlsx":
        data = understated(budget_xlsx(30))
    else:
        data = b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n" + b'#KONTO 4010 "x"\r\n' * 30
    staged = check(small_budget_table, small_table_planner, f"p.{kind}", data)
    assert [message for _where, message in staged.problems] == [
        "Filen har fler än 20 rader; en import får ha högst 20 rader."
    ]
    assert not Figure.objects.filter(kind="prognos").exists()


def test_budget_lists_the_first_errors_and_counts_the_rest(
    small_budget_table, small_table_planner, settings
):
    settings.IMPORT_MAX_ERRORS = 5
    data = csv_lines("kod;prognos 2023-06", lambda i: f"X{i};1", 40)
    staged = check(small_budget_table, small_table_planner, "p.csv", data)
    assert len(staged.problems) == 6 and staged.problem_count == 40
    assert staged.problems[-1] == ["", "… och 35 fel till, som inte visas här."]


def test_budget_refuses_a_file_above_the_size_limit(
    small_budget_table, small_table_planner, settings
):
    from django.core.exceptions import ValidationError

    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="den största fil som tas emot är 100 byte"):
        check(
            small_budget_table,
            small_table_planner,
            "p.csv",
            b"kod;prognos 2023-06\r\n" + b"B;-51\r\n" * 20,
        )
    assert not BudgetImport.objects.exists()


# --- Internal control -----------------------------------------------------------------------

CONTROL_HEADER = [header for _name, header in COLUMNS]


def control_row(number: int) -> list:
    return ["HR", f"Risk {number}.", "", None, None, None, "", f"Åtgärd {number}.", "Nej"]


def control_xlsx(count: int, **options) -> bytes:
    return workbook([CONTROL_HEADER, *(control_row(i) for i in range(count))], **options)


def test_control_reads_every_row_whatever_the_dimension_says():
    r = region()
    import_workbook(r.namnd_a, 2023, understated(control_xlsx(5)), actor=system())
    assert Risk.objects.count() == 5


@pytest.mark.parametrize("hostile", HOSTILE_XML)
def test_control_refuses_a_workbook_with_a_dtd(hostile):
    r = region()
    data = HOSTILE_XML[hostile](control_xlsx(2, shared_strings=True))
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(r.namnd_a, 2023, data, actor=system(), file_name="plan.xlsx")
    assert DTD_REASON in str(rejected.value) and not Risk.objects.exists()


def test_control_web_import_of_a_dtd_is_a_message_not_a_server_error(client):
    r = region()
    client.force_login(user_with_role("planerare-k", "planerare", r.namnd_a))
    url = f"/internkontroll/0099/enhet/{r.namnd_a.slug}/2023/importera/"
    upload = SimpleUploadedFile("plan.xlsx", with_dtd(control_xlsx(2)))
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "Filen lästes inte in: 1 fel" in html
    assert DTD_REASON in html and not Risk.objects.exists()


def test_control_refuses_more_rows_than_allowed(settings):
    r = region()
    settings.IMPORT_MAX_ROWS = 10
    with pytest.raises(ImportRejected, match="Filen har fler än 10 rader"):
        import_workbook(r.namnd_a, 2023, understated(control_xlsx(20)), actor=system())
    assert not Risk.objects.exists()


def test_control_cli_lists_the_first_errors_and_counts_the_rest(settings, tmp_path):
    region()
    settings.IMPORT_MAX_ERRORS = 3
    rows = [["", f"Risk {i}.", "", 9, None, None, "", "", "Nej"] for i in range(8)]
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook([CONTROL_HEADER, *rows]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="ingenting lästes in"):
        call_command(
            "import_control", str(path), organisation="0099", unit="namnd-a", year=2023, stderr=err
        )
    lines = err.getvalue().splitlines()
    assert len(lines) == 4 and "fel till, som inte visas här." in lines[-1]
    assert not Risk.objects.exists()
    assert not AuditEvent.objects.filter(action="control.plan.import").exists()


# --- The shared reader ----------------------------------------------------------------------


def sheet_of(data: bytes, **options) -> list[tuple]:
    check_workbook(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return list(sheet_rows(book.worksheets[0], **options))
    finally:
        book.close()


def test_the_reader_refuses_workbooks_of_too_many_parts_or_too_wide_rows(monkeypatch):
    monkeypatch.setattr(xlsx_input, "MAX_MEMBERS", 5)
    with pytest.raises(InputRefused, match="består av 9 delar"):
        sheet_of(workbook([["a"]]))
    monkeypatch.undo()
    far = rewrite(  # a cell in the last column Excel has
        workbook([["a"]]),
        {SHEET: lambda xml: xml.replace(b"</row>", b'<c r="XFD1"><v>1</v></c></row>', 1)},
    )
    with pytest.raises(InputRefused) as refused:
        sheet_of(far)
    assert refused.value.code == "too_wide"


def test_the_reader_counts_the_rows_a_sheet_skips(monkeypatch):
    # A single row numbered a million: openpyxl fills the gap with empty rows, and those
    # count, so the file is refused at the limit instead of being read for minutes.
    data = rewrite(workbook([["a"]]), {SHEET: lambda xml: xml.replace(b'r="1"', b'r="1000000"')})
    with pytest.raises(InputRefused, match="fler än 100 rader"):
        sheet_of(data, limit=100)
