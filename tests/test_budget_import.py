"""CSV and XLSX imports of budget, forecast and outcome: checked whole, every bad line named,
nothing written on error; exact Decimals from the file to storage, the API data and the
XLSX export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from uppsikt.audit.models import AuditEvent
from uppsikt.budget.actions import apply_import, run_import_check, stage_import
from uppsikt.budget.data import table_data
from uppsikt.budget.document import budget_document
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.models import BudgetImport, Figure, Series
from uppsikt.budget.money import format_exact
from uppsikt.budget.xlsx import table_workbook
from uppsikt.periods.models import ReportingPeriod

from .budget_helpers import counts, plan_in_draft, row
from .builders import user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp_path")]

P06, U06 = Series(2023, "prognos", "2023-06"), Series(2023, "utfall", "2023-06")


def run(table, actor, name: str, content: bytes, **options) -> BudgetImport:
    staged = stage_import(
        table, actor=actor, file_name=name, content=content, options=ImportOptions(**options)
    )
    return run_import_check(staged, actor=actor)


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def figures(table) -> dict[tuple[str, Series], Decimal]:
    return {
        (f.row.code, f.series): f.amount
        for f in Figure.objects.filter(row__table=table).select_related("row")
    }


def test_csv_import_writes_exact_figures_and_one_audit_event(
    small_budget_table, small_table_planner
):
    before = AuditEvent.objects.count()
    staged = run(
        small_budget_table,
        small_table_planner,
        "prognos-juni.csv",
        csv(
            "kod;rad;prognos 2023-06;utfall 2023-06",
            "A;;−98,50;−49",
            ";Enhet A, varav > Del A1;−59;−30",
            ";Del A2, vårdcentraler;-29;-14,25",
            "B;;\u221251;\u221224",
        ),
        unit="kr",
        is_example=True,
    )
    assert staged.problems == []
    assert staged.status == BudgetImport.Status.CHECKED
    assert len(staged.changes) == 8
    assert figures(small_budget_table).get(("A", P06)) is None  # nothing written before apply
    result = apply_import(staged, actor=small_table_planner)
    assert result == {"nya": 8, "ändrade": 0, "borttagna": 0}
    stored = figures(small_budget_table)
    assert stored[("A", P06)] == Decimal("-98.50")
    assert stored[("A2", U06)] == Decimal("-14.25")
    assert stored[("B", P06)] == Decimal("-51")
    assert (
        Figure.objects.filter(
            row__table=small_budget_table, kind="prognos", is_example=True
        ).count()
        == 4
    )
    (event,) = AuditEvent.objects.all()[before:]
    assert event.action == "budget.import"
    assert event.after["fil"] == "prognos-juni.csv" and event.after["nya"] == 8
    assert event.after["kolumner"] == ["prognos-2023-06", "utfall-2023-06"]


def test_units_scale_to_kronor(small_budget_table, small_table_planner):
    staged = run(
        small_budget_table,
        small_table_planner,
        "t.csv",
        csv("kod;budget 2024", "A;−0,1", "B;-0,05"),
        unit="tkr",
    )
    apply_import(staged, actor=small_table_planner)
    assert figures(small_budget_table)[("A", Series(2024, "budget"))] == Decimal("-100.0")
    assert figures(small_budget_table)[("B", Series(2024, "budget"))] == Decimal("-50.00")


def test_every_bad_line_is_named_and_nothing_is_imported(small_budget_table, small_table_planner):
    before = counts()
    ReportingPeriod.objects.create(
        organisation=small_budget_table.unit.organisation,
        year=2023,
        kind="delarsrapport",
        name="Delårsrapport per juli 2023",
        ends_on=date(2023, 7, 31),
        status=ReportingPeriod.Status.CLOSED,
    )
    staged = run(
        small_budget_table,
        small_table_planner,
        "fel.csv",
        csv(
            "kod;rad;prognos 2023-06;budgett 2024;utfall 2023-07",
            ";Finns inte;1;;",
            "A;;1.5;;",
            "A;;2;;",
            "B;;;;",
            ";Enhet B;3;;",
            "A1;;;;−5",
            ";;7;;",
        ),
    )
    assert staged.status == BudgetImport.Status.REJECTED
    problems = [f"{where}: {message}" for where, message in staged.problems]
    assert problems == [
        "rad 1, kolumn D: ”budgett 2024” är ingen kolumn som kan läsas in; skriv t.ex. "
        "budget 2023, prognos 2023-06 eller utfall 2023-06."
    ]
    staged = run(
        small_budget_table,
        small_table_planner,
        "fel.csv",
        csv(
            "kod;rad;prognos 2023-06;utfall 2023-07",
            ";Finns inte;1;",
            "A;;1.5;",
            "A;;2;",
            ";Enhet B;3;;överbliven",
            "A1;;;−5",
            ";;7;",
        ),
    )
    problems = [f"{where}: {message}" for where, message in staged.problems]
    assert problems == [
        "rad 2: ingen rad heter ”Finns inte”",
        "rad 3, kolumn C (Prognos 2023 (per 2023-06)): ”1.5”: använd decimalkomma, "
        "inte punkt (t.ex. 74,1).",
        "rad 4: samma budgetrad står redan på rad 3",
        "rad 5, kolumn E: kolumnen saknar rubrik",
        "rad 7: raden saknar kod och rad",
    ]
    assert staged.changes == []
    assert counts() == before


def test_closed_period_and_varav_rule_are_checked_against_the_table(
    small_budget_table, small_table_planner
):
    plan_in_draft(small_budget_table)
    ReportingPeriod.objects.create(
        organisation=small_budget_table.unit.organisation,
        year=2023,
        kind="delarsrapport",
        name="Delårsrapport per juli 2023",
        ends_on=date(2023, 7, 31),
        status=ReportingPeriod.Status.CLOSED,
    )
    before = counts()
    staged = run(
        small_budget_table,
        small_table_planner,
        "fel.csv",
        csv("kod;budget 2023;utfall 2023-07", "A1;−80;", "B;;−5"),
    )
    problems = [f"{where}: {message}" for where, message in staged.problems]
    assert problems == [
        "rad 3, kolumn C (Utfall 2023 (per 2023-07)): Utfall 2023 (per 2023-07) hör till "
        "Delårsrapport per juli 2023, som är stängt"
    ]
    staged = run(
        small_budget_table, small_table_planner, "fel.csv", csv("kod;budget 2023", "A1;−80")
    )
    ((where, message),) = staged.problems
    assert where == "Enhet A, varav"
    assert message == (
        "varav-raderna summerar till \u2212110 kr för Budget 2023, mer än radens \u2212100 kr"
    )
    assert counts() == before


def test_stated_sums_are_compared_with_the_computed_ones(small_budget_table, small_table_planner):
    staged = run(
        small_budget_table, small_table_planner, "summa.csv", csv("rad;budget 2023", "Summa;−151")
    )
    ((where, message),) = staged.problems
    assert where == "rad 2, kolumn B (Budget 2023)"
    assert message == (
        "filen anger summan \u2212151 kr för Summa, Budget 2023, men raderna ger \u2212150 kr"
    )
    staged = run(
        small_budget_table,
        small_table_planner,
        "summa.csv",
        csv("rad;budget 2023", "Summa;−150", "B;−50"),
    )
    assert staged.problems == [] and staged.changes == []
    assert staged.summary["meddelande"] == "Filen ändrar inga belopp."


def test_xlsx_cells_as_numbers_or_text(small_budget_table, small_table_planner):
    book = Workbook()
    sheet = book.active
    sheet.append(["kod", "rad", "Prognos 2023 (per 2023-06)", "utfall 2023-06"])
    sheet.append(["A", None, -98.5, "−49"])
    sheet.append([None, "Del A1", 0.1 + 0.2 - 60.3, None])  # float noise, −60 kr
    sheet.append(["B", None, -51.123, None])
    data = io.BytesIO()
    book.save(data)
    staged = run(small_budget_table, small_table_planner, "juni.xlsx", data.getvalue())
    assert [m for _w, m in staged.problems] == ["”-51.123” kr har fler decimaler än öre"]
    sheet.delete_rows(4)
    data = io.BytesIO()
    book.save(data)
    staged = run(small_budget_table, small_table_planner, "juni.xlsx", data.getvalue())
    apply_import(staged, actor=small_table_planner)
    assert figures(small_budget_table)[("A", P06)] == Decimal("-98.50")
    assert figures(small_budget_table)[("A1", P06)] == Decimal("-60.00")
    assert figures(small_budget_table)[("A", U06)] == Decimal("-49")


def test_a_file_that_is_not_a_workbook(small_budget_table, small_table_planner):
    staged = run(small_budget_table, small_table_planner, "trasig.xlsx", b"PK\x03\x04 not really")
    assert staged.problems == [["", "filen går inte att öppna som Excel-fil (XLSX)"]]


def test_windows_1252_csv_from_excel(small_budget_table, small_table_planner):
    text = "rad;prognos 2023-06\r\nEnhet A, varav;-100\r\nDel A2, vårdcentraler;-29\r\n"
    staged = run(small_budget_table, small_table_planner, "excel.csv", text.encode("cp1252"))
    assert staged.problems == []
    assert len(staged.changes) == 2


def test_template_imported_unchanged_changes_nothing(
    client, small_budget_table, small_table_planner
):
    client.force_login(small_table_planner)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/budget/{small_budget_table.pk}/importmall.{fmt}")
        assert response.status_code == 200
        staged = run(small_budget_table, small_table_planner, f"mall.{fmt}", response.content)
        assert staged.problems == [] and staged.changes == [], fmt
        assert staged.summary["oforandrade"] == 4  # A, A1, A2, B


def test_a_line_of_zeros_imports_with_a_warning_on_the_page(
    client, small_budget_table, small_table_planner
):
    staged = run(
        small_budget_table,
        small_table_planner,
        "nollor.csv",
        csv("kod;prognos 2023-06;utfall 2023-06", "A;-90;-40", "B;0;0,00", "A1;;0"),
    )
    assert staged.problems == [] and staged.status == "kontrollerad"
    assert staged.summary["varningar"] == [
        ["rad 3 (Enhet B)", "alla belopp på raden är 0; kontrollera att raden är ifylld"],
        ["rad 4 (Del A1)", "alla belopp på raden är 0; kontrollera att raden är ifylld"],
    ]
    client.force_login(small_table_planner)
    html = client.get(staged.get_absolute_url()).content.decode()
    assert "2 varningar att kontrollera" in html and "rad 3 (Enhet B)" in html
    apply_import(staged, actor=small_table_planner)
    assert figures(small_budget_table)[("B", P06)] == 0
    clean = run(
        small_budget_table, small_table_planner, "ok.csv", csv("kod;prognos 2023-06", "B;-45")
    )
    assert "varningar" not in clean.summary
    html = client.get(clean.get_absolute_url()).content.decode()
    assert "att kontrollera" not in html


def test_template_numbers_are_read_by_excel_and_the_importer(
    client, small_budget_table, small_table_planner
):
    """Download the template, fill it in, import it: the CSV's negatives are written with an
    ASCII hyphen-minus, no U+2212 or non-breaking space; a filled-in file may use either."""
    client.force_login(small_table_planner)
    Figure.objects.filter(row__code="B").update(amount=Decimal("-1234567.5"))
    Figure.objects.filter(row__code="A").update(amount=Decimal("-1234600"))
    text = client.get(f"/budget/{small_budget_table.pk}/importmall.csv").content.decode("utf-8-sig")
    assert "\u2212" not in text and "\u00a0" not in text
    lines = text.splitlines()
    assert lines[0] == "kod;rad;budget 2023"
    assert "B;Enhet B;-1234567,5" in lines and "A;Enhet A, varav;-1234600" in lines
    filled = [
        "kod;rad;prognos 2023-06",
        "A;Enhet A, varav;\u22121\u00a0234\u00a0000",  # as the page writes it
        "A1;Enhet A, varav > Del A1;-60",
        "A2;Enhet A, varav > Del A2, vårdcentraler;\u221230,5",
        "B;Enhet B;-1 234 567,5",
    ]
    staged = run(small_budget_table, small_table_planner, "ifylld.csv", csv(*filled))
    assert staged.problems == []
    apply_import(staged, actor=small_table_planner)
    got = figures(small_budget_table)
    assert got[("A", P06)] == Decimal("-1234000")
    assert got[("A2", P06)] == Decimal("-30.5")
    assert got[("B", P06)] == Decimal("-1234567.5")
    # The XLSX template holds numeric cells; a filled-in sheet imports the same way.
    content = client.get(f"/budget/{small_budget_table.pk}/importmall.xlsx").content
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["B"][2].value == -1234567.5 and rows["B"][2].data_type == "n"
    sheet.cell(1, 3).value = "utfall 2023-06"
    rows["B"][2].value = -1000.25
    rows["A"][2].value = "\u22122\u00a0000"
    rows["A1"][2].value = None
    rows["A2"][2].value = None
    out = io.BytesIO()
    book.save(out)
    staged = run(small_budget_table, small_table_planner, "ifylld.xlsx", out.getvalue())
    assert staged.problems == []
    apply_import(staged, actor=small_table_planner)
    got = figures(small_budget_table)
    assert got[("B", U06)] == Decimal("-1000.25") and got[("A", U06)] == Decimal("-2000")


def test_only_planners_import(small_budget_table):
    reporter = user_with_role("rapportor-test", "rapportor", "styrelsen")
    with pytest.raises(PermissionDenied):
        stage_import(
            small_budget_table,
            actor=reporter,
            file_name="x.csv",
            content=b"kod",
            options=ImportOptions(),
        )


def test_import_refused_when_the_table_changed_since_the_check(
    small_budget_table, small_table_planner
):
    first = run(
        small_budget_table, small_table_planner, "a.csv", csv("kod;prognos 2023-06", "B;−40")
    )
    second = run(
        small_budget_table, small_table_planner, "b.csv", csv("kod;prognos 2023-06", "B;−45")
    )
    apply_import(first, actor=small_table_planner)
    before = counts()
    with pytest.raises(ValidationError, match="Tabellen har ändrats sedan filen kontrollerades"):
        apply_import(second, actor=small_table_planner)
    with pytest.raises(ValidationError, match="importerad"):
        apply_import(first, actor=small_table_planner)
    assert counts() == before


def test_unknown_file_type_is_refused(small_budget_table, small_table_planner):
    with pytest.raises(ValidationError, match="Okänd filtyp"):
        stage_import(
            small_budget_table,
            actor=small_table_planner,
            file_name="x.pdf",
            content=b"%PDF",
            options=ImportOptions(),
        )


amounts = st.decimals(min_value=-(10**11), max_value=10**11, places=2)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(amounts, min_size=2, max_size=2), st.booleans())
def test_decimal_round_trip_file_storage_api_xlsx(
    small_budget_table, small_table_planner, values, as_xlsx
):
    """What a file says is what is stored, what ``table_data`` gives and what the XLSX
    export holds, to the öre (outcomes, which the varav rule does not restrict)."""
    series = Series(2023, "utfall", "2023-03")
    if as_xlsx:
        book = Workbook()
        book.active.append(["kod", "utfall 2023-03"])
        book.active.append(["A", values[0]])  # a Decimal cell
        book.active.append(["B", format_exact(values[1])])  # Swedish text
        data = io.BytesIO()
        book.save(data)
        content, name = data.getvalue(), "r.xlsx"
    else:
        lines = [
            "kod;utfall 2023-03",
            *(f"{c};{format_exact(v)}" for c, v in zip("AB", values, strict=True)),
        ]
        content, name = csv(*lines), "r.csv"
    staged = run(small_budget_table, small_table_planner, name, content)
    assert staged.problems == []
    apply_import(staged, actor=small_table_planner)
    stored = figures(small_budget_table)
    assert [stored[("A", series)], stored[("B", series)]] == values
    data = table_data(small_budget_table, columns=[series])
    by_code = {r["code"]: r for r in data["rows"]}
    assert [by_code[c]["values"][series.key] for c in "AB"] == values
    assert by_code[""]["values"][series.key] == sum(values)  # Summa, computed
    sheet = load_workbook(
        io.BytesIO(table_workbook(budget_document(small_budget_table, columns=[series])))
    )
    cells = {r[0]: r[1] for r in sheet.active.iter_rows(values_only=True) if r and r[0]}
    assert Decimal(repr(cells["Enhet A, varav"])) == values[0]
    assert Decimal(repr(cells["Enhet B"])) == values[1]
    assert row(small_budget_table, "B").figures.get(kind="utfall").amount == values[1]


def test_an_import_keeps_each_figure_before_and_after_in_the_hash_chain(
    small_budget_table, small_table_planner
):
    from uppsikt.audit.presentation import describe
    from uppsikt.audit.trail import verify

    apply_import(
        run(
            small_budget_table, small_table_planner, "a.csv", csv("kod;prognos 2023-06", "A;−98,50")
        ),
        actor=small_table_planner,
    )
    second = run(
        small_budget_table, small_table_planner, "b.csv", csv("kod;prognos 2023-06", "A;−90")
    )
    apply_import(second, actor=small_table_planner)
    event = AuditEvent.objects.filter(action="budget.import").last()
    (cell,) = event.after["ändringar"]
    assert (
        cell["serie"] == "prognos-2023-06"
        and cell["rad_id"] == small_budget_table.rows.get(code="A").pk
    )
    assert (Decimal(cell["före"]), Decimal(cell["efter"])) == (Decimal("-98.5"), Decimal("-90"))
    second.changes = []  # the import record is mutable; the trail is not
    second.save()
    assert verify()[1] is None
    (row,) = [row for row in describe(event).fields if row.new and "→" in row.new]
    assert "−98,50 kr → −90 kr" in row.new
