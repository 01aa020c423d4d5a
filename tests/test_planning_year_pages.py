"""What a planner meets walking through the planning year (issue 13's "Done when"): the
pages link to each other, a plan's contents name what it holds, the forms tie their help
and errors to their fields, the create page starts from sensible defaults, and the plan's
history reads in Swedish."""

import datetime
import re
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from uppsikt.indicators.authoring import set_indicator_target
from uppsikt.indicators.rules import ThresholdRule
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions.authoring import create_plan, default_title
from uppsikt.plans.actions.breakdown import break_down_goal
from uppsikt.plans.actions.parts import add_part
from uppsikt.plans.models import Goal, Plan

from .builders import RS_TITLE, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2024(demo_region):
    """Regionstyrelsen's 2024 draft copied from 2023, and Regionkansliet's 2024 draft that
    breaks it down, one goal answered with a goal of its own."""
    planner = user_with_role("planerare", "planerare", "regionstyrelsen")
    board_2023 = Plan.objects.get(title=RS_TITLE)
    board = create_plan(board_2023.unit, 2024, actor=planner, mode="copy", source=board_2023)
    kansliet_unit = Unit.objects.get(slug="regionkansliet")
    kansliet = create_plan(kansliet_unit, 2024, actor=planner, mode="breakdown", source=board)
    above = Goal.objects.get(plan=board, kind="effektmal", number="4")
    goal = break_down_goal(kansliet, above, actor=planner, text="Fler barn går till tandvården.")
    return SimpleNamespace(
        planner=planner, board_2023=board_2023, board=board, kansliet=kansliet, goal=goal
    )


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def hrefs(html: str) -> set[str]:
    return {unescape(href) for href in re.findall(r'href="([^"]*)"', html)}


def test_the_planning_pages_link_to_each_other(client, year_2024):
    plan = year_2024.kansliet
    client.force_login(year_2024.planner)
    breakdown = html_of(client.get(reverse("plans:breakdown", args=[plan.pk])))
    editor_url = reverse("plans:edit", args=[plan.pk])
    assert editor_url in hrefs(breakdown)
    assert reverse("plans:cascade", args=["0018", 2024]) in hrefs(breakdown)
    # Each answer's button names the goal it answers, for a screen reader's list of them.
    assert 'Bryt ned i ett nytt mål<span class="visually-hidden">: Effektmål 4 ' in breakdown

    editor = html_of(client.get(editor_url))
    assert reverse("plans:breakdown", args=[plan.pk]) in hrefs(editor)
    assert reverse("plans:review", args=[plan.pk]) in hrefs(editor)
    assert f"till Mål: {year_2024.goal.text}" in editor  # which goal "Lägg till indikator" is for


def test_a_decided_plan_leads_to_next_years_plan_or_offers_to_make_it(client, year_2024):
    client.force_login(year_2024.planner)
    board_2023 = html_of(client.get(year_2024.board_2023.get_absolute_url()))
    assert year_2024.board.get_absolute_url() in hrefs(board_2023)
    assert "Planen för 2024" in board_2023

    ekonomi = Plan.objects.get(unit__slug="staben-ekonomi", year=2023)
    page = html_of(client.get(ekonomi.get_absolute_url()))
    offer = f"{reverse('plans:create')}?enhet={ekonomi.unit_id}&ar=2024&satt=copy"
    assert offer in hrefs(page)
    form = html_of(client.get(offer))
    assert re.search(r'value="copy" checked', form)
    copy_select = re.search(r'<select name="kopia".*?</select>', form, re.S)
    assert copy_select and f'<option value="{ekonomi.pk}" selected>' in copy_select.group(0)

    client.logout()  # a reader is offered nothing to make
    assert offer not in hrefs(html_of(client.get(ekonomi.get_absolute_url())))


def test_the_contents_name_goals_and_activities_outside_any_section(client, year_2024):
    plan = year_2024.kansliet
    activity = add_part(
        plan,
        "activity",
        actor=year_2024.planner,
        text="Kvartalsvis genomgång av uteblivna besök",
        responsible=plan.unit,
        starts_on=datetime.date(2024, 2, 1),
        ends_on=datetime.date(2024, 11, 30),
    )
    client.force_login(year_2024.planner)
    page = html_of(client.get(plan.get_absolute_url()))
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert "Prioriterat område" not in contents
    goal = year_2024.goal
    assert f'<a href="#goal-{goal.pk}">Mål: {goal.text}</a>' in contents
    assert f'<a href="#activity-{activity.pk}">Aktivitet: {activity.text}</a>' in contents
    assert f'id="goal-{goal.pk}"' in page and f'id="activity-{activity.pk}"' in page
    assert "(Regionkansliet)" in page and "1 februari 2024 – 30 november 2024" in page


def assert_described_by_what_is_there(html: str) -> None:
    """Every id a field's aria-describedby names is on the page (help text, errors)."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = {
        name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()
    }
    assert named, "no field is described"
    assert named <= ids, f"described by ids not on the page: {sorted(named - ids)}"


def test_help_and_errors_are_tied_to_their_fields(client, year_2024):
    plan = year_2024.kansliet
    client.force_login(year_2024.planner)
    create = reverse("plans:create")
    assert_described_by_what_is_there(html_of(client.get(f"{create}?enhet={plan.unit_id}")))
    refused = client.post(create, {"enhet": plan.unit_id, "ar": "2024", "satt": "breakdown"})
    assert 'id="id_ovan_error"' in html_of(refused)  # neither year nor plan to break down
    assert_described_by_what_is_there(refused.content.decode())
    decide = html_of(client.post(reverse("plans:decide", args=[plan.pk]), {"decided_by": ""}))
    assert 'id="id_decided_on_helptext"' in decide and 'id="id_decided_by_error"' in decide
    assert_described_by_what_is_there(decide)
    assert "– välj organet –" in decide
    above = Goal.objects.get(plan=year_2024.board, kind="effektmal", number="3")
    field = f"mal-{above.pk}-reason"
    answer = {"action": "beror-inte", "mal": above.pk, field: " "}
    refused = client.post(reverse("plans:breakdown", args=[plan.pk]), answer)
    assert f'id="id_{field}_error"' in html_of(refused)
    assert_described_by_what_is_there(refused.content.decode())


def test_the_year_offered_follows_the_units_newest_plan(client, year_2024):
    client.force_login(year_2024.planner)
    create = reverse("plans:create")
    for slug, year in (
        ("regionkansliet", 2025),  # its 2024 draft is there
        ("staben-ekonomi", 2024),
        ("halsovalsenheten", timezone.localdate().year + 1),  # no plan yet
    ):
        unit = Unit.objects.get(slug=slug)
        page = html_of(client.get(f"{create}?enhet={unit.pk}"))
        assert f'name="ar" value="{year}"' in page, slug
    chosen = html_of(client.get(f"{create}?enhet={year_2024.kansliet.unit_id}&ar=2031"))
    assert 'name="ar" value="2031"' in chosen


def test_a_stab_plan_is_an_aktivitetsplan_by_default(year_2024):
    stab = Unit.objects.get(slug="staben-ekonomi")
    assert default_title(stab, 2024, None, "breakdown") == "Aktivitetsplan 2024 – Staben ekonomi"
    kansliet = year_2024.kansliet.unit
    assert default_title(kansliet, 2024, None, "empty") == "Verksamhetsplan 2024 – Regionkansliet"
    plan = create_plan(
        stab, 2024, actor=year_2024.planner, mode="breakdown", source=year_2024.kansliet
    )
    assert plan.title == "Aktivitetsplan 2024 – Staben ekonomi"


def test_the_target_page_cancels_back_to_the_editor(client, year_2024):
    indicator = add_part(
        year_2024.kansliet,
        "indicator",
        actor=year_2024.planner,
        goal=year_2024.goal,
        text="Minst 60 procent kommer.",
    )
    client.force_login(year_2024.planner)
    page = html_of(client.get(reverse("indicators:indicator_target", args=[indicator.pk])))
    editor = reverse("plans:edit", args=[year_2024.kansliet.pk]) + f"#indicator-{indicator.pk}"
    assert f'<a href="{editor}">Avbryt</a>' in page
    assert "Fyll i målregeln, så visas den här i klartext." in page


def test_the_history_of_a_new_plan_reads_in_swedish(client, year_2024):
    indicator = add_part(
        year_2024.kansliet,
        "indicator",
        actor=year_2024.planner,
        goal=year_2024.goal,
        text="Minst 60 procent kommer.",
    )
    set_indicator_target(
        indicator,
        actor=year_2024.planner,
        rule=ThresholdRule(minimum=Decimal("60")),
        new_definition={"name": "Andel som kommer", "unit": "procent"},
    )
    client.force_login(year_2024.planner)
    page = html_of(client.get(reverse("plans:history", args=[year_2024.kansliet.pk])))
    for words in (
        "Målregel",
        "Minst 60,0",
        "Ny definition",
        "Andel som kommer (procent)",
        "Hur planen börjar",
        "Bryt ned planen för enheten ovanför samma år",
        "Utgår från planen",
        f"{year_2024.board.title} (2024)",
    ):
        assert words in page, words
    for raw in ("{&#x27;", "{'", ">Rule<", ">Mode<", ">New definition<", "threshold"):
        assert raw not in page, raw


def test_a_new_aktivitet_is_the_units_own_until_changed(client, year_2024):
    plan = year_2024.kansliet
    client.force_login(year_2024.planner)
    page = html_of(client.get(reverse("plans:part_add", args=[plan.pk, "activity"])))
    assert f'<option value="{plan.unit_id}" selected>' in page
    page = html_of(client.get(reverse("plans:part_add", args=[plan.pk, "assignment"])))
    assert f'<option value="{plan.unit_id}" selected>' not in page  # given to another unit


def test_the_decision_page_says_how_the_beredning_went_and_when_the_plan_above_is_a_draft(
    client, year_2024
):
    from uppsikt.plans.actions.authoring import add_comment, send_for_review

    plan = year_2024.kansliet
    client.force_login(year_2024.planner)
    url = reverse("plans:decide", args=[plan.pk])
    page = html_of(client.get(url))
    assert "Planen har inte skickats på beredning." in page
    assert year_2024.board.status == Plan.Status.UTKAST
    assert "är ännu inte beslutad" in page and year_2024.board.get_absolute_url() in hrefs(page)
    assert re.search(rf'<option value="{plan.unit_id}" selected>', page)  # its own unit
    send_for_review(plan, actor=year_2024.planner)
    add_comment(plan, actor=year_2024.planner, body="Klar?")
    assert "har 1 kommentar." in html_of(client.get(url))
