"""The draft editor's changes to what is there (``plans:part_edit``, ``part_remove``,
``part_move``, ``plans:details``): only what was changed is saved, a stale save is shown as a
conflict with nothing overwritten, removal is confirmed with what it affects, and moves keep
siblings in order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions.parts import add_part, update_part
from uppsikt.plans.models import (
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Section,
)

from .editor_helpers import (
    edit_url,
    events,
    remove_url,
    text_of,
)
from .html_forms import form_data

pytestmark = pytest.mark.django_db


# -- editing, and two people saving the same object ------------------------------------------


def test_an_edit_saves_only_what_was_changed(client, editor_world, editor_planner):
    strategy = add_part(
        editor_world.draft, "strategy", actor=editor_planner, name="Gammal", statements=["a"]
    )
    url = edit_url(strategy, "strategy")
    page = client.get(url).content.decode()
    assert "En punkt per rad." in page
    data = form_data(page, containing="row_version")
    assert data["statements"] == "a"
    data["statements"] = "första\r\nandra"
    response = client.post(url, data)
    assert response["Location"].endswith(f"#strategy-{strategy.pk}")
    strategy.refresh_from_db()
    assert strategy.statements == ["första", "andra"] and strategy.name == "Gammal"
    assert strategy.row_version == 2
    assert AuditEvent.objects.filter(action="strategy.update").count() == 1


@pytest.mark.parametrize(
    ("kind", "field", "theirs", "mine"),
    [
        ("goal", "description", "Annas beskrivning.", "Bos beskrivning."),
        ("activity", "text", "Annas aktivitet", "Bos aktivitet"),
        ("perspective", "name", "Annas perspektiv", "Bos perspektiv"),
    ],
)
def test_a_stale_save_shows_the_conflict_and_keeps_what_is_stored(
    client, editor_world, editor_planner, kind, field, theirs, mine
):
    obj = {
        "goal": editor_world.draft_goal,
        "activity": editor_world.activity,
        "perspective": Perspective.objects.get(plan=editor_world.draft),
    }[kind]
    url = edit_url(obj, kind)
    mine_data = form_data(client.get(url).content.decode(), containing="row_version")
    anna = editor_world.user("rot")
    anna.first_name, anna.last_name = "Anna", "Ek"
    anna.save()
    obj.refresh_from_db()
    update_part(obj, actor=anna, expected_version=obj.row_version, **{field: theirs})
    mine_data[field] = mine
    before = events()
    response = client.post(url, mine_data)
    assert response.status_code == 200
    text = text_of(response)
    assert "har ändrats av någon annan sedan du öppnade den" in text
    assert "Sparat av Anna Ek" in text and theirs in text
    assert f"{mine}</textarea>" in response.content.decode() or f'value="{mine}"' in (
        response.content.decode()
    )
    obj.refresh_from_db()
    assert theirs in getattr(obj, field) and mine not in getattr(obj, field)
    assert events() == before
    # Saving again after seeing theirs goes through.
    again = form_data(response.content.decode(), containing="row_version")
    assert client.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert mine in getattr(obj, field)


def test_a_save_goes_through_when_nothing_the_form_shows_was_changed_meanwhile(
    client, editor_world, editor_planner
):
    goal = editor_world.draft_goal
    url = edit_url(goal, "goal")
    mine = form_data(client.get(url).content.decode(), containing="row_version")
    add_part(
        editor_world.draft,
        "indicator",
        actor=editor_world.user("rot"),
        goal=goal,
        text="Annas indikator",
    )
    goal.refresh_from_db()
    assert goal.row_version == int(mine["row_version"]) + 1  # the indicator list moved it on
    mine["description"] = "Bos beskrivning."
    assert client.post(url, mine).status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Bos beskrivning."
    assert goal.indicators.filter(text="Annas indikator").exists()


def test_the_plan_details_are_saved_with_a_conflict_check(client, editor_world, editor_planner):
    url = reverse("plans:details", args=[editor_world.draft.pk])
    mine = form_data(client.get(url).content.decode(), containing="title")
    from uppsikt.plans.actions.authoring import update_plan

    update_plan(editor_world.draft, actor=editor_world.user("rot"), title="Annas titel")
    mine["title"] = "Bos titel"
    response = client.post(url, mine)
    assert "har ändrats av någon annan" in text_of(response) and "Annas titel" in text_of(response)
    editor_world.draft.refresh_from_db()
    assert editor_world.draft.title == "Annas titel"
    again = form_data(response.content.decode(), containing="title")
    again["horizon_end"] = "2026"
    assert client.post(url, again).status_code == 302
    editor_world.draft.refresh_from_db()
    assert (editor_world.draft.title, editor_world.draft.horizon_end) == ("Bos titel", 2026)


# -- removing -----------------------------------------------------------------------------


def test_removal_lists_what_it_affects_and_removes_when_confirmed(
    client, editor_world, editor_planner
):
    perspective = Perspective.objects.get(plan=editor_world.draft)
    url = remove_url(perspective, "perspective")
    page = client.get(url)
    text = text_of(page)
    assert "Ta bort perspektiv Invånare och samhälle" in text
    assert "Det här påverkas" in text
    assert "Tas bort med det: 2 mål." in text
    assert "Tas bort med det: 2 indikatorer." in text
    assert Perspective.objects.filter(pk=perspective.pk).exists()  # a GET changes nothing
    data = form_data(page.content.decode(), containing="paverkan")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[editor_world.draft.pk])
    assert not Perspective.objects.filter(pk=perspective.pk).exists()
    assert not Goal.objects.filter(plan=editor_world.draft).exists()
    event = AuditEvent.objects.get(action="perspective.remove")
    assert "Tas bort med det: 2 mål." in event.after["impact"]


def test_removal_of_something_that_affects_nothing_still_asks_once(
    client, editor_world, editor_planner
):
    assignment = add_part(editor_world.draft, "assignment", actor=editor_planner, text="Utred")
    url = remove_url(assignment, "assignment")
    page = client.get(url)
    assert "Ingenting annat påverkas" in text_of(page)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    response = client.post(url, form_data(page.content.decode(), containing="paverkan"))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_removal_is_not_done_when_what_it_affects_changed_since_the_page(
    client, editor_world, editor_planner
):
    goal = editor_world.draft_goal
    url = remove_url(goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="paverkan")
    add_part(
        editor_world.draft,
        "indicator",
        actor=editor_world.user("rot"),
        goal=goal,
        text="Ny indikator",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    text = text_of(response)
    assert "Ingenting har tagits bort" in text
    assert "har ändrats av någon annan" in text
    assert "Tas bort med det: 2 indikatorer." in text  # what it affects now
    assert Goal.objects.filter(pk=goal.pk).exists()
    # A post without the page's answer (an old page, a script) is asked again too.
    assert client.post(url, {}).status_code == 200
    assert Goal.objects.filter(pk=goal.pk).exists()
    again = form_data(response.content.decode(), containing="paverkan")
    assert client.post(url, again).status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_removal_names_what_other_apps_hang_on_it(client, editor_world, editor_planner):
    """The indicator's target is removed with it; other apps' hooks add what stays."""
    from uppsikt.plans.impact import removal_impact

    indicator = editor_world.draft_goal.indicators.get()
    text = text_of(client.get(remove_url(indicator, "indicator")))
    assert "Tas bort med det: 1 " in text
    removal_impact.register("test", lambda obj: ["Utfallen ligger kvar."] * (obj == indicator))
    try:
        text = text_of(client.get(remove_url(indicator, "indicator")))
    finally:
        removal_impact._entries.pop("test")
    assert "Utfallen ligger kvar." in text


# -- moving -------------------------------------------------------------------------------


def _move(client, obj, kind, direction):
    plan = obj.goal.plan if isinstance(obj, Indicator) else obj.plan
    url = reverse("plans:part_move", args=[plan.pk, kind, obj.pk])
    return client.post(url, {"direction": direction})


def _order(plan):
    from uppsikt.plans.document import plan_document

    return [(node.kind, node.obj.pk) for node in plan_document(plan).blocks]


def test_move_up_and_down_among_siblings(client, editor_world, editor_planner):
    section, perspective, area = (
        Section.objects.get(plan=editor_world.draft, perspective=None),
        Perspective.objects.get(plan=editor_world.draft),
        FocusArea.objects.get(plan=editor_world.draft),
    )
    top = [("section", section.pk), ("perspective", perspective.pk), ("focus_area", area.pk)]
    assert _order(editor_world.draft) == top
    response = _move(client, area, "focus_area", "up")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#focus_area-{area.pk}")
    assert _order(editor_world.draft) == [top[0], top[2], top[1]]
    _move(client, section, "section", "down")
    assert _order(editor_world.draft) == [top[2], top[0], top[1]]
    response = _move(client, area, "focus_area", "up")
    assert "står redan först" in text_of(client.get(response["Location"].split("#")[0]))
    assert _order(editor_world.draft) == [top[2], top[0], top[1]]


def test_indicators_move_under_their_goal(client, editor_world, editor_planner):
    goal = editor_world.draft_goal
    second = add_part(
        editor_world.draft, "indicator", actor=editor_planner, goal=goal, text="Andra"
    )
    first = goal.indicators.order_by("position").first()
    _move(client, second, "indicator", "up")
    assert list(goal.indicators.order_by("position")) == [second, first]


def test_move_refuses_a_direction_it_does_not_know(client, editor_world, editor_planner):
    before = _order(editor_world.draft)
    response = _move(
        client, FocusArea.objects.get(plan=editor_world.draft), "focus_area", "sideways"
    )
    assert "Ange upp eller ned." in text_of(client.get(response["Location"].split("#")[0]))
    assert _order(editor_world.draft) == before
    url = reverse(
        "plans:part_move", args=[editor_world.draft.pk, "goal", editor_world.draft_goal.pk]
    )
    assert client.get(url).status_code == 405
