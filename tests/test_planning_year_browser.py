"""The planning year by keyboard only, in Debian's Chromium (issue 13's browser test).

A planerare of regionstyrelsen creates Regionkansliet's 2024 plan by breaking down
regionstyrelsen's 2024 draft (a copy of 2023), answers two of its goals (a new goal and
"berör inte enheten"), gives the new goal an indicator with a "minst 60 procent" rule, sends
the plan for beredning and registers the decision. Nothing is clicked or filled: every step
is Tab, typing, Enter, Space or arrow keys, so the test also proves that the focus order
reaches every control it needs. Each page visited passes axe-core, and the database is
checked after each step.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from uppsikt.indicators.models import IndicatorTarget
from uppsikt.indicators.rules import ThresholdRule
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.models import Goal, GoalExemption, Indicator, Plan

from .a11y import assert_accessible
from .builders import RS_TITLE, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\xa0"
NEW_GOAL = "Regionkansliet stödjer tandvårdsenheten så att fler barn och unga går på sina besök."
EXEMPT_REASON = "Munhälsan följs upp av tandvårdsenheten, inte av kansliet."
INDICATOR = "Minst 60 procent av de kallade barnen och ungdomarna kommer till besöket."


def tab_to(page, target, *, limit: int = 150, what: str = "") -> None:
    """Press Tab until ``target`` (a Locator for one element, found by its accessible name
    or label) has the focus, as a keyboard user would; fail after ``limit`` presses."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(
        f"{what or target} never got the focus in {limit} presses of Tab (at: {focused})"
    )


def press_and_load(page, key: str = "Enter") -> None:
    """Press ``key`` on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def replace_text(page, text: str) -> None:
    """Replace the focused field's text by typing."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def type_date(page, day: date) -> None:
    """Type ``day`` into the focused ``<input type=date>``: its segments come in the
    browser's own order (headless Chromium: month/day/year), so try that, then ISO."""
    field = page.locator(":focus")
    page.keyboard.type(day.strftime("%m%d%Y"))
    if field.input_value() != day.isoformat():
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")  # back to the first segment
        page.keyboard.type(day.strftime("%Y%m%d"))
    assert field.input_value() == day.isoformat()


def sign_in_by_keyboard(page, base: str) -> None:
    page.goto(base + "/konto/logga-in/")
    tab_to(page, page.get_by_label("Användarnamn"))
    page.keyboard.type("planerare")
    page.keyboard.press("Tab")
    page.keyboard.type("x-test-pass-1")
    press_and_load(page)
    assert "logga-in" not in page.url


@pytest.fixture
def board_draft_2024(demo_region):
    """Regionstyrelsen's 2024 plan, a draft copied from 2023 by the authoring action, and
    a planerare of regionstyrelsen (and so of the units beneath it)."""
    planner = user_with_role("planerare", "planerare", "regionstyrelsen")
    source = Plan.objects.get(title=RS_TITLE)
    return create_plan(source.unit, 2024, actor=planner, mode="copy", source=source)


def test_regionkansliet_plans_2024_by_keyboard_and_decides(live_server, page, board_draft_2024):
    base = live_server.url
    board = board_draft_2024
    kansliet = Unit.objects.get(slug="regionkansliet")
    above = {
        number: Goal.objects.get(plan=board, kind="effektmal", number=number)
        for number in ("3", "4")
    }
    sign_in_by_keyboard(page, base)

    # The unit page → Ny plan → year 2024 → "bryt ned" regionstyrelsen's 2024 plan.
    page.goto(base + kansliet.get_absolute_url())
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Ny plan"))
    press_and_load(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("spinbutton", name="År"))
    replace_text(page, "2024")
    press_and_load(page)  # Enter sends the first step (unit and year)
    assert page.get_by_role("heading", name="Hur planen för Regionkansliet 2024 börjar").count()
    assert_accessible(page)
    # The usual start is offered first: the unit has a plan for 2023, so a copy of it.
    copy = page.get_by_role("radio", name="Kopia av enhetens plan för ett tidigare år")
    expect(copy).to_be_checked()
    tab_to(page, copy)
    page.keyboard.press("ArrowDown")  # Bryt ned planen för enheten ovanför samma år
    expect(page.get_by_role("radio", name="Bryt ned planen för enheten ovanför")).to_be_checked()
    page.keyboard.press("Tab")
    chosen = page.get_by_label("Planen för enheten ovanför", exact=True)
    assert chosen.evaluate("element => element === document.activeElement")
    assert board.title in chosen.locator("option:checked").inner_text()
    tab_to(page, page.get_by_role("button", name="Skapa planen"))
    press_and_load(page)
    plan = Plan.objects.get(unit=kansliet, year=2024)
    assert (plan.status, plan.breaks_down) == (Plan.Status.UTKAST, board)
    assert page.url.endswith(f"/planer/{plan.pk}/nedbrytning/")
    assert_accessible(page)

    # Breakdown: Effektmål 4 into a new goal, Effektmål 3 "berör inte enheten".
    answer = page.locator(f"#mal-{above['4'].pk}")
    tab_to(page, answer.locator("summary", has_text="Bryt ned i ett nytt mål"))
    page.keyboard.press("Enter")  # opens the form
    tab_to(page, answer.get_by_label("Målets text"))
    replace_text(page, NEW_GOAL)
    tab_to(page, answer.get_by_role("button", name="Lägg till målet"))
    press_and_load(page)
    new_goal = Goal.objects.get(plan=plan, text=NEW_GOAL)
    assert list(new_goal.contributes_to.all()) == [above["4"]]
    assert_accessible(page)

    answer = page.locator(f"#mal-{above['3'].pk}")
    tab_to(page, answer.locator("summary", has_text="Berör inte enheten"))
    page.keyboard.press("Space")
    tab_to(page, answer.get_by_label("Varför berör målet inte enheten?"))
    page.keyboard.type(EXEMPT_REASON)
    tab_to(page, answer.get_by_role("button", name="Spara svaret"))
    press_and_load(page)
    exemption = GoalExemption.objects.get(plan=plan)
    assert (exemption.goal, exemption.reason) == (above["3"], EXEMPT_REASON)
    assert "Svaret ”berör inte enheten” är sparat." in page.get_by_role("status").inner_text()
    assert_accessible(page)

    # The editor: an indicator for the new goal, then its target rule.
    tab_to(page, page.get_by_role("link", name="Redigera utkastet"))
    press_and_load(page)
    assert page.url.endswith(f"/planer/{plan.pk}/redigera/")
    assert_accessible(page)
    tab_to(
        page, page.locator(f"#goal-{new_goal.pk}").get_by_role("link", name="Lägg till indikator")
    )
    press_and_load(page)
    assert_accessible(page)
    tab_to(page, page.get_by_label("Indikator"))
    page.keyboard.type(INDICATOR)
    tab_to(page, page.get_by_role("button", name="Lägg till", exact=True))
    press_and_load(page)
    indicator = Indicator.objects.get(goal=new_goal)
    assert indicator.text == INDICATOR
    assert_accessible(page)
    item = page.locator(f"#indicator-{indicator.pk}")
    tab_to(page, item.get_by_role("link", name="Målregel och målvärden"))
    press_and_load(page)
    assert_accessible(page)
    _rule_by_keyboard(page)
    tab_to(page, page.get_by_role("button", name="Spara", exact=True))
    press_and_load(page)
    target = IndicatorTarget.objects.select_related("definition").get(indicator=indicator)
    assert target.target_rule == ThresholdRule(minimum=Decimal("60"))
    assert (target.definition.name, target.definition.unit) == ("Andel som kommer", "procent")
    assert page.url.endswith(f"/planer/{plan.pk}/redigera/#indicator-{indicator.pk}")

    # Beredning, then the decision.
    tab_to(page, page.get_by_role("link", name="Beredningen: kommentarer och status"))
    press_and_load(page)
    assert_accessible(page)
    tab_to(page, page.get_by_label("Meddelande till dem som bereder planen"))
    page.keyboard.type("Synpunkter senast den 1 mars.")
    tab_to(page, page.get_by_role("button", name="Skicka på beredning"))
    press_and_load(page)
    plan.refresh_from_db()
    assert plan.review_requested_at is not None
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Registrera beslut"))
    press_and_load(page)
    assert_accessible(page)
    tab_to(page, page.get_by_label("Beslutat av"))
    page.keyboard.type("Regionstyrelsen")  # a closed list picks by the typed name
    tab_to(page, page.get_by_label("Beslutsdatum"))
    type_date(page, date(2024, 1, 30))
    tab_to(page, page.get_by_role("button", name="Registrera beslutet"))
    press_and_load(page)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.BESLUTAD
    assert (plan.decided_by.slug, plan.decided_on) == ("regionstyrelsen", date(2024, 1, 30))
    assert "Beslutet är registrerat" in page.get_by_role("status").inner_text()
    assert_accessible(page)


def _rule_by_keyboard(page) -> None:
    """On the indicator's target page: a new definition in procent, the rule "minst 60",
    and the live preview's sentence."""
    tab_to(page, page.get_by_role("radio", name="Välj en definition ur indikatorbiblioteket"))
    page.keyboard.press("ArrowDown")  # Beskriv en ny definition
    expect(page.get_by_role("radio", name="Beskriv en ny definition")).to_be_checked()
    tab_to(page, page.get_by_label("Namn", exact=True))
    page.keyboard.type("Andel som kommer")
    tab_to(page, page.get_by_label("Enhet", exact=True))
    page.keyboard.type("procent")
    expect(page.get_by_label("Enhet", exact=True)).to_have_value("procent")
    rule = page.get_by_role("radio", name="Gränsvärde (minst / högst)")
    expect(rule).to_be_checked()  # the rule the page starts with
    tab_to(page, page.get_by_label("Minst (gränsvärde)"))
    page.keyboard.type("60")
    expect(page.locator("#rule-preview")).to_have_text(f"Minst 60,0{NBSP}%")
    assert_accessible(page)


def test_a_year_changed_but_not_sent_stops_the_plan_being_made(live_server, page, board_draft_2024):
    """Step 2 of the create page is made for the unit and year of step 1: a year typed but
    not sent with "Byt enhet eller år" must not create a plan for the year shown before."""
    base = live_server.url
    kansliet = Unit.objects.get(slug="regionkansliet")
    sign_in_by_keyboard(page, base)
    page.goto(f"{base}/planer/ny/?enhet={kansliet.pk}&ar=2024")
    note = page.locator("#plan-step-stale")
    expect(note).to_be_hidden()
    tab_to(page, page.get_by_role("spinbutton", name="År"))
    replace_text(page, "2026")
    expect(note).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Skapa planen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Byt enhet eller år")).to_be_focused()
    assert not Plan.objects.filter(unit=kansliet, year__gt=2023).exists()
    press_and_load(page)  # sends step 1
    assert page.get_by_role("heading", name="Hur planen för Regionkansliet 2026 börjar").count()
    expect(note).to_be_hidden()
