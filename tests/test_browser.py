"""End-to-end in Debian's Chromium: every page passes axe-core, and a visitor clicks through."""

import pytest
from playwright.sync_api import expect

from uppsikt.plans.models import Goal, Plan

from .a11y import assert_accessible
from .builders import RS_TITLE, user_with_role
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username="planerare", password="x-test-pass-1"):
    user_with_role(username, password=password)
    sign_in(page, live_server.url, username, password)


def test_every_public_page_passes_axe(live_server, page, demo_board_plan):
    goal = Goal.objects.get(plan=demo_board_plan, kind="effektmal", number="1")
    kansliet = Plan.objects.get(unit__slug="regionkansliet")
    for path in (
        "/",
        demo_board_plan.get_absolute_url(),
        kansliet.get_absolute_url(),
        goal.get_absolute_url(),
        "/organisationer/0018/",
        "/organisationer/0010/",
        "/organisationer/1880/",
        "/organisationer/0018/staben-digitalisering/",
        "/sok/?q=hälsa",
        "/sok/",
        "/konto/logga-in/",
        "/organisationer/",
        "/internkontroll/",
        "/budget/",
        "/rapporter/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "sv"
        assert_accessible(page)


def test_staff_pages_pass_axe_including_form_errors(live_server, page, demo_board_plan):
    login(page, live_server)
    goal = Goal.objects.get(plan=demo_board_plan, kind="effektmal", number="1")
    from django.contrib.auth import get_user_model

    from uppsikt.plans.actions.versions import revise_plan

    planner = get_user_model().objects.get(username="planerare")
    revision = revise_plan(demo_board_plan, actor=planner, reason="Ändringar under året")
    goal = revision.counterpart(goal)  # goals of a decided plan are edited in a revision
    for path in (revision.plan.get_absolute_url(), f"/mal/{goal.pk}/redigera/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.locator("#id_text").fill("")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "Detta fält måste fyllas i." in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_visitor_clicks_from_start_page_to_an_effektmal(live_server, page, demo_board_plan):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=RS_TITLE).click()
    page.get_by_role("heading", level=1, name=RS_TITLE).wait_for()
    page.get_by_role("link", name="3.1 Perspektiv: Invånare och samhälle").click()
    page.get_by_role(
        "link", name="Effektmål 1 Länets invånare har en god, jämlik och jämställd hälsa."
    ).click()
    heading = page.get_by_role("heading", level=1)
    assert "Länets invånare har en god, jämlik och jämställd hälsa." in heading.inner_text()
    assert "Fler patienter screenas med levnadsvaneformulär" in page.inner_text("main")
    # Up the cascade to regionfullmäktige's effektmål, then back down.
    page.get_by_role("link", name="Effektmål 1: Länets invånare har", exact=False).click()
    assert "Regionfullmäktige" in page.inner_text("main")
    page.get_by_role(
        "link",
        name="Effektmål 1: Länets invånare har en god, jämlik och jämställd hälsa. "
        "(Regionstyrelsen, plan 2023)",
    ).click()
    assert "Fler patienter screenas" in page.inner_text("main")


def test_keyboard_user_reaches_the_content_with_the_skip_link(live_server, page, demo_board_plan):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    expect(page.locator("#innehall")).to_be_focused()


def test_planner_logs_in_and_edits_a_goal_without_javascript(live_server, browser, demo_board_plan):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server)
        goal = Goal.objects.get(plan=demo_board_plan, kind="effektmal", number="4")
        page.goto(live_server.url + goal.get_absolute_url())
        # The plan is decided: the goal is changed in a new version of the plan.
        page.get_by_role("link", name="Revidera planen").click()
        page.get_by_label("Varför revideras planen?").fill("Tandvården får ett eget mål")
        page.get_by_role("button", name="Skapa ny version").click()
        page.locator("#id_text").fill("Länets invånare får tillgänglig tandvård.")
        page.get_by_role("button", name="Spara").click()
        assert "Målet är sparat." in page.inner_text("main")
        goal.refresh_from_db()
        assert goal.text != "Länets invånare får tillgänglig tandvård."  # version 1 stays
        revised = Goal.objects.get(plan__version=2, kind="effektmal", number="4")
        assert revised.text == "Länets invånare får tillgänglig tandvård."
    finally:
        context.close()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    live_server, page, demo_board_plan
):
    page.goto(live_server.url + demo_board_plan.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Hoppa till innehållet"
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#innehall")).to_be_focused()
    current = page.locator("nav[aria-label=Huvudmeny] [aria-current]")
    assert current.inner_text() == "Organisationer och planer"
