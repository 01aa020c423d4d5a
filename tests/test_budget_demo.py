"""The demo: the seed's tables exactly, the example files up to date with their generators,
and `uppsikt demo_budget` importing them through the real import, labelled as examples."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from uppsikt.budget.actions import run_import_check, stage_import
from uppsikt.budget.document import budget_document
from uppsikt.budget.examples import example_forecasts, example_ledger, forecasts_csv
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.models import BudgetImport, BudgetTable, Figure, Series
from uppsikt.budget.sie import read_sie, write_sie

from .budget_helpers import EXAMPLE_FORECASTS, EXAMPLE_SIE, counts, demo_tables, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp_path")]
MNKR = Decimal(1_000_000)


@pytest.fixture
def tables():
    return demo_tables()


@pytest.fixture
def admin(tables):
    call_command("demo_users", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def test_committed_example_files_are_what_the_generators_write(tables):
    ledger = example_ledger([tables["4.3"], tables["4.4"]], 2023)
    assert write_sie(ledger) == EXAMPLE_SIE.read_bytes(), "run: uppsikt write_example_sie"
    committed = read_sie(EXAMPLE_SIE.read_bytes())
    for number, path in EXAMPLE_FORECASTS.items():
        text = forecasts_csv(tables[number], example_forecasts(tables[number], committed, 2023))
        assert text == path.read_bytes().decode("utf-8"), (
            f"run: uppsikt write_example_forecasts {number}"
        )


def test_example_budgets_in_the_ledger_give_back_the_published_budget(tables, admin):
    """The example ledger's #PBUDGET, mapped with the signs flipped for the driftbudget and
    kept for investments, adds up to exactly the budget 2023 the plan prints."""
    for number in ("4.3", "4.4"):
        staged = stage_import(
            tables[number],
            actor=admin,
            file_name="exempel-2023.se",
            content=EXAMPLE_SIE.read_bytes(),
            options=ImportOptions(outcome=False, budgets_as="budget"),
        )
        staged = run_import_check(staged, actor=admin)
        assert staged.problems == []
        assert staged.changes == [], number  # every mapped row already has that budget


def test_demo_budget_imports_the_examples_and_the_seed_still_adds_up(tables, admin, client):
    call_command("demo_budget", stdout=io.StringIO())
    table = tables["4.3"]
    doc = budget_document(table)  # the default columns: as published
    assert [str(s) for s in doc.series] == [
        "Budget 2023",
        "Prognos 2022 (per 2022-07)",
        "Budget 2022",
    ]
    assert doc.value(row(table, "Summa:"), Series(2023, "budget")) == -2754 * MNKR
    total = row(table, "Totalt regionstyrelsens driftansvar")
    assert doc.value(total, Series(2023, "budget")) == -3007 * MNKR
    invest = budget_document(tables["4.4"])
    assert (
        invest.value(row(tables["4.4"], "Summa"), Series(2023, "budget")) == Decimal("24.4") * MNKR
    )
    assert not Figure.objects.filter(row__kind__in=["summa", "totalt", "grupp"]).exists()

    december, november = Series(2023, "utfall", "2023-12"), Series(2023, "prognos", "2023-11")
    utfall = Figure.objects.filter(row__table=table, kind="utfall")
    assert utfall.count() == 16 * 12 and all(f.is_example for f in utfall)
    prognos = Figure.objects.filter(row__table=table, kind="prognos", year=2023)
    assert prognos.count() == 16 * 11 and all(f.is_example for f in prognos)
    follow = budget_document(table, columns=[Series(2023, "budget"), november, december])
    assert all(column.is_example for column in follow.columns[1:])
    assert not follow.columns[0].is_example
    # Forecasts move month by month from the budget to the year's outcome: November's is
    # 1/12 of the way from it (give or take the tkr rounding of 16 rows).
    outcome, budget = follow.value(total, december), follow.value(total, Series(2023, "budget"))
    months = [Series(2023, "prognos", f"2023-{m:02d}") for m in range(1, 12)]
    every = budget_document(table, columns=months)
    gaps = [abs(every.value(total, s) - outcome) for s in months]
    assert gaps == sorted(gaps, reverse=True)
    assert abs(follow.value(total, november) - outcome) <= abs(budget - outcome) / 12 + 16_000
    assert Figure.objects.filter(row__table=tables["5.1"], kind="prognos", year=2023).count() == 121

    client.force_login(admin)  # the public sees only reviewed periods' follow-up figures
    html = client.get(table.get_absolute_url() + "?visa=uppfoljning").content.decode()
    assert "exempeldata" in html and "badge--example" in html
    assert "Budget, prognos och utfall 2023" in html


def test_a_malformed_example_is_rejected_line_by_line_with_nothing_changed(tables, admin):
    text = EXAMPLE_SIE.read_bytes().decode("cp437").split("\r\n")
    konto = next(i for i, line in enumerate(text) if line.startswith("#KONTO 4050"))
    del text[konto]
    last = next(i for i in range(len(text) - 1, 0, -1) if text[i].startswith("#PSALDO"))
    text[last] = text[last].rsplit(" ", 1)[0]  # the amount cut off
    before = counts()
    staged = stage_import(
        tables["4.3"],
        actor=admin,
        file_name="trasig.se",
        content="\r\n".join(text).encode("cp437"),
        options=ImportOptions(),
    )
    staged = run_import_check(staged, actor=admin)
    assert staged.status == BudgetImport.Status.REJECTED
    lines = [int(where.split()[1]) for where, _m in staged.problems]
    assert lines == sorted(lines) and len(lines) > 12
    assert all(
        message == "konto 4050 finns inte i filens kontoplan (ingen #KONTO-post)"
        or message.startswith("raden är ofullständig")
        for _w, message in staged.problems
    )
    for where, message in staged.problems:
        line = text[int(where.split()[1]) - 1]
        if "4050" in message:
            assert line.startswith(("#PSALDO", "#PBUDGET", "#RES")) and "4050" in line.split()
        else:
            assert line == text[last]
    assert counts() == before


def test_demo_budget_needs_the_demo_user(tables):
    with pytest.raises(CommandError, match="ingen användare som heter admin"):
        call_command("demo_budget", stdout=io.StringIO())
    assert BudgetTable.objects.count() == 3
