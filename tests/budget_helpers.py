"""Small budget tables for tests, made through the real budget loader, and the demo's."""

from pathlib import Path

from uppsikt.budget.load import load_budget_data, load_budget_file
from uppsikt.budget.models import BudgetRow, BudgetTable

from .builders import ROOT, load_demo, load_minimal

BUDGET_FILE = ROOT / "demo" / "budget-2023.yaml"
EXAMPLE_SIE = ROOT / "demo" / "exempel-2023.se"
EXAMPLE_FORECASTS = {
    number: ROOT / "demo" / f"exempel-prognoser-2023-{number}.csv"
    for number in ("4.3", "4.4", "5.1")
}


def small_table(kind: str = "drift", **extra) -> BudgetTable:
    """Region Test's table "T": two units of 100 and 50 (kr, costs negative in a
    driftbudget), the first itemised by two varav rows, a Summa, and a mapping from
    accounts 4000–4999 on kostnadsställen 10, 11 and 20."""
    if not BudgetTable.objects.exists() and not BudgetRow.objects.exists():
        load_minimal()
    sign = "-" if kind == "drift" else ""
    table = {
        "unit": "styrelsen",
        "year": 2023,
        "kind": kind,
        "number": "T",
        "title": "Testtabell",
        "display_unit": "kr",
        "decimals": 0,
        "series": [{"kind": "budget", "year": 2023}],
        "rows": [
            {
                "label": "Enhet A, varav",
                "code": "A",
                "figures": [f"{sign}100"],
                "rows": [
                    {"label": "Del A1", "code": "A1", "figures": [f"{sign}60"]},
                    {"label": "Del A2, vårdcentraler", "code": "A2", "figures": [f"{sign}30"]},
                ],
            },
            {"label": "Enhet B", "code": "B", "figures": [f"{sign}50"]},
            {"label": "Summa", "kind": "summa"},
        ],
        "mapping": [
            {"accounts": "4000-4999", "dimension": 1, "objects": ["10", "11"], "row": "A"},
            {"accounts": "4000-4999", "dimension": 1, "objects": ["10"], "row": "A1"},
            {"accounts": "4000-4999", "dimension": 1, "objects": ["20"], "row": "B"},
        ],
        **extra,
    }
    load_budget_data({"format": "uppsikt-budget/1", "organisation": "0099", "tables": [table]})
    return BudgetTable.objects.get(number=table["number"])


def demo_tables() -> dict[str, BudgetTable]:
    load_demo()
    load_budget_file(BUDGET_FILE)
    return {t.number: t for t in BudgetTable.objects.select_related("unit")}


def row(table: BudgetTable, label_or_code: str) -> BudgetRow:
    rows = table.rows.all()
    return rows.filter(code=label_or_code).first() or rows.get(label=label_or_code)


def counts() -> tuple[int, ...]:
    """What a rejected change must leave untouched."""
    from uppsikt.audit.models import AuditEvent
    from uppsikt.budget.models import Figure, MappingRule, Reallocation

    return (
        BudgetTable.objects.count(),
        BudgetRow.objects.count(),
        Figure.objects.count(),
        MappingRule.objects.count(),
        Reallocation.objects.count(),
        AuditEvent.objects.count(),
        sum(f.amount for f in Figure.objects.all()),
    )


def read(path: Path) -> bytes:
    return path.read_bytes()


def plan_in_draft(table: BudgetTable) -> BudgetTable:
    """Put the table's plan back to utkast: its budget may then be written (a decided plan's
    budget for its year only changes through the revised budget or a revision)."""
    from uppsikt.plans.models import Plan

    Plan.objects.filter(pk=table.plan_id).update(status=Plan.Status.UTKAST)
    return table
