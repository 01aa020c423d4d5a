"""Loading budget files: the seed's tables, rejected files, and Decimal round trips to XLSX."""

import copy
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from uppsikt.budget.document import budget_document
from uppsikt.budget.load import BudgetLoadError, load_budget_data, load_budget_file
from uppsikt.budget.models import BudgetRow, BudgetTable, Figure, Series
from uppsikt.budget.money import format_number
from uppsikt.budget.xlsx import table_workbook

from .builders import load_minimal

pytestmark = pytest.mark.django_db

BUDGET_FILE = Path(__file__).resolve().parent.parent / "demo" / "budget-2023.yaml"
MNKR = Decimal(1_000_000)
B23, P22, B22 = Series(2023, "budget"), Series(2022, "prognos", "2022-07"), Series(2022, "budget")


def values(table: BudgetTable, label: str) -> list[Decimal | None]:
    doc = budget_document(table)
    row = BudgetRow.objects.get(table=table, label=label)
    return [doc.value(row, s) / MNKR for s in (B23, P22, B22)]


def test_seed_sums_are_computed(demo_budget_tables):
    drift, invest, kansli = (
        demo_budget_tables["4.3"],
        demo_budget_tables["4.4"],
        demo_budget_tables["5.1"],
    )
    assert values(drift, "Summa:") == [-2754, -2503, -2569]
    assert values(drift, "Totalt regionstyrelsens driftansvar") == [-3007, -2596, -2922]
    assert values(invest, "Summa") == [Decimal("24.4"), Decimal("19.8"), Decimal("24.4")]
    assert values(kansli, "Regionkansliet verksamhet och projekt") == [-343, -280, -316]
    # Sums are never stored: only own figures are.
    assert not Figure.objects.filter(row__kind__in=["summa", "totalt", "grupp"]).exists()
    assert drift.unit.slug == "regionstyrelsen" and kansli.unit.slug == "regionkansliet"
    assert drift.plan.title == "Regionstyrelsens verksamheter, Verksamhetsplan med budget 2023"


def test_seed_layout_and_variance(demo_budget_tables):
    doc = budget_document(demo_budget_tables["4.3"])
    assert [str(s) for s in doc.series] == [
        "Budget 2023",
        "Prognos 2022 (per 2022-07)",
        "Budget 2022",
    ]
    summa = next(line for line in doc.rows if line.row.label == "Summa:")
    assert summa.variance.value == 66 * MNKR  # the överskott of 66 mnkr in the delårsrapport
    assert summa.variance.text == "+66"
    # In the investeringsbudget, investing less than budget is favourable too.
    invest = budget_document(demo_budget_tables["4.4"])
    summa = next(line for line in invest.rows if line.row.label == "Summa")
    assert summa.variance.value == Decimal("4.6") * MNKR and summa.variance.text == "+4,6"
    varav = [line.row.label for line in doc.rows if line.is_varav]
    assert len(varav) == 1 + 5 + 3
    assert "Privata vårdgivare (avtal inom LOU, LOL, LOF, LOV *))" in varav
    assert doc.rounding_notes == []


def test_loading_twice_replaces_the_tables(demo_budget_tables):
    rows = BudgetRow.objects.count()
    load_budget_file(BUDGET_FILE)
    assert BudgetTable.objects.count() == 3
    assert BudgetRow.objects.count() == rows


def _data() -> dict:
    return yaml.safe_load(BUDGET_FILE.read_text(encoding="utf-8"))


def _rejected(data) -> list[str]:
    before = (BudgetTable.objects.count(), BudgetRow.objects.count(), Figure.objects.count())
    with pytest.raises(BudgetLoadError) as excinfo:
        load_budget_data(data)
    after = (BudgetTable.objects.count(), BudgetRow.objects.count(), Figure.objects.count())
    assert after == before  # nothing changed
    return [str(problem) for problem in excinfo.value.problems]


def test_malformed_files_are_rejected_with_paths(demo_budget_tables):
    data = _data()
    data["tables"][0]["rows"][1]["figures"][0] = "-2.061"
    data["tables"][0]["rows"][2]["rows"][0]["figures"] = ["-34", "-29"]
    data["tables"][1]["unit"] = "finns-inte"
    data["tables"][2]["rows"][0]["rows"][1]["figures"][0] = "-400"  # varav exceeds −343
    data["tables"][0]["rows"][3]["bogus"] = 1
    problems = _rejected(data)
    assert any(
        p.startswith("tables[0].rows[1].figures[0]: ”-2.061”: använd decimalkomma")
        for p in problems
    )
    assert (
        "tables[0].rows[2].rows[0].figures: ska vara en lista med ett belopp per kolumn (3)"
        in problems
    )
    assert "tables[1].unit: ingen enhet ”finns-inte”" in problems
    assert any(p.startswith("tables[2].rows[0]: varav-raderna summerar till") for p in problems)
    assert "tables[0].rows[3].bogus: okänd nyckel" in problems


def test_imported_total_that_disagrees_reports_both_figures(demo_budget_tables):
    data = _data()
    data["tables"][0]["rows"][3]["expected_total"][0] = "-2 755"
    (problem,) = _rejected(data)
    assert problem.startswith("tables[0].rows[3].expected_total[0]: den angivna summan")
    assert "−2\u00a0755 mnkr" in problem and "−2\u00a0754 mnkr" in problem


def test_command_reports_problems_and_writes_nothing(tmp_path, demo_budget_tables):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: uppsikt-budget/1\norganisation: '0018'\ntables: [{}]\n")
    with pytest.raises(CommandError, match="ingenting lästes in"):
        call_command("load_budget", str(bad))
    assert BudgetTable.objects.count() == 3


def _cells(table: BudgetTable) -> dict[str, list]:
    sheet = load_workbook(BytesIO(table_workbook(budget_document(table)))).active
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_xlsx_has_the_layout_and_numbers(demo_budget_tables):
    cells = _cells(demo_budget_tables["4.3"])
    assert cells["Belopp i mnkr"][:3] == [
        "Budget 2023",
        "Prognos 2022 (per 2022-07)",
        "Budget 2022",
    ]
    assert cells["Summa:"] == [-2754, -2503, -2569, 66]
    assert cells["Totalt regionstyrelsens driftansvar"][:3] == [-3007, -2596, -2922]
    assert all(isinstance(v, int | float) for v in cells["Hälsovalsenheten, varav"])
    assert _cells(demo_budget_tables["4.4"])["Summa"][:3] == [24.4, 19.8, 24.4]


amounts = st.decimals(min_value=-(10**11), max_value=10**11, places=2)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=5))
def test_decimal_round_trip_load_db_xlsx(figures):
    if not BudgetTable.objects.exists():
        load_minimal()
    table = {
        "unit": "styrelsen",
        "year": 2023,
        "kind": "drift",
        "number": "1",
        "title": "Test",
        "display_unit": "kr",
        "decimals": 2,
        "series": [{"kind": "budget", "year": 2023}, {"kind": "utfall", "year": 2023}],
        "rows": [
            *(
                {"label": f"Rad {i}", "figures": [format_number(a, 2), format_number(b, 2)]}
                for i, (a, b) in enumerate(figures)
            ),
            {"label": "Summa", "kind": "summa"},
        ],
    }
    load_budget_data({"format": "uppsikt-budget/1", "organisation": "0099", "tables": [table]})
    stored = BudgetTable.objects.get(title="Test")
    for i, (a, b) in enumerate(figures):
        row = stored.rows.get(label=f"Rad {i}")
        assert {f.kind: f.amount for f in row.figures.all()} == {"budget": a, "utfall": b}
    cells = _cells(stored)
    assert cells["Belopp i kr"][:2] == ["Budget 2023", "Utfall 2023"]  # as the file has them
    for i, (a, b) in enumerate(figures):
        assert [Decimal(repr(v)) for v in cells[f"Rad {i}"][:2]] == [a, b]
        assert isinstance(cells[f"Rad {i}"][0], int | float)
    total = [sum(f[k] for f in figures) for k in (0, 1)]
    assert [Decimal(repr(v)).quantize(Decimal("0.01")) for v in cells["Summa"][:2]] == total


def test_data_is_not_mutated_by_validation(demo_budget_tables):
    data = _data()
    original = copy.deepcopy(data)
    load_budget_data(data)
    assert data == original


def test_command_loads_and_demo_reload_cascades(demo_budget_tables):
    from uppsikt.interchange.load import load_file

    from .builders import DEMO_FILE

    call_command("load_budget", str(BUDGET_FILE))
    assert BudgetTable.objects.count() == 3
    load_file(DEMO_FILE, replace=True, allow_decided=True)  # `load --replace` still works
    assert not BudgetTable.objects.exists()
