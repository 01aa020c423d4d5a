"""The draft editor (``plans:edit`` and the forms behind it): every kind added, edited, moved
and removed through the plan actions; a stale save shown as a conflict with nothing
overwritten; removal confirmed with what it affects; every refusal names the field in
Swedish and changes nothing; a decided plan is not edited here."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.cascade import link_goal
from uppsikt.plans.actions.parts import MODELS, add_part, update_part
from uppsikt.plans.forms_editor import BULLETS, LinesField
from uppsikt.plans.models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)
from uppsikt.plans.page import indicator_links

from .html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_regions_with_roles):
    return two_regions_with_roles


@pytest.fixture
def planner(client, world):
    user = world.user("planerare_inne")
    client.force_login(user)
    return user


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _add_url(plan, kind, query=""):
    url = reverse("plans:part_add", args=[plan.pk, kind])
    return f"{url}?{query}" if query else url


def _edit_url(obj, kind):
    plan = obj.goal.plan if isinstance(obj, Indicator) else obj.plan
    return reverse("plans:part_edit", args=[plan.pk, kind, obj.pk])


def _events() -> int:
    return AuditEvent.objects.count()


# -- the editor page ---------------------------------------------------------------------


def test_the_editor_shows_the_whole_draft_with_actions_for_every_object(client, world, planner):
    response = client.get(reverse("plans:edit", args=[world.draft.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(response)
    assert "Redigera utkastet" in text and world.draft.title in text
    assert "Utkast" in text
    for kind, obj in (
        ("perspective", Perspective.objects.get(plan=world.draft)),
        ("goal", world.draft_goal),
        ("indicator", world.draft_goal.indicators.get()),
        ("activity", world.activity),
    ):
        assert f'id="{kind}-{obj.pk}"' in page
        assert reverse("plans:part_edit", args=[world.draft.pk, kind, obj.pk]) in page
        assert reverse("plans:part_remove", args=[world.draft.pk, kind, obj.pk]) in page
    assert reverse("plans:details", args=[world.draft.pk]) in page
    perspective = Perspective.objects.get(plan=world.draft)
    assert f"?under=perspective:{perspective.pk}" in page
    assert f"?mal={world.draft_goal.pk}" in page
    assert reverse("plans:part_move", args=[world.draft.pk, "goal", world.draft_goal.pk]) in page


def test_the_plan_page_links_to_the_editor_for_planners_of_a_draft(client, world, planner):
    url = reverse("plans:edit", args=[world.draft.pk])
    assert url in client.get(world.draft.get_absolute_url()).content.decode()
    decided_page = client.get(world.decided.get_absolute_url()).content.decode()
    assert reverse("plans:edit", args=[world.decided.pk]) not in decided_page
    client.force_login(world.user("lasare_inne"))
    assert url not in client.get(world.draft.get_absolute_url()).content.decode()


def test_a_decided_plan_is_not_edited_here(client, world, planner):
    response = client.get(reverse("plans:edit", args=[world.decided.pk]), follow=True)
    assert response.redirect_chain[-1][0] == world.decided.get_absolute_url()
    assert "är beslutad och kan inte ändras" in _text(response)
    assert "Revidera planen" in _text(response)


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("plans:part_add", lambda w: [w.decided.pk, "goal"], {"kind": "mal", "text": "Nytt mål"}),
        ("plans:part_edit", lambda w: [w.decided.pk, "goal", w.goal.pk], {"text": "Ändrat"}),
        ("plans:part_remove", lambda w: [w.decided.pk, "goal", w.goal.pk], {}),
        ("plans:part_move", lambda w: [w.decided.pk, "goal", w.goal.pk], {"direction": "down"}),
        ("plans:details", lambda w: [w.decided.pk], {"title": "Ny titel"}),
    ],
)
def test_every_change_to_a_decided_plan_is_refused(client, world, planner, name, args, data):
    before = (_events(), Goal.objects.filter(plan=world.decided).count())
    response = client.post(reverse(name, args=args(world)), data, follow=True)
    assert response.redirect_chain[-1][0] == world.decided.get_absolute_url()
    assert "är beslutad och kan inte ändras" in _text(response)
    assert (_events(), Goal.objects.filter(plan=world.decided).count()) == before
    world.goal.refresh_from_db()
    assert world.goal.text == "Effektmål nummer 1 år 2023"
    world.decided.refresh_from_db()
    assert world.decided.title == "Plan beslutad 2023"


# -- lists typed one item per line --------------------------------------------------------

ONE_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1)


@given(st.lists(ONE_LINE.map(str.strip).filter(lambda t: t and not t.startswith(BULLETS))))
def test_a_list_typed_one_item_per_line_comes_back_the_same(items):
    field = LinesField()
    assert field.clean(field.prepare_value(items)) == items


@given(
    st.lists(st.one_of(ONE_LINE.filter(lambda t: not t.strip().startswith(BULLETS)), st.just(""))),
    st.sampled_from(["\n", "\r\n"]),
)
def test_a_bullet_and_blank_lines_are_not_part_of_the_items(lines, newline):
    typed = newline.join(f"- {line}" if i % 2 else line for i, line in enumerate(lines))
    items = LinesField().clean(typed + newline + newline)
    assert items == [line.strip() for line in lines if line.strip()]


# -- adding ------------------------------------------------------------------------------


def _containers(world):
    return {
        "perspective": Perspective.objects.get(plan=world.draft),
        "focus_area": FocusArea.objects.get(plan=world.draft),
    }


ADDITIONS = [
    # kind, under, fields to type, what is stored
    (
        "section",
        "perspective",
        {
            "heading": "Syfte",
            "body": "Första stycket.\n\nAndra stycket.",
            "items": "Ett\n- Två\n\n",
        },
        {"heading": "Syfte", "items": ["Ett", "Två"]},
    ),
    ("perspective", None, {"name": "Process", "responsibilities": "Leda\nFölja upp"}, {}),
    ("focus_area", None, {"name": "Klimat", "number": "3"}, {"number": "3"}),
    (
        "strategy",
        "focus_area",
        {"name": "Omställning", "lead": "Vi ska", "statements": "minska utsläppen\nresa klokt"},
        {"statements": ["minska utsläppen", "resa klokt"]},
    ),
    ("goal", "perspective", {"kind": "mal", "number": "4", "text": "Fler invånare röker inte"}, {}),
    ("assignment", "perspective", {"text": "Utred en ny vårdcentral"}, {}),
    (
        "activity",
        "focus_area",
        {"text": "Byt till elbilar", "starts_on": "2024-02-01", "ends_on": "2024-11-30"},
        {},
    ),
]


@pytest.mark.parametrize(("kind", "under", "typed", "stored"), ADDITIONS)
def test_every_kind_is_added_in_its_place(client, world, planner, kind, under, typed, stored):
    containers = _containers(world)
    query = f"under={under}:{containers[under].pk}" if under else ""
    url = _add_url(world.draft, kind, query)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), containing="row_version")
    data.update(typed)
    response = client.post(url, data)
    assert response.status_code == 302, _text(response)
    added = MODELS[kind].objects.filter(plan=world.draft).latest("pk")
    assert response["Location"].endswith(f"#{kind}-{added.pk}")
    for name, value in {**typed, **stored}.items():
        if name not in stored and name in ("items", "statements", "responsibilities", "body"):
            continue
        if name in ("starts_on", "ends_on"):
            assert getattr(added, name).isoformat() == value
        else:
            assert getattr(added, name) == stored.get(name, value)
    if under:
        assert getattr(added, f"{under}_id") == containers[under].pk
    assert AuditEvent.objects.filter(action=f"{kind}.add").count() == 1
    editor = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="{kind}-{added.pk}"' in editor


def test_a_goal_added_in_a_strategy_belongs_to_its_perspective_too(client, world, planner):
    perspective = Perspective.objects.get(plan=world.draft)
    strategy = add_part(
        world.draft, "strategy", actor=planner, name="Tillsammans", perspective=perspective
    )
    url = _add_url(world.draft, "goal", f"under=strategy:{strategy.pk}")
    page = client.get(url)
    assert "Läggs i Strategi: Tillsammans" in _text(page)
    data = form_data(page.content.decode(), containing="row_version")
    data["text"] = "Alla känner sig trygga"
    assert client.post(url, data).status_code == 302
    goal = Goal.objects.get(text="Alla känner sig trygga")
    assert (goal.strategy_id, goal.perspective_id) == (strategy.pk, perspective.pk)


def test_an_assignment_added_at_the_top_shows_on_the_plan_page(client, world, planner):
    url = _add_url(world.draft, "assignment")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    data.update(text="Utred en ny vårdcentral", responsible=str(world.unit.pk))
    assert client.post(url, data).status_code == 302
    text = _text(client.get(world.draft.get_absolute_url()))
    assert "Uppdrag: Utred en ny vårdcentral (Regionstyrelsen)" in text


def test_an_indicator_is_added_to_its_goal(client, world, planner):
    url = _add_url(world.draft, "indicator", f"mal={world.draft_goal.pk}")
    page = client.get(url)
    assert "Läggs i Mål: Effektmål 1: Effektmål nummer 1 år 2024" in _text(page)
    data = form_data(page.content.decode(), containing="row_version")
    data["text"] = "Andel   rökfria  invånare"
    response = client.post(url, data)
    added = Indicator.objects.get(text="Andel rökfria invånare")
    assert added.goal == world.draft_goal
    assert response["Location"].endswith(f"#indicator-{added.pk}")


def test_an_indicator_needs_a_goal_of_the_plan(client, world, planner):
    assert client.get(_add_url(world.draft, "indicator")).status_code == 404
    other = f"mal={world.goal.pk}"  # a goal of the decided plan
    assert client.get(_add_url(world.draft, "indicator", other)).status_code == 404


def test_an_unknown_kind_is_not_found(client, world, planner):
    assert client.get(_add_url(world.draft, "vision")).status_code == 404
    assert (
        client.get(reverse("plans:part_edit", args=[world.draft.pk, "plan", 1])).status_code == 404
    )


# -- refusals: the field named, nothing changed -----------------------------------------------


def _refused(client, url, data, field_label, message):
    before = (_events(), {m: m.objects.count() for m in (Goal, Section, Activity, Strategy)})
    response = client.post(url, data)
    assert response.status_code == 200
    text = _text(response)
    assert "Formuläret har fel som behöver rättas" in text
    assert f"{field_label}: {message}" in text
    assert (
        _events(),
        {m: m.objects.count() for m in (Goal, Section, Activity, Strategy)},
    ) == before
    return text


def test_a_duplicate_goal_text_is_refused(client, world, planner):
    url = _add_url(world.draft, "goal")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    data["text"] = "  effektmål NUMMER 1 år 2024 "
    _refused(client, url, data, "Mål", "Planen har redan ett mål med samma text.")


def test_a_container_of_another_plan_is_refused(client, world, planner):
    url = _add_url(world.draft, "goal")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    data["text"] = "Ett nytt mål"
    data["perspective"] = str(Perspective.objects.get(plan=world.decided).pk)
    _refused(client, url, data, "Perspektiv", "Välj ett giltigt alternativ")


def test_a_responsible_unit_of_another_organisation_is_refused(client, world, planner):
    url = _edit_url(world.activity, "activity")
    data = form_data(client.get(url).content.decode(), containing="responsible")
    data["responsible"] = str(world.other_unit.pk)
    _refused(client, url, data, "Ansvarig", "Välj ett giltigt alternativ")
    world.activity.refresh_from_db()
    assert world.activity.responsible is None


def test_an_activity_cannot_end_before_it_starts(client, world, planner):
    url = _edit_url(world.activity, "activity")
    data = form_data(client.get(url).content.decode(), containing="responsible")
    data.update(starts_on="2024-05-01", ends_on="2024-04-01")
    _refused(client, url, data, "Slutdatum", "Slutdatum kan inte ligga före startdatum.")


def test_a_section_needs_a_heading(client, world, planner):
    url = _add_url(world.draft, "section")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    _refused(client, url, data, "Rubrik", "Detta fält måste fyllas i.")


def test_the_plan_details_refuse_a_horizon_before_the_year(client, world, planner):
    url = reverse("plans:details", args=[world.draft.pk])
    data = form_data(client.get(url).content.decode(), containing="title")
    data["horizon_end"] = "2020"
    _refused(
        client,
        url,
        data,
        "Planeringshorisont till och med",
        "Planeringshorisonten kan inte sluta före planens år.",
    )
    world.draft.refresh_from_db()
    assert world.draft.horizon_end is None


# -- editing, and two people saving the same object ------------------------------------------


def test_an_edit_saves_only_what_was_changed(client, world, planner):
    strategy = add_part(world.draft, "strategy", actor=planner, name="Gammal", statements=["a"])
    url = _edit_url(strategy, "strategy")
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
    client, world, planner, kind, field, theirs, mine
):
    obj = {
        "goal": world.draft_goal,
        "activity": world.activity,
        "perspective": Perspective.objects.get(plan=world.draft),
    }[kind]
    url = _edit_url(obj, kind)
    mine_data = form_data(client.get(url).content.decode(), containing="row_version")
    anna = world.user("rot")
    anna.first_name, anna.last_name = "Anna", "Ek"
    anna.save()
    obj.refresh_from_db()
    update_part(obj, actor=anna, expected_version=obj.row_version, **{field: theirs})
    mine_data[field] = mine
    before = _events()
    response = client.post(url, mine_data)
    assert response.status_code == 200
    text = _text(response)
    assert "har ändrats av någon annan sedan du öppnade den" in text
    assert "Sparat av Anna Ek" in text and theirs in text
    assert f"{mine}</textarea>" in response.content.decode() or f'value="{mine}"' in (
        response.content.decode()
    )
    obj.refresh_from_db()
    assert theirs in getattr(obj, field) and mine not in getattr(obj, field)
    assert _events() == before
    # Saving again after seeing theirs goes through.
    again = form_data(response.content.decode(), containing="row_version")
    assert client.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert mine in getattr(obj, field)


def test_a_save_goes_through_when_nothing_the_form_shows_was_changed_meanwhile(
    client, world, planner
):
    goal = world.draft_goal
    url = _edit_url(goal, "goal")
    mine = form_data(client.get(url).content.decode(), containing="row_version")
    add_part(world.draft, "indicator", actor=world.user("rot"), goal=goal, text="Annas indikator")
    goal.refresh_from_db()
    assert goal.row_version == int(mine["row_version"]) + 1  # the indicator list moved it on
    mine["description"] = "Bos beskrivning."
    assert client.post(url, mine).status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Bos beskrivning."
    assert goal.indicators.filter(text="Annas indikator").exists()


def test_the_plan_details_are_saved_with_a_conflict_check(client, world, planner):
    url = reverse("plans:details", args=[world.draft.pk])
    mine = form_data(client.get(url).content.decode(), containing="title")
    from uppsikt.plans.actions.authoring import update_plan

    update_plan(world.draft, actor=world.user("rot"), title="Annas titel")
    mine["title"] = "Bos titel"
    response = client.post(url, mine)
    assert "har ändrats av någon annan" in _text(response) and "Annas titel" in _text(response)
    world.draft.refresh_from_db()
    assert world.draft.title == "Annas titel"
    again = form_data(response.content.decode(), containing="title")
    again["horizon_end"] = "2026"
    assert client.post(url, again).status_code == 302
    world.draft.refresh_from_db()
    assert (world.draft.title, world.draft.horizon_end) == ("Bos titel", 2026)


# -- removing -----------------------------------------------------------------------------


def _remove_url(obj, kind):
    plan = obj.goal.plan if isinstance(obj, Indicator) else obj.plan
    return reverse("plans:part_remove", args=[plan.pk, kind, obj.pk])


def test_removal_lists_what_it_affects_and_removes_when_confirmed(client, world, planner):
    perspective = Perspective.objects.get(plan=world.draft)
    url = _remove_url(perspective, "perspective")
    page = client.get(url)
    text = _text(page)
    assert "Ta bort perspektiv Invånare och samhälle" in text
    assert "Det här påverkas" in text
    assert "Tas bort med det: 2 mål." in text
    assert "Tas bort med det: 2 indikatorer." in text
    assert Perspective.objects.filter(pk=perspective.pk).exists()  # a GET changes nothing
    data = form_data(page.content.decode(), containing="paverkan")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[world.draft.pk])
    assert not Perspective.objects.filter(pk=perspective.pk).exists()
    assert not Goal.objects.filter(plan=world.draft).exists()
    event = AuditEvent.objects.get(action="perspective.remove")
    assert "Tas bort med det: 2 mål." in event.after["impact"]


def test_removal_of_something_that_affects_nothing_still_asks_once(client, world, planner):
    assignment = add_part(world.draft, "assignment", actor=planner, text="Utred")
    url = _remove_url(assignment, "assignment")
    page = client.get(url)
    assert "Ingenting annat påverkas" in _text(page)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    response = client.post(url, form_data(page.content.decode(), containing="paverkan"))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_removal_is_not_done_when_what_it_affects_changed_since_the_page(client, world, planner):
    goal = world.draft_goal
    url = _remove_url(goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="paverkan")
    add_part(world.draft, "indicator", actor=world.user("rot"), goal=goal, text="Ny indikator")
    response = client.post(url, data)
    assert response.status_code == 200
    text = _text(response)
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


def test_removal_names_what_other_apps_hang_on_it(client, world, planner):
    """The indicator's target is removed with it; other apps' hooks add what stays."""
    from uppsikt.plans.impact import removal_impact

    indicator = world.draft_goal.indicators.get()
    text = _text(client.get(_remove_url(indicator, "indicator")))
    assert "Tas bort med det: 1 " in text
    removal_impact.register("test", lambda obj: ["Utfallen ligger kvar."] * (obj == indicator))
    try:
        text = _text(client.get(_remove_url(indicator, "indicator")))
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


def test_move_up_and_down_among_siblings(client, world, planner):
    section, perspective, area = (
        Section.objects.get(plan=world.draft, perspective=None),
        Perspective.objects.get(plan=world.draft),
        FocusArea.objects.get(plan=world.draft),
    )
    top = [("section", section.pk), ("perspective", perspective.pk), ("focus_area", area.pk)]
    assert _order(world.draft) == top
    response = _move(client, area, "focus_area", "up")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#focus_area-{area.pk}")
    assert _order(world.draft) == [top[0], top[2], top[1]]
    _move(client, section, "section", "down")
    assert _order(world.draft) == [top[2], top[0], top[1]]
    response = _move(client, area, "focus_area", "up")
    assert "står redan först" in _text(client.get(response["Location"].split("#")[0]))
    assert _order(world.draft) == [top[2], top[0], top[1]]


def test_indicators_move_under_their_goal(client, world, planner):
    goal = world.draft_goal
    second = add_part(world.draft, "indicator", actor=planner, goal=goal, text="Andra")
    first = goal.indicators.order_by("position").first()
    _move(client, second, "indicator", "up")
    assert list(goal.indicators.order_by("position")) == [second, first]


def test_move_refuses_a_direction_it_does_not_know(client, world, planner):
    before = _order(world.draft)
    response = _move(client, FocusArea.objects.get(plan=world.draft), "focus_area", "sideways")
    assert "Ange upp eller ned." in _text(client.get(response["Location"].split("#")[0]))
    assert _order(world.draft) == before
    url = reverse("plans:part_move", args=[world.draft.pk, "goal", world.draft_goal.pk])
    assert client.get(url).status_code == 405


# -- the cascade: "bidrar till" and the goals an aktivitet serves ----------------------------


@pytest.fixture
def plan_above(world):
    """Regionfullmäktige's decided 2024 plan with two goals, above styrelsen's draft."""
    root = world.user("rot")
    plan = create_plan(world.unit.parent, 2024, actor=root, title="Fullmäktiges plan 2024")
    first = add_part(plan, "goal", actor=root, kind="effektmal", number="1", text="God hälsa")
    second = add_part(plan, "goal", actor=root, kind="effektmal", number="2", text="Stark ekonomi")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.BESLUTAD)
    return first, second


def test_a_goal_is_linked_to_a_goal_above_and_unlinked(client, world, planner, plan_above):
    _first, second = plan_above
    goal = world.draft_goal
    url = _edit_url(goal, "goal")
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


def test_a_link_that_would_close_a_loop_is_refused_with_the_reason(client, world, planner):
    root = world.user("rot")
    plan = create_plan(world.unit.parent, 2024, actor=root, title="Fullmäktiges plan 2024")
    above = add_part(plan, "goal", actor=root, kind="effektmal", text="God hälsa")
    link_goal(above, world.draft_goal, actor=root)  # wrongly, the goal above "bidrar till" ours
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.BESLUTAD)
    url = _edit_url(world.draft_goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="koppla-target")
    data["koppla-target"] = str(above.pk)
    text = _refused(client, url, data, "Mål ovanför", "Kopplingen skulle bilda en slinga")
    assert "Effektmål: God hälsa" in text
    assert not world.draft_goal.contributes_to.exists()


def test_a_goal_not_offered_cannot_be_linked(client, world, planner, plan_above):
    url = _edit_url(world.draft_goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="koppla-target")
    data["koppla-target"] = str(world.goal.pk)  # the unit's own 2023 goal
    _refused(client, url, data, "Mål ovanför", "Välj ett giltigt alternativ")
    assert not world.draft_goal.contributes_to.exists()


def test_the_goals_an_activity_serves_are_ticked_and_saved(client, world, planner, plan_above):
    first, _second = plan_above
    url = _edit_url(world.activity, "activity")
    page = client.get(url).content.decode()
    assert "Mål som aktiviteten bidrar till" in page
    data = form_data(page, containing="mal-sparade")
    data["mal-goals"] = [str(world.draft_goal.pk), str(first.pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(world.activity.contributes_to.all()) == {world.draft_goal, first}
    editor = _text(client.get(reverse("plans:edit", args=[world.draft.pk])))
    assert "Bidrar till Effektmål 1; Effektmål 1 (Regionfullmäktige, 2024)" in editor
    # Someone else changes them after this page was opened: told, nothing overwritten.
    data = form_data(client.get(url).content.decode(), containing="mal-sparade")
    from uppsikt.plans.actions.cascade import set_activity_goals

    set_activity_goals(world.activity, [first], actor=world.user("rot"))
    data["mal-goals"] = [str(world.draft_goal.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "har ändrats av någon annan" in _text(response)
    assert list(world.activity.contributes_to.all()) == [first]


# -- indicators: other apps' links -------------------------------------------------------------


def test_indicator_links_from_other_apps_are_shown(client, world, planner):
    indicator_links.register(
        "test", lambda indicator, user: [("Målregel och målvärden", f"/test/{indicator.pk}/")]
    )
    indicator = world.draft_goal.indicators.get()
    try:
        editor = client.get(reverse("plans:edit", args=[world.draft.pk])).content.decode()
        form = client.get(_edit_url(indicator, "indicator")).content.decode()
    finally:
        indicator_links._entries.pop("test")
    assert f'href="/test/{indicator.pk}/"' in editor
    assert f'href="/test/{indicator.pk}/"' in form and "Målregel och målvärden" in form


# -- fast on a large plan -------------------------------------------------------------------


def test_the_editor_page_query_count_does_not_grow_with_the_plan(client, world, planner):
    url = reverse("plans:edit", args=[world.draft.pk])
    client.get(url)  # the session, the user's grants
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    perspective = Perspective.objects.get(plan=world.draft)
    area = FocusArea.objects.get(plan=world.draft)
    for number in range(20):
        goal = add_part(
            world.draft, "goal", actor=planner, text=f"Mål {number}", perspective=perspective
        )
        add_part(world.draft, "indicator", actor=planner, goal=goal, text=f"Indikator {number}")
        add_part(world.draft, "strategy", actor=planner, name=f"S {number}", focus_area=area)
        activity = add_part(
            world.draft, "activity", actor=planner, text=f"A {number}", responsible=world.unit
        )
        activity.contributes_to.add(goal)
        add_part(world.draft, "section", actor=planner, heading=f"Avsnitt {number}", items=["x"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# -- in Debian's Chromium: axe-core, and the editor worked by a person ----------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_editor_pages_pass_axe_and_work_without_script(live_server, page, world):
    from .a11y import assert_accessible

    root = world.user("rot")
    above = create_plan(world.unit.parent, 2024, actor=root, title="Fullmäktiges plan 2024")
    add_part(above, "goal", actor=root, kind="effektmal", number="1", text="God hälsa")
    Plan.objects.filter(pk=above.pk).update(status=Plan.Status.BESLUTAD)
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("planerare_inne")
    page.get_by_label("Lösenord").fill("x-test-pass-1")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "logga-in" not in url)

    page.goto(live_server.url + world.draft.get_absolute_url())
    page.get_by_role("link", name="Redigera utkastet").click()
    assert_accessible(page)
    goal = world.draft_goal
    page.get_by_role("button", name=f"Flytta ned {goal.label}: {goal.text}").click()
    assert "har flyttats ned" in page.get_by_role("status").inner_text()
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
    assert "har lagts till" in page.get_by_role("status").inner_text()
    added = Goal.objects.get(text="Fler invånare röker inte")
    assert added.perspective_id == perspective.pk

    for path in (
        _edit_url(added, "goal"),  # with the goals above to link to
        _edit_url(world.activity, "activity"),  # with the goals to tick
        _remove_url(perspective, "perspective"),
        reverse("plans:details", args=[world.draft.pk]),
        _add_url(world.draft, "activity"),
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)

    page.goto(live_server.url + _edit_url(world.activity, "activity"))
    update_part(world.activity, actor=root, text="Ändrad av någon annan")
    page.locator("#id_text").fill("Min text")
    page.get_by_role("button", name="Spara", exact=True).click()
    assert "har ändrats av någon annan" in page.get_by_role("alert").inner_text()
    assert "Ändrad av någon annan" in page.locator(".conflict").inner_text()
    assert_accessible(page)


def test_saving_an_unchanged_form_writes_nothing(client, world, planner):
    url = _edit_url(world.draft_goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    version = world.draft_goal.row_version
    before = _events()
    response = client.post(url, data, follow=True)
    assert "Inga ändringar." in _text(response)
    assert _events() == before
    world.draft_goal.refresh_from_db()
    assert world.draft_goal.row_version == version
