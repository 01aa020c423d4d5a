"""The draft editor's cascade: a goal's "bidrar till" links to goals of the plans above and
the goals an aktivitet serves, both on the object's form; other apps' links beside an
indicator; and the editor's pages in Debian's Chromium (axe-core, no script needed)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.cascade import link_goal, set_activity_goals
from uppsikt.plans.actions.parts import add_part, update_part
from uppsikt.plans.models import Goal, Perspective, Plan
from uppsikt.plans.page import indicator_links

from .a11y import assert_accessible
from .editor_helpers import (
    add_url,
    decided_plan_above,
    edit_url,
    refused,
    remove_url,
    signed_in_planner,
    text_of,
)
from .html_forms import form_data
from .signin import sign_in

pytestmark = pytest.mark.django_db


# -- the cascade: "bidrar till" and the goals an aktivitet serves ----------------------------


@pytest.fixture
def goals_above(two_regions_with_roles):
    """Regionfullmäktige's decided 2024 plan with two goals, above styrelsen's draft."""
    _plan, goals = decided_plan_above(two_regions_with_roles, "God hälsa", "Stark ekonomi")
    return goals


def test_a_goal_is_linked_to_a_goal_above_and_unlinked(client, two_regions_with_roles, goals_above):
    world = two_regions_with_roles
    signed_in_planner(client, world)
    _first, second = goals_above
    goal = world.draft_goal
    url = edit_url(goal, "goal")
    page = client.get(url).content.decode()
    assert "Fullmäktiges plan 2024" in page and "Effektmål 1: God hälsa" in page
    assert "Effektmål nummer 1 år 2023" not in page  # the unit's own older plan is not above
    data = form_data(page, containing="koppla-target")
    data["koppla-target"] = str(second.pk)
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#bidrar-till")
    assert list(goal.contributes_to.all()) == [second]
    page = client.get(url).content.decode()
    assert "Ta bort kopplingen" in page
    unlink = form_data(page, containing="mal")
    assert client.post(url, unlink).status_code == 302
    assert not goal.contributes_to.exists()
    assert [
        e.action for e in AuditEvent.objects.filter(action__contains="link").order_by("sequence")
    ] == [
        "goal.link",
        "goal.unlink",
    ]


def test_a_link_that_would_close_a_loop_is_refused_with_the_reason(client, two_regions_with_roles):
    world = two_regions_with_roles
    signed_in_planner(client, world)
    root = world.user("rot")
    plan = create_plan(world.unit.parent, 2024, actor=root, title="Fullmäktiges plan 2024")
    above = add_part(plan, "goal", actor=root, kind="effektmal", text="God hälsa")
    link_goal(above, world.draft_goal, actor=root)  # wrongly, the goal above "bidrar till" ours
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.BESLUTAD)
    url = edit_url(world.draft_goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="koppla-target")
    data["koppla-target"] = str(above.pk)
    text = refused(client, url, data, "Mål ovanför", "Kopplingen skulle bilda en slinga")
    assert "Effektmål: God hälsa" in text
    assert not world.draft_goal.contributes_to.exists()


def test_a_goal_not_offered_cannot_be_linked(client, two_regions_with_roles, goals_above):
    world = two_regions_with_roles
    signed_in_planner(client, world)
    url = edit_url(world.draft_goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="koppla-target")
    data["koppla-target"] = str(world.goal.pk)  # the unit's own 2023 goal
    refused(client, url, data, "Mål ovanför", "Välj ett giltigt alternativ")
    assert not world.draft_goal.contributes_to.exists()


def test_the_goals_an_activity_serves_are_ticked_and_saved(
    client, two_regions_with_roles, goals_above
):
    world = two_regions_with_roles
    signed_in_planner(client, world)
    first, _second = goals_above
    url = edit_url(world.activity, "activity")
    page = client.get(url).content.decode()
    assert "Mål som aktiviteten bidrar till" in page
    data = form_data(page, containing="mal-sparade")
    data["mal-goals"] = [str(world.draft_goal.pk), str(first.pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(world.activity.contributes_to.all()) == {world.draft_goal, first}
    editor = text_of(client.get(reverse("plans:edit", args=[world.draft.pk])))
    assert "Bidrar till Effektmål 1; Effektmål 1 (Regionfullmäktige, 2024)" in editor
    # Someone else changes them after this page was opened: told, nothing overwritten.
    data = form_data(client.get(url).content.decode(), containing="mal-sparade")
    set_activity_goals(world.activity, [first], actor=world.user("rot"))
    data["mal-goals"] = [str(world.draft_goal.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "har ändrats av någon annan" in text_of(response)
    assert list(world.activity.contributes_to.all()) == [first]


# -- indicators: other apps' links -------------------------------------------------------------


def test_indicator_links_from_other_apps_are_shown(client, two_regions_with_roles):
    world = two_regions_with_roles
    signed_in_planner(client, world)
    indicator_links.register(
        "test", lambda indicator, user: [("Målregel och målvärden", f"/test/{indicator.pk}/")]
    )
    indicator = world.draft_goal.indicators.get()
    try:
        editor = client.get(reverse("plans:edit", args=[world.draft.pk])).content.decode()
        form = client.get(edit_url(indicator, "indicator")).content.decode()
    finally:
        indicator_links._entries.pop("test")
    assert f'href="/test/{indicator.pk}/"' in editor
    assert f'href="/test/{indicator.pk}/"' in form and "Målregel och målvärden" in form


# -- in Debian's Chromium: axe-core, and the editor worked by a person ----------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_editor_pages_pass_axe_and_work_without_script(
    live_server, page, two_regions_with_roles
):
    world = two_regions_with_roles
    root = world.user("rot")
    decided_plan_above(world, "God hälsa")
    sign_in(page, live_server.url, "planerare_inne")

    page.goto(live_server.url + world.draft.get_absolute_url())
    page.get_by_role("link", name="Redigera utkastet").click()
    assert_accessible(page)
    goal = world.draft_goal
    page.get_by_role("button", name=f"Flytta ned {goal.label}: {goal.text}").click()
    expect(page.get_by_role("status")).to_contain_text("har flyttats ned", use_inner_text=True)
    second = Goal.objects.get(plan=world.draft, number="2")
    assert second.position < Goal.objects.get(pk=goal.pk).position

    perspective = Perspective.objects.get(plan=world.draft)
    page.locator(f"#perspective-{perspective.pk} > details > summary").click()
    page.get_by_role("link", name="Lägg till mål i Invånare och samhälle").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till").click()  # nothing typed
    assert "Mål: Detta fält måste fyllas i." in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.locator("#id_text").fill("Fler invånare röker inte")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("status")).to_contain_text("har lagts till", use_inner_text=True)
    added = Goal.objects.get(text="Fler invånare röker inte")
    assert added.perspective_id == perspective.pk

    for path in (
        edit_url(added, "goal"),  # with the goals above to link to
        edit_url(world.activity, "activity"),  # with the goals to tick
        remove_url(perspective, "perspective"),
        reverse("plans:details", args=[world.draft.pk]),
        add_url(world.draft, "activity"),
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)

    page.goto(live_server.url + edit_url(world.activity, "activity"))
    update_part(world.activity, actor=root, text="Ändrad av någon annan")
    page.locator("#id_text").fill("Min text")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "har ändrats av någon annan", use_inner_text=True
    )
    assert "Ändrad av någon annan" in page.locator(".conflict").inner_text()
    assert_accessible(page)
