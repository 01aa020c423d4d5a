"""A goal edited by anna_and_bo_on_goal people at once: a change to words or an indicator saved since the page
was opened is refused with both versions shown; a change to another part goes through and
keeps the first person's."""

import pytest
from django.urls import reverse

from uppsikt.lib.concurrency import EditConflict
from uppsikt.plans.actions.content import IndicatorChange, update_goal, update_section
from uppsikt.plans.models import Goal, Indicator, Section

from .builders import load_minimal, two_planner_clients, user_with_role
from .html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal():
    load_minimal(goal_count=1, status="utkast")
    return Goal.objects.get()


@pytest.fixture
def anna_and_bo_on_goal(goal):
    """Anna and Bo with the page open, each in their own session."""
    return two_planner_clients()


def _open(client, goal):
    page = client.get(reverse("plans:goal_edit", args=[goal.pk])).content.decode()
    return form_data(page, containing="text")


def test_the_second_change_to_the_goals_words_is_refused_with_both_shown(goal, anna_and_bo_on_goal):
    first, second = anna_and_bo_on_goal
    url = reverse("plans:goal_edit", args=[goal.pk])
    annas, bos = _open(first, goal), _open(second, goal)
    annas["description"] = "Annas beskrivning."
    assert first.post(url, annas).status_code == 302
    bos["description"] = "Bos beskrivning."
    response = second.post(url, bos)
    page = response.content.decode()
    assert response.status_code == 200
    assert "har ändrats av någon annan sedan du öppnade den" in page
    assert "Effektmål 1" in page
    assert "Annas beskrivning." in page and "Sparat av Anna Ek" in page
    assert "Bos beskrivning.</textarea>" in page
    assert Goal.objects.get().description == "Annas beskrivning."
    again = form_data(page, containing="text")
    again["description"] = "Annas och Bos beskrivning."
    assert second.post(url, again).status_code == 302
    assert Goal.objects.get().description == "Annas och Bos beskrivning."


def test_the_second_change_to_the_same_indicator_is_refused(goal, anna_and_bo_on_goal):
    first, second = anna_and_bo_on_goal
    url = reverse("plans:goal_edit", args=[goal.pk])
    annas, bos = _open(first, goal), _open(second, goal)
    annas["indikatorer-0-text"] = "Indikator 1a enligt Anna"
    assert first.post(url, annas).status_code == 302
    bos["indikatorer-0-text"] = "Indikator 1a enligt Bo"
    page = second.post(url, bos).content.decode()
    assert "”Indikator 1a enligt Anna” har ändrats av någon annan" in page
    assert "Indikator 1a enligt Bo</textarea>" in page
    assert list(goal.indicators.values_list("text", flat=True)) == [
        "Indikator 1a enligt Anna",
        "Indikator 1b",
    ]


def test_changes_to_different_parts_of_the_goal_both_stay(goal, anna_and_bo_on_goal):
    first, second = anna_and_bo_on_goal
    url = reverse("plans:goal_edit", args=[goal.pk])
    annas, bos = _open(first, goal), _open(second, goal)
    annas["indikatorer-0-text"] = "Indikator 1a enligt Anna"
    annas["indikatorer-2-text"] = "Annas nya indikator"
    assert first.post(url, annas).status_code == 302
    bos["text"] = "Effektmål nummer 1, enligt Bo"
    bos["indikatorer-1-text"] = "Indikator 1b enligt Bo"
    response = second.post(url, bos)
    assert response.status_code == 302, response.content.decode()
    goal = Goal.objects.get()
    assert goal.text == "Effektmål nummer 1, enligt Bo"
    assert list(goal.indicators.values_list("text", flat=True)) == [
        "Indikator 1a enligt Anna",
        "Indikator 1b enligt Bo",
        "Annas nya indikator",
    ]


def test_the_actions_refuse_stale_versions(goal):
    planner = user_with_role("anna", "planerare")
    indicator = goal.indicators.first()
    seen = goal.row_version
    update_goal(goal, actor=planner, indicators=[IndicatorChange(indicator, "Ny 1a")])
    assert Goal.objects.get().row_version == seen + 1  # the goal as a whole moved
    assert Indicator.objects.get(pk=indicator.pk).row_version == 2
    with pytest.raises(EditConflict) as refused:
        update_goal(goal, actor=planner, text="Gammal läsning", expected_version=seen)
    assert refused.value.code == "conflict"
    with pytest.raises(EditConflict):
        update_goal(
            goal,
            actor=planner,
            indicators=[IndicatorChange(indicator, "Gammal 1a", expected_version=1)],
        )
    assert Indicator.objects.get(pk=indicator.pk).text == "Ny 1a"
    update_goal(goal, actor=planner, text="Aktuell läsning", expected_version=seen + 1)
    assert Goal.objects.get().text == "Aktuell läsning"


def test_a_plan_text_refuses_a_stale_version(goal):
    planner = user_with_role("anna", "planerare")
    section = Section.objects.create(plan=goal.plan, heading="Inledning", body="Först.")
    update_section(section, actor=planner, body="Sedan.", expected_version=1)
    with pytest.raises(EditConflict):
        update_section(section, actor=planner, body="Gammalt.", expected_version=1)
    assert Section.objects.get(pk=section.pk).body == "Sedan."
