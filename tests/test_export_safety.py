"""Exports are data, never code: text that looks like a formula stays text in every XLSX and
CSV Uppsikt writes, and numbers stay numbers.

Each exporter gets the hostile strings of ``hostile.FORMULAS`` in its user-text fields
(budget row labels, risks and åtgärder, goal texts, indicator and organisation names); the
file is read back with openpyxl or ``csv`` and no cell may be a formula, while the text
comes back as it was stored. Before the fix, openpyxl wrote every ``str`` starting with
``=`` as a live formula.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from uppsikt.budget.actions import run_import_check, stage_import
from uppsikt.budget.document import budget_document
from uppsikt.budget.examples import forecasts_csv
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.importers.template import template_csv, template_xlsx
from uppsikt.budget.load import load_budget_data
from uppsikt.budget.models import BudgetTable, Series
from uppsikt.budget.xlsx import table_workbook
from uppsikt.control.actions.plans import create_measure, create_risk, ensure_control_plan
from uppsikt.control.queries import plan_table
from uppsikt.control.xlsx import import_workbook, plan_workbook
from uppsikt.indicators.importers.xlsx import template
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.lib.celltext import TRIGGERS, csv_text, csv_untext
from uppsikt.lib.workbook import to_bytes
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import Goal
from uppsikt.reports.build import build_report

from .builders import load_minimal, user_with_role
from .control_setup import region, system
from .followup_setup import small_setting
from .hostile import FORMULAS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp_path")]
# Loaders and forms trim the text people write; what they keep is what must come back.
STORED = [text.strip() for text in FORMULAS]


def cells(data: bytes) -> list:
    """Every cell of every sheet, as openpyxl reads the file (formulas not evaluated)."""
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_data_only(data: bytes, texts: list[str]) -> None:
    found = cells(data)
    formulas = [(cell.coordinate, cell.value) for cell in found if cell.data_type == "f"]
    assert formulas == []
    values = {cell.value for cell in found}
    assert [text for text in texts if text not in values] == []


def hostile_budget(labels=STORED) -> BudgetTable:
    load_minimal()
    rows = [
        {"label": label, "code": f"R{number}", "figures": [f"-{number + 1}"]}
        for number, label in enumerate(labels)
    ]
    load_budget_data(
        {
            "format": "uppsikt-budget/1",
            "organisation": "0099",
            "tables": [
                {
                    "unit": "styrelsen",
                    "year": 2023,
                    "kind": "drift",
                    "number": "=T",
                    "title": "=Testtabell",
                    "display_unit": "kr",
                    "decimals": 0,
                    "series": [{"kind": "budget", "year": 2023}],
                    "rows": [*rows, {"label": "Summa", "kind": "summa"}],
                }
            ],
        }
    )
    return BudgetTable.objects.get()


def budget_table_xlsx() -> tuple[bytes, list[str]]:
    table = hostile_budget()
    data = table_workbook(budget_document(table))
    amounts = [cell.value for cell in cells(data) if isinstance(cell.value, int | float)]
    assert -1 in amounts and -8 in amounts  # numbers stay numbers
    return data, [*STORED, "=T =Testtabell"]  # the labels and the title


def budget_template_xlsx() -> tuple[bytes, list[str]]:
    table = hostile_budget()
    return template_xlsx(table, [Series(2023, "budget")]), STORED


def control_plan_xlsx() -> tuple[bytes, list[str]]:
    r = region()
    plan = ensure_control_plan(r.namnd_a, 2023, actor=system())
    for number, text in enumerate(STORED):
        risk = create_risk(plan, actor=system(), area=STORED[-1 - number], text=text)
        create_measure(risk, actor=system(), text=f"{text} åtgärd", responsible=text)
    return plan_workbook(plan_table(r.namnd_a, 2023)), STORED


def report_xlsx() -> tuple[bytes, list[str]]:
    setting = small_setting()
    setting.table.rows.filter(label="Hälsoval").update(label=STORED[1])
    for goal, text in zip(setting.goals, STORED[:2], strict=True):
        Goal.objects.filter(pk=goal.pk).update(text=text)
    reader = user_with_role("lasare-x", "lasare", "styrelsen")
    _name, _type, data = build_report(setting.unit, setting.period, "xlsx", user=reader)
    return data, [STORED[1]]


def indicator_template_xlsx() -> tuple[bytes, list[str]]:
    load_minimal()
    for number, text in enumerate(STORED):
        IndicatorDefinition.objects.create(key=f"k{number}", name=text, unit="index")
    Organisation.objects.create(code="0001", name=STORED[0], kind="kommun")
    return template(), STORED


EXPORTS = {
    "budget table": budget_table_xlsx,
    "budget import template": budget_template_xlsx,
    "internkontrollplan": control_plan_xlsx,
    "report": report_xlsx,
    "indicator import template": indicator_template_xlsx,
}


@pytest.mark.parametrize("export", EXPORTS)
def test_no_text_in_an_xlsx_export_is_a_formula(export):
    data, texts = EXPORTS[export]()
    assert_data_only(data, texts)


def test_the_internkontrollplan_with_formula_like_text_imports_back_unchanged():
    data, _texts = control_plan_xlsx()
    unit = Unit.objects.get(slug="namnd-a")

    def content():
        table = plan_table(unit, 2023)
        return [
            (area.name, risk.text, [(m.text, m.responsible) for m in risk.measures])
            for area in table.areas
            for risk in area.risks
        ]

    before = content()
    assert sorted(text for _area, text, _measures in before) == sorted(STORED)
    import_workbook(unit, 2023, data, actor=system(), file_name="plan.xlsx")
    assert content() == before


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_csv_is_data(lines: list[list[str]], texts: list[str]) -> None:
    for line in lines:
        for cell in line:
            if cell.startswith(TRIGGERS):
                assert Decimal(cell.replace(",", ".")) is not None, cell  # a plain number
    back = {csv_untext(cell) for line in lines for cell in line}
    assert [text for text in texts if text not in back] == []


def test_the_budget_csv_template_neutralises_formulas_and_imports_back_unchanged():
    table = hostile_budget()
    data = template_csv(table, [Series(2023, "budget")])
    lines = read_csv(data)
    assert_csv_is_data(lines, STORED)
    assert lines[1][1] == "'=1+1" and lines[1][2] == "-1"  # text guarded, numbers as numbers
    planner = user_with_role("planerare-c", "planerare", "styrelsen")
    staged = stage_import(
        table, actor=planner, file_name="mall.csv", content=data, options=ImportOptions(unit="kr")
    )
    run_import_check(staged, actor=planner)
    assert staged.problems == [] and staged.changes == []  # every row found, nothing changes


def test_the_example_forecasts_csv_neutralises_formulas():
    table = hostile_budget()
    rows = {row.pk: Decimal(-1000) for row in table.rows.all()}
    text = forecasts_csv(table, {"2023-06": rows})
    lines = read_csv(text.encode())
    assert_csv_is_data(lines, STORED)


# Any text, most of it starting as a formula would (XML cannot hold other control characters).
texts = st.builds(
    "".join,
    st.tuples(
        st.sampled_from([*TRIGGERS, "'=", "''-", ""]),
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\r")),
    ),
)


@given(st.lists(texts, min_size=1, max_size=5))
def test_any_text_is_written_as_text_and_read_back_unchanged(values):
    book = Workbook()
    book.active.append([*values, 7, Decimal("-2.5")])
    sheet = load_workbook(io.BytesIO(to_bytes(book))).active
    row = list(sheet[1])
    assert all(cell.data_type != "f" for cell in row)
    assert [cell.value or "" for cell in row[: len(values)]] == values
    assert [cell.value for cell in row[len(values) :]] == [7, -2.5]


@given(st.lists(texts, min_size=1, max_size=5))
def test_any_text_survives_a_csv_and_none_starts_like_a_formula(values):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([csv_text(value) for value in values])
    (line,) = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";"))
    assert [csv_untext(cell) for cell in line] == values
    for cell in line:
        assert not cell.startswith(TRIGGERS) or cell.lstrip("+-\u2212")[:1].isdigit()


def test_every_module_that_makes_a_workbook_saves_it_through_to_bytes():
    """A new exporter cannot forget: whoever creates an openpyxl ``Workbook`` saves it with
    ``lib.workbook.to_bytes`` (which writes text as text), never with ``.save()`` itself."""
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "uppsikt"
    makers = [
        path
        for path in package.rglob("*.py")
        if "Workbook()" in path.read_text(encoding="utf-8") and path.name != "workbook.py"
    ]
    assert makers  # the budget, control, report and template exporters
    for path in makers:
        source = path.read_text(encoding="utf-8")
        assert "to_bytes(" in source and not re.search(r"book\.save\(", source), path
