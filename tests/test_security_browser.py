"""The new pages in Debian's Chromium: axe-core passes, and the Content-Security-Policy
blocks nothing the pages need (no violation is reported on any of them)."""

import datetime

import pytest
from playwright.sync_api import expect

from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.models import Goal

from .a11y import assert_accessible
from .builders import run_queued_jobs
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched(page):
    """The page, collecting Content-Security-Policy violations and script errors."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    return page


def log_in(page, live_server, username):
    sign_in(page, live_server.url, username)


def check(page, live_server, path, status=200):
    response = page.goto(live_server.url + path)
    assert response.status == status, path
    assert_accessible(page)
    assert page.problems == [], (path, page.problems)


def test_planner_revises_edits_compares_and_decides(live_server, watched, two_regions_with_roles):
    page = watched
    log_in(page, live_server, "planerare_inne")
    check(page, live_server, two_regions_with_roles.decided.get_absolute_url())
    page.get_by_role("link", name="Revidera planen för att ändra Effektmål 1").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skapa ny version").click()  # no reason: an error
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Varför revideras planen?").fill("Nytt uppdrag från fullmäktige")
    page.get_by_role("button", name="Skapa ny version").click()
    page.locator("#id_text").fill("Effektmål nummer 1 år 2023 för alla i länet")
    page.get_by_role("button", name="Spara").click()
    assert "Målet är sparat." in page.inner_text("main")
    revision = Goal.objects.get(plan__year=2023, plan__version=2, number="1").plan
    check(page, live_server, revision.get_absolute_url())
    check(
        page, live_server, f"/planer/{revision.pk}/jamfor/?med={two_regions_with_roles.decided.pk}"
    )
    assert "för alla i länet" in page.inner_text("main")
    check(
        page,
        live_server,
        f"/planer/{two_regions_with_roles.decided.pk}/jamfor/?med={two_regions_with_roles.draft.pk}",
    )
    check(page, live_server, f"/planer/{revision.pk}/besluta/")
    page.get_by_label("Beslutsdatum").fill("2999-01-01")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Beslutat av").select_option(label="Regionstyrelsen")
    page.get_by_label("Beslutsdatum").fill("2023-06-13")
    page.get_by_role("button", name="Registrera beslutet").click()
    assert "Beslutet är registrerat" in page.inner_text("main")
    check(page, live_server, two_regions_with_roles.decided.get_absolute_url())
    assert "Ersatt version." in page.inner_text("main")


def test_history_account_tokens_and_roles_pages(live_server, watched, two_regions_with_roles):
    page = watched
    update_goal(
        two_regions_with_roles.draft_goal,
        actor=two_regions_with_roles.user("planerare_inne"),
        text="Nytt mål i utkastet",
    )
    log_in(page, live_server, "administrator_inne")
    check(page, live_server, "/konto/")
    check(page, live_server, two_regions_with_roles.draft_goal.get_absolute_url())
    check(
        page,
        live_server,
        f"/andringslogg/objekt/plans.goal/{two_regions_with_roles.draft_goal.pk}/",
    )
    check(
        page,
        live_server,
        f"/andringslogg/person/{two_regions_with_roles.user('planerare_inne').pk}/",
    )
    check(page, live_server, "/konto/api-nycklar/")
    page.get_by_label("Namn").fill("Rapportverktyg")
    page.get_by_role("button", name="Skapa nyckeln").click()
    assert page.locator("#new-key").input_value().startswith("upp_")
    assert_accessible(page)
    check(page, live_server, "/konto/roller/")
    page.get_by_label("Användarnamn").fill("allmanhet")
    page.locator("#id_unit").select_option(label="Regionstyrelsen")
    page.locator("#id_role").select_option(label="Läsare")
    page.get_by_role("button", name="Ge rollen").click()
    page.wait_for_load_state()
    assert "allmanhet är nu" in page.inner_text("main")
    assert_accessible(page)
    check(page, live_server, "/andringslogg/kontroll/")
    page.get_by_role("button", name="Starta kontrollen").click()
    run_queued_jobs()
    page.reload()
    assert "Ändringsloggen är hel" in page.inner_text("main")
    assert_accessible(page)
    assert page.problems == []


def test_public_error_and_login_pages(live_server, watched, two_regions_with_roles):
    page = watched
    planner = two_regions_with_roles.user("planerare_inne")
    revision = revise_plan(two_regions_with_roles.decided, actor=planner, reason="Revidering").plan
    decide_plan(
        revision,
        actor=planner,
        decided_by=two_regions_with_roles.unit,
        decided_on=datetime.date(2023, 6, 1),
    )
    check(page, live_server, two_regions_with_roles.decided.get_absolute_url())
    check(page, live_server, two_regions_with_roles.unit.get_absolute_url())
    check(page, live_server, two_regions_with_roles.draft.get_absolute_url(), status=404)
    check(page, live_server, "/konto/logga-in/")
    for _attempt in range(6):  # five failures lock the name; the sixth answer says so
        page.get_by_label("Användarnamn").fill("planerare_inne")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        with page.expect_navigation():
            page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("tillfälligt spärrad", use_inner_text=True)
    assert_accessible(page)
    log_in(page, live_server, "lasare_inne")
    check(page, live_server, "/andringslogg/kontroll/", status=403)
