"""Budget pages: the table, a row's drill-down, a unit's list, XLSX; one axe run in Chromium."""

from pathlib import Path

import pytest

from uppsikt.budget.load import load_budget_data, load_budget_file
from uppsikt.budget.models import BudgetRow, BudgetTable
from uppsikt.plans.models import Plan

from .a11y import assert_accessible
from .builders import load_demo, load_minimal

BUDGET_FILE = Path(__file__).resolve().parent.parent / "demo" / "budget-2023.yaml"
NBSP, MINUS = "\u00a0", "\u2212"


@pytest.fixture
def seed():
    load_demo()
    load_budget_file(BUDGET_FILE)
    return {t.number: t for t in BudgetTable.objects.all()}


@pytest.mark.django_db
def test_table_page_is_laid_out_like_the_seed(client, seed):
    html = client.get(seed["4.3"].get_absolute_url()).content.decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert f"{MINUS}2{NBSP}754" in html and f"{MINUS}3{NBSP}007" in html
    assert "Avvikelse prognos 2022 (per 2022-07) mot budget 2022" in html
    assert "+66" in html
    assert "budget-row--varav" in html and "budget-row--summa" in html
    group = BudgetRow.objects.get(table=seed["4.3"], label="Hälsovalsenheten, varav")
    assert f'href="{group.get_absolute_url()}"' in html
    assert f"/budget/{seed['4.3'].pk}.xlsx" in html


@pytest.mark.django_db
def test_row_page_drills_down(client, seed):
    group = BudgetRow.objects.get(table=seed["4.3"], label="Tandvårdsenheten, varav")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Överenskommelse Folktandvården" in html
    assert "Hälsovalsenheten" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_unit_list_and_xlsx(client, seed):
    html = client.get("/budget/enhet/0018/regionstyrelsen/").content.decode()
    assert "4.3 Driftbudget regionstyrelsen" in html and "4.4 Investeringsbudget" in html
    assert "Fördelning driftbudget" not in html
    response = client.get(f"/budget/{seed['5.1'].pk}.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_tables_of_draft_plans_are_hidden_from_visitors(client, seed):
    Plan.objects.filter(pk=seed["4.3"].plan_id).update(status=Plan.Status.UTKAST)
    assert client.get(seed["4.3"].get_absolute_url()).status_code == 404
    assert client.get(f"/budget/{seed['4.3'].pk}.xlsx").status_code == 404


@pytest.mark.django_db
def test_rounding_difference_is_shown(client):
    load_minimal()
    rows = [{"label": f"Rad {i}", "figures": ["0,4"]} for i in range(3)]
    load_budget_data(
        {
            "format": "uppsikt-budget/1",
            "organisation": "0099",
            "tables": [
                {
                    "unit": "styrelsen",
                    "year": 2023,
                    "kind": "drift",
                    "title": "Avrundning",
                    "series": [{"kind": "budget", "year": 2023}],
                    "rows": [*rows, {"label": "Summa", "kind": "summa"}],
                }
            ],
        }
    )
    html = client.get(BudgetTable.objects.get().get_absolute_url()).content.decode()
    assert 'href="#avrundning-1"' in html and 'id="avrundning-1"' in html
    assert "de avrundade raderna ger 0 men summan av de exakta beloppen avrundas till 1" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_budget_pages_pass_axe(live_server, page):
    load_demo()
    load_budget_file(BUDGET_FILE)
    table = BudgetTable.objects.get(number="4.3")
    group = BudgetRow.objects.get(table=table, label="Hälsovalsenheten, varav")
    for path in (
        table.get_absolute_url(),
        BudgetTable.objects.get(number="4.4").get_absolute_url(),
        group.get_absolute_url(),
        "/budget/enhet/0018/regionkansliet/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(live_server.url + table.get_absolute_url())
    page.get_by_role("link", name="Hälsovalsenheten, varav").click()
    assert "Vårdval Hälsoval" in page.inner_text("main")
