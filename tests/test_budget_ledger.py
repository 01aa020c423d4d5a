"""SIE files into budget rows through the mapping table: signs, outcome accumulated per month,
#PBUDGET as budget or forecast, the #RES check, double counting, and rejection with nothing
changed. Files are written by the project's own SIE writer."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from uppsikt.budget.actions import apply_import, run_import_check, save_mapping_rule, stage_import
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.models import (
    BudgetImport,
    BudgetRow,
    BudgetTable,
    Figure,
    MappingRule,
    Series,
)
from uppsikt.budget.sie import Balance, SieFile, write_sie

from .budget_helpers import counts, plan_in_draft, row, small_table
from .builders import user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp_path")]


def ledger(balances=(), budgets=(), results=(), **extra) -> bytes:
    sie = SieFile(
        company_name="Region Test (exempel)",
        program="Uppsikt",
        generated=date(2024, 1, 10),
        sie_type=4,
        fiscal_years={0: (date(2023, 1, 1), date(2023, 12, 31))},
        accounts={3010: "Intäkter", 4010: "Köpt vård", 5010: "Löner", 1010: "Immateriella"},
        dimensions={1: "Kostnadsställe"},
        objects={(1, "10"): "A egen", (1, "11"): "A övrigt", (1, "20"): "B", (1, "99"): "Ny"},
        period_balances=list(balances),
        period_budgets=list(budgets),
        results=list(results),
    )
    for name, value in extra.items():
        setattr(sie, name, value)
    return write_sie(sie)


def psaldo(month: int, account: int, amount: str, obj: str | None = None) -> Balance:
    objects = ((1, obj),) if obj else ()
    return Balance(0, account, Decimal(amount), f"2023-{month:02d}", objects)


def check(content: bytes, **options) -> BudgetImport:
    table = BudgetTable.objects.get(number="T")
    user = get_user_model().objects.get(username="planerare-test")
    staged = stage_import(
        table, actor=user, file_name="bok.se", content=content, options=ImportOptions(**options)
    )
    return run_import_check(staged, actor=user)


def outcome(staged: BudgetImport) -> dict[tuple[str, str], Decimal]:
    codes = dict(BudgetRow.objects.values_list("pk", "code"))
    return {(codes[c["row"]], c["series"]): Decimal(c["new"]) for c in staged.changes}


def test_costs_become_negative_and_outcome_accumulates_by_month(small_table_planner):
    staged = check(
        ledger(
            [
                psaldo(1, 4010, "40.00", "10"),
                psaldo(1, 5010, "15.50", "11"),
                psaldo(1, 3010, "-5.50", "11"),  # revenue: a credit, negative in SIE
                psaldo(2, 4010, "30.00", "10"),
                psaldo(2, 4010, "25", "20"),
                psaldo(3, 4010, "5", "99"),  # a kostnadsställe the mapping lacks
            ]
        )
    )
    assert staged.problems == []
    got = outcome(staged)
    # Enhet A = kostnadsställen 10 and 11; its varav Del A1 = 10 only (accounts 4000–4999).
    assert got[("A", "utfall-2023-01")] == Decimal("-40.00")  # 5010 and 3010 are not mapped
    assert got[("A1", "utfall-2023-01")] == Decimal("-40.00")
    assert got[("A", "utfall-2023-02")] == Decimal("-70.00")  # January + February
    assert got[("B", "utfall-2023-01")] == Decimal("0")  # nothing booked: no outcome
    assert got[("B", "utfall-2023-03")] == Decimal("-25")
    assert ("A2", "utfall-2023-01") not in got  # not mapped: left alone
    assert staged.summary["utfall_till"] == "2023-03"
    assert staged.summary["ej_mappade"] == [{"konto": 4010, "objekt": "1:99", "belopp": "5.00"}]
    from django.test import Client

    client = Client()
    client.force_login(small_table_planner)
    html = client.get(staged.get_absolute_url()).content.decode()
    assert "konto 4010, objekt 1:99: 5,00 kr i bokföringen" in html
    apply_import(staged, actor=small_table_planner)
    a = row(staged.table, "A")
    assert a.figures.get(kind="utfall", period="2023-02").amount == Decimal("-70.00")


def test_accounts_without_a_rule_and_rows_without_outcome_are_warnings(small_table_planner, client):
    staged = check(
        ledger(
            [
                psaldo(1, 4010, "40.00", "10"),
                psaldo(1, 5010, "1234.50", "11"),  # no rule covers 5010
                psaldo(1, 5010, "1234.50"),  # … its account total: the same money
                psaldo(2, 3010, "-5.50", "11"),  # revenue, no rule either
                psaldo(2, 1010, "99"),  # an asset: not what a driftbudget follows
            ]
        )
    )
    assert staged.problems == [] and staged.status == "kontrollerad"
    assert staged.summary["varningar"] == [
        [
            "konto 5010",
            "1\u00a0234,50 kr i bokföringen, men ingen mappningsregel tar kontot till en rad; "
            "beloppet läses inte in",
        ],
        [
            "konto 3010",
            "\u22125,50 kr i bokföringen, men ingen mappningsregel tar kontot till en rad; "
            "beloppet läses inte in",
        ],
        ["Enhet B", "inga bokförda belopp på raden; utfallet blir 0 varje månad"],
    ]
    client.force_login(small_table_planner)
    html = client.get(staged.get_absolute_url()).content.decode()
    assert "3 varningar att kontrollera" in html
    assert "konto 5010" in html and "inga bokförda belopp på raden" in html
    apply_import(staged, actor=small_table_planner)  # warnings do not stop the import
    assert row(staged.table, "B").figures.get(kind="utfall", period="2023-02").amount == 0


def test_investments_keep_their_sign():
    table = small_table(
        kind="investering",
        mapping=[{"accounts": "1010", "row": "B"}],
        number="I",
        title="Investeringar",
    )
    user = user_with_role("planerare-i", "planerare", "styrelsen")
    content = ledger([psaldo(1, 1010, "12.00"), psaldo(1, 1010, "12.00", "20")])
    staged = stage_import(
        table, actor=user, file_name="inv.se", content=content, options=ImportOptions()
    )
    staged = run_import_check(staged, actor=user)
    assert staged.problems == []
    (change,) = staged.changes  # the account total only, not the object line too
    assert Decimal(change["new"]) == Decimal("12.00")


def test_omfattn_sets_the_last_month(small_table_planner):
    staged = check(ledger([psaldo(1, 4010, "1", "20")], covers_to=date(2023, 4, 30)))
    keys = {series for _code, series in outcome(staged)}
    assert "utfall-2023-04" in keys and "utfall-2023-05" not in keys


def test_pbudget_as_budget_or_as_forecast(small_table_planner):
    plan_in_draft(BudgetTable.objects.get(number="T"))
    budgets = [psaldo(m, 4010, "10", "20") for m in range(1, 13)]
    # Only B's kostnadsställe has a budget: Enhet A would become 0 while its unmapped varav
    # row Del A2 keeps −30, which breaks the varav rule; the file is rejected.
    staged = check(ledger(budgets=budgets), outcome=False, budgets_as="budget")
    assert staged.problems == [
        ["Enhet A, varav", "varav-raderna summerar till −30 kr för Budget 2023, mer än radens 0 kr"]
    ]
    budgets += [psaldo(m, 4010, "5", "10") for m in range(1, 13)]
    budgets += [psaldo(m, 4010, "3", "11") for m in range(1, 13)]
    staged = check(ledger(budgets=budgets), outcome=False, budgets_as="budget")
    assert outcome(staged) == {
        ("A", "budget-2023"): Decimal("-96"),
        ("B", "budget-2023"): Decimal("-120"),
    }
    assert staged.summary["oforandrade"] == 1  # Del A1 had −60 already
    staged = check(
        ledger(budgets=budgets), outcome=False, budgets_as="prognos", forecast_period="2023-06"
    )
    assert outcome(staged)[("B", "prognos-2023-06")] == Decimal("-120")
    staged = check(
        ledger(budgets=budgets), outcome=False, budgets_as="prognos", forecast_period="2022-06"
    )
    assert [m for _w, m in staged.problems] == ["Perioden 2022-06 ligger inte i år 2023."]


def test_res_must_agree_with_the_months(small_table_planner):
    months = [psaldo(m, 4010, "10") for m in range(1, 13)]
    good = check(ledger(months, results=[Balance(0, 4010, Decimal("120"))]))
    assert good.problems == []
    bad = check(ledger(months, results=[Balance(0, 4010, Decimal("121"))]))
    ((where, message),) = bad.problems
    assert where.startswith("rad ")
    assert message == (
        "#RES anger 121,00 kr för konto 4010, men årets periodsaldon (#PSALDO) summerar till "
        "120,00 kr"
    )


def test_a_line_on_two_summed_rows_is_rejected(small_table_planner):
    table = BudgetTable.objects.get(number="T")
    MappingRule.objects.create(
        table=table,
        row=row(table, "B"),
        account_from=4000,
        account_to=4999,
        dimension=1,
        object_code="10",
    )
    before = counts()
    staged = check(ledger([psaldo(1, 4010, "40.00", "10")]))
    messages = [message for _where, message in staged.problems]
    assert any("räknar samma belopp på två rader" in m for m in messages)
    assert any(
        m == "beloppet hamnar på flera rader som båda ingår i summorna: "
        "Del A1; Enhet A, varav; Enhet B"
        for m in messages
    )
    assert counts() == before


def test_save_rule_refuses_double_counting(small_table_planner):
    table = BudgetTable.objects.get(number="T")
    rule = MappingRule(
        table=table, row=row(table, "B"), account_from=4500, account_to=4600, dimension=None
    )
    with pytest.raises(ValidationError, match="räknar samma belopp"):
        save_mapping_rule(
            rule, actor=small_table_planner
        )  # account totals overlap object rules on A
    rule.account_from, rule.account_to = 6000, 6999
    save_mapping_rule(rule, actor=small_table_planner)
    assert rule.pk


def test_malformed_file_is_rejected_line_by_line_with_nothing_changed(small_table_planner):
    before = counts()
    text = ledger([psaldo(1, 4010, "40.00", "10")]).decode("cp437")
    text = text.replace('#KONTO 4010 "Köpt vård"\r\n', "")
    text += '#PSALDO 0 202302 4010 {1 "77"} 5.00\r\n#PSALDO 0 202303 4010\r\n'
    staged = check(text.encode("cp437"))
    assert staged.status == BudgetImport.Status.REJECTED
    lines = text.split("\r\n")
    found = {(int(where.split()[1]), message) for where, message in staged.problems}
    number = {line: i + 1 for i, line in enumerate(lines)}
    assert found == {
        (
            number['#PSALDO 0 202301 4010 {1 "10"} 40.00'],
            "konto 4010 finns inte i filens kontoplan (ingen #KONTO-post)",
        ),
        (
            number['#PSALDO 0 202302 4010 {1 "77"} 5.00'],
            "konto 4010 finns inte i filens kontoplan (ingen #KONTO-post)",
        ),
        (
            number['#PSALDO 0 202302 4010 {1 "77"} 5.00'],
            "objektet ”77” i dimension 1 finns inte (ingen #OBJEKT-post)",
        ),
        (
            number["#PSALDO 0 202303 4010"],
            "raden är ofullständig: #PSALDO ska ha årsnr, period, konto, {objektlista} och belopp",
        ),
    }
    assert counts() == before
    assert not Figure.objects.filter(kind="utfall").exists()


def test_a_table_without_mapping_cannot_read_sie(small_table_planner):
    MappingRule.objects.all().delete()
    staged = check(ledger([psaldo(1, 4010, "1", "10")]))
    assert [m for _w, m in staged.problems] == [
        "tabellen har ingen mappning från konton till rader; lägg in regler först"
    ]


def test_series_of_the_ledger(small_table_planner):
    staged = check(ledger([psaldo(12, 4010, "1", "20")]))
    keys = sorted({series for _code, series in outcome(staged)})
    assert keys == [Series(2023, "utfall", f"2023-{m:02d}").key for m in range(1, 13)]
