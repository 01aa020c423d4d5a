"""Answering the goals of the plan above (``plans:breakdown``) and an organisation's cascade
for a year (``plans.cascade``, ``plans:cascade``, ``plans:cascade_xlsx``)."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.actions.breakdown import break_down_goal, default_goal_kind
from uppsikt.plans.cascade import BROKEN_DOWN, EXEMPT, NO_PLAN, UNANSWERED, cascade
from uppsikt.plans.models import Goal, GoalExemption, Plan

from .a11y import assert_accessible
from .builders import user_with_role
from .html_forms import form_data
from .test_plan_creation import plan_above

pytestmark = pytest.mark.django_db


def breakdown_url(plan) -> str:
    return reverse("plans:breakdown", args=[plan.pk])


# -- the breakdown page -------------------------------------------------------------------------


@pytest.fixture
def draft_below(two_regions_with_roles):
    """Styrelsen's 2024 draft, beneath fullmäktige's decided 2024 plan of three goals."""
    world = two_regions_with_roles
    above = plan_above(world, 2024, goals=3)
    return world, above, list(Goal.objects.filter(plan=above).order_by("number"))


def test_a_goal_above_is_broken_down_in_a_new_goal_from_its_text(client, draft_below):
    world, _above, goals = draft_below
    client.force_login(world.user("planerare_inne"))
    html = client.get(breakdown_url(world.draft)).content.decode()
    assert "3 mål obesvarade" in html
    data = form_data(html, containing=f"mal-{goals[0].pk}-text")
    assert data[f"mal-{goals[0].pk}-text"] == goals[0].text  # the starting text
    assert data[f"mal-{goals[0].pk}-kind"] == "mal"  # styrelsen writes mål
    data[f"mal-{goals[0].pk}-text"] = "Styrelsens eget mål för effektmål 1"
    response = client.post(breakdown_url(world.draft), data)
    assert response.status_code == 302
    assert response["Location"] == f"{breakdown_url(world.draft)}#mal-{goals[0].pk}"
    new = Goal.objects.get(plan=world.draft, text="Styrelsens eget mål för effektmål 1")
    assert list(new.contributes_to.all()) == [goals[0]] and new.kind == "mal"
    assert [e.action for e in AuditEvent.objects.order_by("sequence")] == ["goal.add", "goal.link"]
    html = client.get(breakdown_url(world.draft)).content.decode()
    assert "1 mål besvarat med egna mål" in html and "2 mål obesvarade" in html
    assert new.get_absolute_url() in html


def test_a_new_goal_with_a_text_the_plan_has_is_refused_and_nothing_is_added(client, draft_below):
    world, _above, goals = draft_below
    client.force_login(world.user("planerare_inne"))
    html = client.get(breakdown_url(world.draft)).content.decode()
    data = form_data(html, containing=f"mal-{goals[1].pk}-text")
    data[f"mal-{goals[1].pk}-text"] = world.draft_goal.text.upper()
    before = Goal.objects.count()
    response = client.post(breakdown_url(world.draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Planen har redan ett mål med samma text." in page
    assert f'id="id_mal-{goals[1].pk}-text_error"' in page and "<details open>" in page
    assert Goal.objects.count() == before and not AuditEvent.objects.exists()


def test_an_existing_goal_is_linked_and_unlinked(client, draft_below):
    world, _above, goals = draft_below
    client.force_login(world.user("planerare_inne"))
    html = client.get(breakdown_url(world.draft)).content.decode()
    data = form_data(html, containing=f"mal-{goals[1].pk}-goal")
    data[f"mal-{goals[1].pk}-goal"] = str(world.draft_goal.pk)
    assert client.post(breakdown_url(world.draft), data).status_code == 302
    assert list(world.draft_goal.contributes_to.all()) == [goals[1]]
    html = client.get(breakdown_url(world.draft)).content.decode()
    unlink = form_data(html, containing="eget")
    assert unlink == {
        "csrfmiddlewaretoken": unlink["csrfmiddlewaretoken"],
        "action": "koppla-bort",
        "mal": str(goals[1].pk),
        "eget": str(world.draft_goal.pk),
    }
    assert client.post(breakdown_url(world.draft), unlink).status_code == 302
    assert not world.draft_goal.contributes_to.exists()


def test_berör_inte_needs_a_reason_and_can_be_taken_back(client, draft_below):
    world, _above, goals = draft_below
    client.force_login(world.user("planerare_inne"))
    url = breakdown_url(world.draft)
    field = f"mal-{goals[2].pk}-reason"
    refused = client.post(url, {"action": "beror-inte", "mal": goals[2].pk, field: "  "})
    assert refused.status_code == 200
    assert f'id="id_{field}_error"' in refused.content.decode()
    assert not GoalExemption.objects.exists()
    client.post(url, {"action": "beror-inte", "mal": goals[2].pk, field: "Gäller vården."})
    exemption = GoalExemption.objects.get()
    assert (exemption.plan, exemption.goal, exemption.reason) == (
        world.draft,
        goals[2],
        "Gäller vården.",
    )
    html = client.get(url).content.decode()
    assert "1 mål berör inte enheten" in html and "Motivering: Gäller vården." in html
    assert "Ta tillbaka" in html
    client.post(url, {"action": "ta-tillbaka", "mal": goals[2].pk})
    assert not GoalExemption.objects.exists()
    assert [e.action for e in AuditEvent.objects.order_by("sequence")] == [
        "goal.exempt",
        "goal.unexempt",
    ]


def test_only_goals_of_the_plan_above_are_answered_here(client, draft_below):
    world, _above, _goals = draft_below
    client.force_login(world.user("planerare_inne"))
    response = client.post(
        breakdown_url(world.draft),
        {"action": "beror-inte", "mal": world.goal.pk, f"mal-{world.goal.pk}-reason": "x"},
    )
    assert response.status_code == 404 and not GoalExemption.objects.exists()


def test_read_only_for_a_decided_plan_and_for_readers(client, draft_below):
    world, _above, goals = draft_below
    plan_above(world, 2023)
    client.force_login(world.user("planerare_inne"))
    html = client.get(breakdown_url(world.decided)).content.decode()
    assert "Fullmäktiges effektmål 1 för 2023" in html
    assert "Planen är beslutad; svaren visas men ändras inte här." in html
    assert 'name="action"' not in html
    above_2023 = Goal.objects.get(plan__year=2023, plan__unit=world.unit.parent, number="1")
    response = client.post(
        breakdown_url(world.decided),
        {"action": "beror-inte", "mal": above_2023.pk, f"mal-{above_2023.pk}-reason": "Nej"},
    )
    assert response.status_code == 302 and not GoalExemption.objects.exists()
    client.force_login(world.user("lasare_inne"))
    html = client.get(breakdown_url(world.draft)).content.decode()
    assert "Du kan läsa svaren men inte ändra dem." in html and 'name="action"' not in html
    reason = f"mal-{goals[0].pk}-reason"
    response = client.post(
        breakdown_url(world.draft), {"action": "beror-inte", "mal": goals[0].pk, reason: "Nej"}
    )
    assert response.status_code == 403 and not GoalExemption.objects.exists()


def test_without_a_plan_above_the_page_says_so(client, two_regions_with_roles):
    world = two_regions_with_roles
    client.force_login(world.user("planerare_inne"))
    html = client.get(breakdown_url(world.draft)).content.decode()
    assert "Regionfullmäktige har ingen plan för 2024 ännu." in html


def test_the_kind_of_a_new_goal_follows_the_unit(two_regions_with_roles):
    world = two_regions_with_roles
    assert default_goal_kind(world.unit.parent) == "effektmal"
    assert default_goal_kind(world.unit) == "mal"
    assert default_goal_kind(Unit(kind="namnd")) == "namndmal"


def test_break_down_goal_refuses_a_goal_of_another_plan(two_regions_with_roles):
    from django.core.exceptions import ValidationError

    world = two_regions_with_roles
    with pytest.raises(ValidationError, match="planen för enheten ovanför"):
        break_down_goal(
            world.draft, world.goal, actor=world.user("planerare_inne"), text="Nytt mål"
        )
    assert not AuditEvent.objects.exists()


# -- the organisation's cascade ---------------------------------------------------------------


def small_region(stabs: int = 2) -> dict:
    """Region Kaskad: fullmäktige > styrelsen > kansliet > stabs, with 2024 plans:
    fullmäktige (F1, F2), styrelsen (S1 → F1, S2 unlinked; F2 berör inte), kansliet
    (K1 → S1; a draft), the first stab with a plan that answered nothing, the others none."""
    org = Organisation.objects.create(code="0097", name="Region Kaskad", kind="region")
    fm = Unit.objects.create(organisation=org, slug="fm", name="Fullmäktige", kind="fullmaktige")
    rs = Unit.objects.create(
        organisation=org, slug="rs", name="Styrelsen", kind="styrelse", parent=fm, position=1
    )
    rk = Unit.objects.create(
        organisation=org, slug="rk", name="Kansliet", kind="kansli", parent=rs, position=2
    )
    stab_units = [
        Unit.objects.create(
            organisation=org,
            slug=f"stab{i}",
            name=f"Stab {i}",
            kind="stab",
            parent=rk,
            position=3 + i,
        )
        for i in range(1, stabs + 1)
    ]
    decided = {"status": "beslutad", "decided_on": datetime.date(2023, 11, 1)}
    plans = {
        "fm": Plan.objects.create(unit=fm, year=2024, title="FM 2024", decided_by=fm, **decided),
        "rs": Plan.objects.create(unit=rs, year=2024, title="RS 2024", decided_by=rs, **decided),
        "rk": Plan.objects.create(unit=rk, year=2024, title="RK 2024"),
        "stab": Plan.objects.create(unit=stab_units[0], year=2024, title="Stab 2024"),
    }
    g = {}
    for key, plan, texts in (
        ("F", plans["fm"], ["Alla mår bra", '=HYPERLINK("x")']),
        ("S", plans["rs"], ["Styrelsen bidrar", "Styrelsens eget"]),
        ("K", plans["rk"], ["Kansliet bidrar"]),
        ("B", plans["stab"], ["Stabens mål"]),
    ):
        for index, text in enumerate(texts, 1):
            g[f"{key}{index}"] = Goal.objects.create(plan=plan, text=text, position=index)
    g["S1"].contributes_to.add(g["F1"])
    g["K1"].contributes_to.add(g["S1"])
    GoalExemption.objects.create(plan=plans["rs"], goal=g["F2"], reason="=2+2 gäller inte oss")
    return {"org": org, "units": [fm, rs, rk, *stab_units], "plans": plans, "goals": g}


def answers(tree, goal):
    node = next(gn for un in tree.units for gn in un.goals if gn.goal.pk == goal.pk)
    return [(a.unit.slug, a.status, [x.text for x in a.goals], a.reason) for a in node.answers]


def test_the_cascade_says_how_each_unit_below_answered_each_goal():
    region = small_region()
    g = region["goals"]
    tree = cascade(region["org"], 2024, user_with_role("allman_kaskad", None))  # the public
    assert [(n.unit.slug, n.depth) for n in tree.units] == [
        ("fm", 0),
        ("rs", 1),
        ("rk", 2),
        ("stab1", 3),
        ("stab2", 3),
    ]
    # The public does not see the drafts: kansliet and the stab seem to have no plan yet.
    assert [n.plan is not None for n in tree.units] == [True, True, False, False, False]
    assert answers(tree, g["S1"]) == [("rk", NO_PLAN, [], "")]
    admin = user_with_role("kaskad_admin", "administrator", region["units"][0])
    tree = cascade(region["org"], 2024, admin)
    assert answers(tree, g["F1"]) == [("rs", BROKEN_DOWN, ["Styrelsen bidrar"], "")]
    assert answers(tree, g["F2"]) == [("rs", EXEMPT, [], "=2+2 gäller inte oss")]
    assert answers(tree, g["S1"]) == [("rk", BROKEN_DOWN, ["Kansliet bidrar"], "")]
    assert answers(tree, g["S2"]) == [("rk", UNANSWERED, [], "")]
    assert answers(tree, g["K1"]) == [("stab1", UNANSWERED, [], ""), ("stab2", NO_PLAN, [], "")]
    assert [(node.unit.slug, goal.goal.text) for node, goal in tree.unlinked] == [
        ("rs", "Styrelsens eget"),
        ("stab1", "Stabens mål"),
    ]
    assert tree.counts() == {BROKEN_DOWN: 2, EXEMPT: 1, UNANSWERED: 2, NO_PLAN: 1}


def test_a_goal_linked_from_further_down_counts_for_that_unit():
    region = small_region()
    g = region["goals"]
    g["B1"].contributes_to.add(g["S2"])  # a stab links straight to styrelsen's goal
    admin = user_with_role("kaskad_admin", "administrator", region["units"][0])
    tree = cascade(region["org"], 2024, admin)
    assert answers(tree, g["S2"]) == [
        ("rk", UNANSWERED, [], ""),
        ("stab1", BROKEN_DOWN, ["Stabens mål"], ""),
    ]
    assert ("stab1", "Stabens mål") not in [(n.unit.slug, gn.goal.text) for n, gn in tree.unlinked]


def test_the_cascade_reads_in_a_fixed_number_of_queries():
    small = small_region(stabs=1)
    admin = user_with_role("kaskad_admin", "administrator", small["units"][0])
    cascade(small["org"], 2024, admin)  # the user's rights are read once, then cached
    with CaptureQueriesContext(connection) as few:
        cascade(small["org"], 2024, admin)
    rk = small["units"][2]
    for index in range(5, 25):
        unit = Unit.objects.create(
            organisation=small["org"],
            slug=f"extra{index}",
            name=f"Extra {index}",
            kind="stab",
            parent=rk,
            position=index,
        )
        plan = Plan.objects.create(unit=unit, year=2024, title=f"Extra {index}")
        goal = Goal.objects.create(plan=plan, text=f"Extra mål {index}")
        goal.contributes_to.add(small["goals"]["K1"])
        GoalExemption.objects.create(plan=plan, goal=small["goals"]["K1"], reason="x")
    with CaptureQueriesContext(connection) as many:
        tree = cascade(small["org"], 2024, admin)
        rendered = [a.unit.name for n in tree.units for gn in n.goals for a in gn.answers]
        rendered += [
            g.plan.unit.name for n in tree.units for gn in n.goals for g in gn.contributes_to
        ]
    assert len(rendered) > 20
    assert len(many) == len(few) <= 6, [q["sql"] for q in many.captured_queries]


def test_the_cascade_page_and_its_workbook(client):
    region = small_region()
    admin = user_with_role("kaskad_admin", "administrator", region["units"][0])
    client.force_login(admin)
    url = reverse("plans:cascade", args=["0097", 2024])
    html = client.get(url).content.decode()
    assert "<caption" in html and '<th scope="row">' in html and '<th scope="col">' in html
    assert "=2+2 gäller inte oss" in html and "Ingen koppling uppåt" in html
    assert "(ingen plan ännu)" in html
    assert reverse("plans:cascade_xlsx", args=["0097", 2024]) in html
    response = client.get(reverse("plans:cascade_xlsx", args=["0097", 2024]))
    assert response["Content-Disposition"] == 'attachment; filename="malkaskad-0097-2024.xlsx"'
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=5)]
    assert (
        "Fullmäktige",
        1,
        "FM 2024 (beslutad)",
        "Mål: Alla mår bra",
        "Styrelsen",
        "Nedbrutet",
        "Mål: Styrelsen bidrar",
    ) in rows
    assert (
        "Styrelsen",
        2,
        "RS 2024 (beslutad)",
        "Mål: Styrelsens eget",
        "Kansliet",
        "Inte besvarat",
        None,
    ) in rows
    assert (
        "Kansliet",
        3,
        "RK 2024 (utkast)",
        "Mål: Kansliet bidrar",
        "Stab 2",
        "Ingen plan ännu",
        None,
    ) in rows
    formula = next(row for row in rows if row[3] and "HYPERLINK" in row[3])
    assert formula[5:] == ("Berör inte enheten", "=2+2 gäller inte oss")
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=2+2 gäller inte oss")
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    unlinked = [tuple(c.value for c in row) for row in book.worksheets[1].iter_rows(min_row=5)]
    assert unlinked == [
        ("Styrelsen", "RS 2024 (beslutad)", "Mål: Styrelsens eget"),
        ("Stab 1", "Stab 2024 (utkast)", "Mål: Stabens mål"),
    ]


def test_the_organisation_page_links_the_cascade_of_each_year(client, two_regions_with_roles):
    html = client.get(two_regions_with_roles.org.get_absolute_url()).content.decode()
    assert reverse("plans:cascade", args=["0099", 2023]) in html
    assert reverse("plans:cascade", args=["0099", 2024]) not in html  # a draft: not public


# -- accessibility --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_breakdown_and_cascade_pages_pass_axe(live_server, page):
    from .test_browser import login
    from .world import build_world

    world = build_world()
    plan_above(world, 2024, goals=3)
    region = small_region()
    login(page, live_server, username="planerare_ny")  # a planner on every root unit
    page.goto(live_server.url + breakdown_url(world.draft))
    assert_accessible(page)
    page.locator("summary", has_text="Berör inte enheten").first.click()  # opens the answer
    page.get_by_role("button", name="Spara svaret").first.click()  # no reason given
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("plans:cascade", args=[region["org"].code, 2024]))
    assert page.get_by_role("table").count() >= 4
    assert_accessible(page)
