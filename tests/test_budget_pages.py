"""Budget pages: the table, a row's drill-down, a unit's list, XLSX; one axe run in Chromium."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from uppsikt.budget.load import load_budget_data, load_budget_file
from uppsikt.budget.models import BudgetRow, BudgetTable
from uppsikt.plans.models import Plan

from .a11y import assert_accessible
from .builders import load_demo, load_minimal, user_with_role
from .signin import sign_in

BUDGET_FILE = Path(__file__).resolve().parent.parent / "demo" / "budget-2023.yaml"
NBSP, MINUS = "\u00a0", "\u2212"


@pytest.mark.django_db
def test_table_page_is_laid_out_like_the_seed(client, demo_budget_tables):
    html = client.get(demo_budget_tables["4.3"].get_absolute_url()).content.decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert f"{MINUS}2{NBSP}754" in html and f"{MINUS}3{NBSP}007" in html
    assert "Avvikelse prognos 2022 (per 2022-07) mot budget 2022" in html
    assert "+66" in html
    assert "budget-row--varav" in html and "budget-row--summa" in html
    group = BudgetRow.objects.get(table=demo_budget_tables["4.3"], label="Hälsovalsenheten, varav")
    assert f'href="{group.get_absolute_url()}"' in html
    assert f"/budget/{demo_budget_tables['4.3'].pk}.xlsx" in html


@pytest.mark.django_db
def test_row_page_drills_down(client, demo_budget_tables):
    group = BudgetRow.objects.get(table=demo_budget_tables["4.3"], label="Tandvårdsenheten, varav")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Överenskommelse Folktandvården" in html
    assert "Hälsovalsenheten" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_unit_list_and_xlsx(client, demo_budget_tables):
    html = client.get("/budget/enhet/0018/regionstyrelsen/").content.decode()
    assert "4.3 Driftbudget regionstyrelsen" in html and "4.4 Investeringsbudget" in html
    assert "Fördelning driftbudget" not in html
    response = client.get(f"/budget/{demo_budget_tables['5.1'].pk}.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_tables_of_draft_plans_are_hidden_from_visitors(client, demo_budget_tables):
    Plan.objects.filter(pk=demo_budget_tables["4.3"].plan_id).update(status=Plan.Status.UTKAST)
    assert client.get(demo_budget_tables["4.3"].get_absolute_url()).status_code == 404
    assert client.get(f"/budget/{demo_budget_tables['4.3'].pk}.xlsx").status_code == 404


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


# Follow-up, planning and import pages -----------------------------------------------------


@pytest.fixture
def followed(demo_budget_tables, tmp_path, settings, client):
    """The seed with the demo's example outcomes and forecasts imported, and ``client`` a
    reader on Regionstyrelsen (the public sees only reviewed periods' follow-up figures:
    test_budget_publication)."""
    import io

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_users", stdout=io.StringIO())
    call_command("demo_budget", stdout=io.StringIO())
    client.force_login(user_with_role("lasare-f", "lasare", "regionstyrelsen"))
    return demo_budget_tables


def planning_urls(table) -> list[str]:
    first = table.rows.get(label="Tandvårdsstöd")
    return [
        f"/budget/{table.pk}/importera/",
        f"/budget/{table.pk}/importmall.csv",
        f"/budget/{table.pk}/nasta-ar/",
        f"/budget/{table.pk}/omfordela/",
        f"/budget/{table.pk}/mappning/",
        f"/budget/rad/{first.pk}/belopp/",
    ]


@pytest.mark.django_db
def test_planning_pages_need_perm_plan(client, demo_budget_tables):
    from .builders import user_with_role

    table = demo_budget_tables["4.3"]
    for url in planning_urls(table):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/" in response["Location"], url
    client.force_login(user_with_role("lasare-x", "lasare", "regionstyrelsen"))
    for url in planning_urls(table):
        assert client.get(url).status_code == 403, url
    html = client.get(table.get_absolute_url()).content.decode()
    assert "Omfördela mellan rader" not in html
    client.force_login(user_with_role("planerare-y", "planerare", "regionkansliet"))
    for url in planning_urls(table):  # a planner of another unit
        assert client.get(url).status_code == 403, url
    client.force_login(user_with_role("planerare-x", "planerare", "regionstyrelsen"))
    for url in planning_urls(table):
        assert client.get(url).status_code == 200, url
    html = client.get(table.get_absolute_url()).content.decode()
    assert "Omfördela mellan rader" in html and "Nästa års ram (2024)" in html


@pytest.mark.django_db
def test_columns_are_chosen_and_carried_to_the_export(
    client, followed, django_assert_max_num_queries
):
    table = followed["4.3"]
    with django_assert_max_num_queries(12):
        html = client.get(table.get_absolute_url() + "?visa=uppfoljning").content.decode()
    assert "Prognos 2023 (per 2023-11)" in html and "Utfall 2023 (per 2023-12)" in html
    assert "Avvikelse utfall 2023 (per 2023-12) mot budget 2023" in html
    assert f'href="/budget/{table.pk}.xlsx?kolumn=budget-2023&amp;kolumn=prognos-2023-11' in html
    html = client.get(table.get_absolute_url() + "?kolumn=utfall-2023-07").content.decode()
    assert (
        "Utfall 2023 (per 2023-07)" in html
        and "Budget 2022" not in html.split("<table", 1)[1].split("</table>")[0]
    )
    response = client.get(f"/budget/{table.pk}.xlsx?kolumn=utfall-2023-07&kolumn=budget-2023")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Belopp i mnkr")
    assert header[1:] == ("Utfall 2023 (per 2023-07) (exempel)", "Budget 2023")
    assert any("exempeldata" in str(r[0]) for r in sheet.iter_rows(values_only=True) if r[0])


@pytest.mark.django_db
def test_month_chart_with_its_data_table(client, followed):
    table = followed["4.3"]
    html = client.get(table.get_absolute_url()).content.decode()
    assert html.count('role="img"') == 2
    assert (
        "Årsprognos mot budget, 2023" in html and "Utfall hittills mot årets budget, 2023" in html
    )
    assert "Totalt regionstyrelsens driftansvar per månad 2023 (mnkr)" in html
    assert "<style" not in html and " style=" not in html and "<script" not in html
    assert f'<td class="num">{MINUS}3{NBSP}007</td>' in html  # the budget, every month
    tandvard = BudgetRow.objects.get(table=table, label="Tandvårdsenheten, varav")
    html = client.get(tandvard.get_absolute_url()).content.decode()
    assert "Tandvårdsenheten, varav per månad 2023 (mnkr)" in html
    html = client.get(followed["5.1"].get_absolute_url()).content.decode()
    assert "Årsprognos mot budget" in html and "Utfall hittills" not in html  # no ledger for 5.1


@pytest.mark.django_db
def test_no_chart_without_forecasts(client, demo_budget_tables):
    html = client.get(demo_budget_tables["4.3"].get_absolute_url()).content.decode()
    assert 'role="img"' not in html and "per månad" not in html


@pytest.mark.django_db(transaction=True)
def test_import_through_the_web_with_the_background_check(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from uppsikt.budget.models import BudgetImport, Figure

    from .budget_helpers import small_table
    from .builders import run_queued_jobs, user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    table = small_table()
    client.force_login(user_with_role("planerare-w", "planerare", "styrelsen"))
    bad = SimpleUploadedFile("fel.csv", b"kod;prognos 2023-06\r\nX;1\r\nB;1.5\r\n")
    response = client.post(
        f"/budget/{table.pk}/importera/", {"file": bad, "unit": "kr", "outcome": "on"}
    )
    assert response.status_code == 302 and "/jobb/" in response["Location"]
    run_queued_jobs()
    job_page = client.get(response["Location"]).content.decode()
    assert "Visa felen" in job_page
    staged = BudgetImport.objects.get()
    html = client.get(staged.get_absolute_url()).content.decode()
    assert "Filen har 2 fel och lästes inte in" in html
    assert "rad 2" in html and "ingen rad heter ”X”" in html
    assert "rad 3, kolumn B (Prognos 2023 (per 2023-06))" in html
    assert client.post(f"/budget/import/{staged.pk}/las-in/").status_code == 302
    assert not Figure.objects.filter(kind="prognos").exists()

    good = SimpleUploadedFile("ok.csv", "kod;prognos 2023-06\r\nB;−51\r\n".encode())
    response = client.post(
        f"/budget/{table.pk}/importera/", {"file": good, "unit": "kr", "outcome": "on"}
    )
    run_queued_jobs()
    staged = BudgetImport.objects.latest("pk")
    html = client.get(staged.get_absolute_url()).content.decode()
    assert "Läs in 1 belopp" in html and f"{MINUS}51" in html
    response = client.post(f"/budget/import/{staged.pk}/las-in/")
    assert response.status_code == 302 and response["Location"] == table.get_absolute_url()
    assert Figure.objects.get(kind="prognos").amount == -51


@pytest.mark.django_db
def test_frame_preview_then_create(client, demo_budget_tables):
    from .builders import user_with_role

    table = demo_budget_tables["4.3"]
    client.force_login(user_with_role("planerare-f", "planerare", "regionstyrelsen"))
    html = client.get(
        f"/budget/{table.pk}/nasta-ar/?rate=4%2C3&base=budget-2023&rounding=mnkr"
    ).content.decode()
    assert "Förhandsgranskning" in html and "Budget 2024" in html and "Förändring" in html
    assert BudgetTable.objects.filter(year=2024).count() == 0
    html = client.get(
        f"/budget/{table.pk}/nasta-ar/?rate=4.3&base=budget-2023&rounding=mnkr"
    ).content.decode()
    assert "använd decimalkomma" in html and "Förhandsgranskning" not in html
    response = client.post(
        f"/budget/{table.pk}/nasta-ar/", {"rate": "4,3", "base": "budget-2023", "rounding": "mnkr"}
    )
    draft = BudgetTable.objects.get(year=2024)
    assert response["Location"] == draft.get_absolute_url()


@pytest.mark.django_db
def test_reallocation_form_names_its_errors(client, demo_budget_tables):
    from .builders import user_with_role

    table = demo_budget_tables["4.3"]
    client.force_login(user_with_role("planerare-r", "planerare", "regionstyrelsen"))
    a = BudgetRow.objects.get(table=table, label="Hälsovalsenheten, varav")
    b = BudgetRow.objects.get(table=table, label="Tandvårdsenheten, varav")
    data = {"from_row": a.pk, "to_row": b.pk, "series": "budget-2023", "amount": "5", "reason": "x"}
    html = client.post(f"/budget/{table.pk}/omfordela/", data).content.decode()
    assert "Reviderad budget 2023" in html  # the decided budget is not offered
    assert "den beslutade budgeten ändras inte" in html
    data["series"], data["reason"] = "reviderad-2023", ""
    html = client.post(f"/budget/{table.pk}/omfordela/", data).content.decode()
    assert "Formuläret har fel som behöver rättas" in html and "Motivering" in html
    data["reason"] = "Tandvården"
    response = client.post(f"/budget/{table.pk}/omfordela/", data)
    assert response.status_code == 302
    assert b.figures.get(kind="reviderad", year=2023).amount == -263_000_000
    assert b.figures.get(kind="budget", year=2023).amount == -258_000_000
    data["amount"] = "3000"
    html = client.post(f"/budget/{table.pk}/omfordela/", data).content.decode()
    assert "större än vad Hälsovalsenheten, varav har i Reviderad budget 2023" in html


@pytest.mark.django_db
def test_mapping_page_adds_and_removes_rules(client, demo_budget_tables):
    from uppsikt.budget.models import MappingRule

    from .builders import user_with_role

    table = demo_budget_tables["4.3"]
    client.force_login(user_with_role("planerare-m", "planerare", "regionstyrelsen"))
    row = BudgetRow.objects.get(table=table, label="Omställning")
    count = MappingRule.objects.filter(table=table).count()
    data = {
        "accounts": "8000-8999",
        "dimension": "",
        "object_code": "",
        "row": row.pk,
        "flip_sign": "on",
    }
    assert client.post(f"/budget/{table.pk}/mappning/", data).status_code == 302
    rule = MappingRule.objects.get(table=table, account_from=8000)
    html = client.post(
        f"/budget/{table.pk}/mappning/", {**data, "accounts": "8999-8000"}
    ).content.decode()
    assert "ska vara ett konto eller ett intervall" in html.lower()
    client.post(f"/budget/{table.pk}/mappning/{rule.pk}/ta-bort/")
    assert MappingRule.objects.filter(table=table).count() == count


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_follow_up_and_planning_pages_pass_axe(live_server, page, tmp_path, settings):
    """Every new page in Chromium with axe-core: the table with its chart, the row page,
    the import pages (rejected and checked), the frame preview, the forms with errors."""
    import io

    from django.core.management import call_command

    from uppsikt.budget.models import BudgetImport

    from .builders import run_queued_jobs, user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    load_budget_file(BUDGET_FILE)
    call_command("demo_users", stdout=io.StringIO())
    call_command("demo_budget", stdout=io.StringIO())
    user_with_role("planerare-a", "planerare", "regionstyrelsen", password="x-test-pass-1")
    sign_in(page, live_server.url, "planerare-a")
    table = BudgetTable.objects.get(number="4.3")
    row = BudgetRow.objects.get(table=table, label="Hälsovalsenheten, varav")
    imported = BudgetImport.objects.filter(table=table).first()
    for path in (
        table.get_absolute_url() + "?visa=uppfoljning",
        row.get_absolute_url(),
        f"/budget/{table.pk}/importera/",
        imported.get_absolute_url(),
        f"/budget/{table.pk}/nasta-ar/?rate=4%2C3&base=budget-2023&rounding=tkr",
        f"/budget/{table.pk}/mappning/",
        f"/budget/rad/{row.pk}/belopp/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)

    page.goto(live_server.url + f"/budget/{table.pk}/omfordela/")
    page.get_by_role("button", name="Flytta beloppet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + f"/budget/{table.pk}/importera/")
    bad = tmp_path / "fel.csv"
    bad.write_text("kod;rad;prognos 2023-06\r\n;Finns inte;1\r\n", encoding="utf-8")
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_url("**/jobb/**")
    assert_accessible(page)
    run_queued_jobs()
    page.reload()
    page.get_by_role("link", name="Visa felen").click()
    assert "ingen rad heter ”Finns inte”" in page.inner_text("main")
    assert_accessible(page)
