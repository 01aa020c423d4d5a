"""The draft editor (``plans:edit`` and the forms behind it): every kind added, edited, moved
and removed through the plan actions; a stale save shown as a conflict with nothing
overwritten; removal confirmed with what it affects; every refusal names the field in
Swedish and changes nothing; a decided plan is not edited here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions.parts import MODELS, add_part, remove_part
from uppsikt.plans.forms_editor import BULLETS, LinesField
from uppsikt.plans.models import (
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
)

from .editor_helpers import (
    add_url,
    edit_url,
    events,
    refused,
    text_of,
)
from .html_forms import form_data

pytestmark = pytest.mark.django_db


# -- the editor page ---------------------------------------------------------------------


def test_the_editor_shows_the_whole_draft_with_actions_for_every_object(
    client, editor_world, editor_planner
):
    response = client.get(reverse("plans:edit", args=[editor_world.draft.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response)
    assert "Redigera utkastet" in text and editor_world.draft.title in text
    assert "Utkast" in text
    for kind, obj in (
        ("perspective", Perspective.objects.get(plan=editor_world.draft)),
        ("goal", editor_world.draft_goal),
        ("indicator", editor_world.draft_goal.indicators.get()),
        ("activity", editor_world.activity),
    ):
        assert f'id="{kind}-{obj.pk}"' in page
        assert reverse("plans:part_edit", args=[editor_world.draft.pk, kind, obj.pk]) in page
        assert reverse("plans:part_remove", args=[editor_world.draft.pk, kind, obj.pk]) in page
    assert reverse("plans:details", args=[editor_world.draft.pk]) in page
    perspective = Perspective.objects.get(plan=editor_world.draft)
    assert f"?under=perspective:{perspective.pk}" in page
    assert f"?mal={editor_world.draft_goal.pk}" in page
    assert (
        reverse("plans:part_move", args=[editor_world.draft.pk, "goal", editor_world.draft_goal.pk])
        in page
    )


def test_the_plan_page_links_to_the_editor_for_planners_of_a_draft(
    client, editor_world, editor_planner
):
    url = reverse("plans:edit", args=[editor_world.draft.pk])
    assert url in client.get(editor_world.draft.get_absolute_url()).content.decode()
    decided_page = client.get(editor_world.decided.get_absolute_url()).content.decode()
    assert reverse("plans:edit", args=[editor_world.decided.pk]) not in decided_page
    client.force_login(editor_world.user("lasare_inne"))
    assert url not in client.get(editor_world.draft.get_absolute_url()).content.decode()


def test_a_decided_plan_is_not_edited_here(client, editor_world, editor_planner):
    response = client.get(reverse("plans:edit", args=[editor_world.decided.pk]), follow=True)
    assert response.redirect_chain[-1][0] == editor_world.decided.get_absolute_url()
    assert "är beslutad och kan inte ändras" in text_of(response)
    assert "Revidera planen" in text_of(response)


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
def test_every_change_to_a_decided_plan_isrefused(
    client, editor_world, editor_planner, name, args, data
):
    before = (events(), Goal.objects.filter(plan=editor_world.decided).count())
    response = client.post(reverse(name, args=args(editor_world)), data, follow=True)
    assert response.redirect_chain[-1][0] == editor_world.decided.get_absolute_url()
    assert "är beslutad och kan inte ändras" in text_of(response)
    assert (events(), Goal.objects.filter(plan=editor_world.decided).count()) == before
    editor_world.goal.refresh_from_db()
    assert editor_world.goal.text == "Effektmål nummer 1 år 2023"
    editor_world.decided.refresh_from_db()
    assert editor_world.decided.title == "Plan beslutad 2023"


# -- lists typed one item per line --------------------------------------------------------

ONE_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1)


def no_bullet(text: str) -> bool:
    """Not a line the field reads as a bullet: "- x", or a lone "-", "•" or "*"."""
    stripped = text.strip()
    return not stripped.startswith(BULLETS) and stripped not in {b.strip() for b in BULLETS}


@given(st.lists(ONE_LINE.map(str.strip).filter(lambda t: t and no_bullet(t))))
def test_a_list_typed_one_item_per_line_comes_back_the_same(items):
    field = LinesField()
    assert field.clean(field.prepare_value(items)) == items


@given(
    st.lists(st.one_of(ONE_LINE.filter(no_bullet), st.just(""))),
    st.sampled_from(["\n", "\r\n"]),
)
def test_a_bullet_and_blank_lines_are_not_part_of_the_items(lines, newline):
    typed = newline.join(f"- {line}" if i % 2 else line for i, line in enumerate(lines))
    items = LinesField().clean(typed + newline + newline)
    assert items == [line.strip() for line in lines if line.strip()]


# -- adding ------------------------------------------------------------------------------


def _containers(editor_world):
    return {
        "perspective": Perspective.objects.get(plan=editor_world.draft),
        "focus_area": FocusArea.objects.get(plan=editor_world.draft),
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
def test_every_kind_is_added_in_its_place(
    client, editor_world, editor_planner, kind, under, typed, stored
):
    containers = _containers(editor_world)
    query = f"under={under}:{containers[under].pk}" if under else ""
    url = add_url(editor_world.draft, kind, query)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), containing="row_version")
    data.update(typed)
    response = client.post(url, data)
    assert response.status_code == 302, text_of(response)
    added = MODELS[kind].objects.filter(plan=editor_world.draft).latest("pk")
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


def test_a_goal_added_in_a_strategy_belongs_to_its_perspective_too(
    client, editor_world, editor_planner
):
    perspective = Perspective.objects.get(plan=editor_world.draft)
    strategy = add_part(
        editor_world.draft,
        "strategy",
        actor=editor_planner,
        name="Tillsammans",
        perspective=perspective,
    )
    url = add_url(editor_world.draft, "goal", f"under=strategy:{strategy.pk}")
    page = client.get(url)
    assert "Läggs i Strategi: Tillsammans" in text_of(page)
    data = form_data(page.content.decode(), containing="row_version")
    data["text"] = "Alla känner sig trygga"
    assert client.post(url, data).status_code == 302
    goal = Goal.objects.get(text="Alla känner sig trygga")
    assert (goal.strategy_id, goal.perspective_id) == (strategy.pk, perspective.pk)


def test_an_assignment_added_at_the_top_shows_on_the_plan_page(
    client, editor_world, editor_planner
):
    url = add_url(editor_world.draft, "assignment")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    data.update(text="Utred en ny vårdcentral", responsible=str(editor_world.unit.pk))
    assert client.post(url, data).status_code == 302
    text = text_of(client.get(editor_world.draft.get_absolute_url()))
    assert "Uppdrag: Utred en ny vårdcentral (Regionstyrelsen)" in text


def test_an_indicator_is_added_to_its_goal(client, editor_world, editor_planner):
    url = add_url(editor_world.draft, "indicator", f"mal={editor_world.draft_goal.pk}")
    page = client.get(url)
    assert "Läggs i Mål: Effektmål 1: Effektmål nummer 1 år 2024" in text_of(page)
    data = form_data(page.content.decode(), containing="row_version")
    data["text"] = "Andel   rökfria  invånare"
    response = client.post(url, data)
    added = Indicator.objects.get(text="Andel rökfria invånare")
    assert added.goal == editor_world.draft_goal
    assert response["Location"].endswith(f"#indicator-{added.pk}")


def test_an_indicator_needs_a_goal_of_the_plan(client, editor_world, editor_planner):
    assert client.get(add_url(editor_world.draft, "indicator")).status_code == 404
    other = f"mal={editor_world.goal.pk}"  # a goal of the decided plan
    assert client.get(add_url(editor_world.draft, "indicator", other)).status_code == 404


def test_an_unknown_kind_is_not_found(client, editor_world, editor_planner):
    assert client.get(add_url(editor_world.draft, "vision")).status_code == 404
    assert (
        client.get(reverse("plans:part_edit", args=[editor_world.draft.pk, "plan", 1])).status_code
        == 404
    )


# -- refusals: the field named, nothing changed -----------------------------------------------


def test_a_duplicate_goal_text_isrefused(client, editor_world, editor_planner):
    url = add_url(editor_world.draft, "goal")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    data["text"] = "  effektmål NUMMER 1 år 2024 "
    refused(client, url, data, "Mål", "Planen har redan ett mål med samma text.")


def test_a_container_of_another_plan_isrefused(client, editor_world, editor_planner):
    url = add_url(editor_world.draft, "goal")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    data["text"] = "Ett nytt mål"
    data["perspective"] = str(Perspective.objects.get(plan=editor_world.decided).pk)
    refused(client, url, data, "Perspektiv", "Välj ett giltigt alternativ")


def test_a_responsible_unit_of_another_organisation_isrefused(client, editor_world, editor_planner):
    url = edit_url(editor_world.activity, "activity")
    data = form_data(client.get(url).content.decode(), containing="responsible")
    data["responsible"] = str(editor_world.other_unit.pk)
    refused(client, url, data, "Ansvarig", "Välj ett giltigt alternativ")
    editor_world.activity.refresh_from_db()
    assert editor_world.activity.responsible is None


def test_an_activity_cannot_end_before_it_starts(client, editor_world, editor_planner):
    url = edit_url(editor_world.activity, "activity")
    data = form_data(client.get(url).content.decode(), containing="responsible")
    data.update(starts_on="2024-05-01", ends_on="2024-04-01")
    refused(client, url, data, "Slutdatum", "Slutdatum kan inte ligga före startdatum.")


def test_a_section_needs_a_heading(client, editor_world, editor_planner):
    url = add_url(editor_world.draft, "section")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    refused(client, url, data, "Rubrik", "Detta fält måste fyllas i.")


def test_the_plan_details_refuse_a_horizon_before_the_year(client, editor_world, editor_planner):
    url = reverse("plans:details", args=[editor_world.draft.pk])
    data = form_data(client.get(url).content.decode(), containing="title")
    data["horizon_end"] = "2020"
    refused(
        client,
        url,
        data,
        "Planeringshorisont till och med",
        "Planeringshorisonten kan inte sluta före planens år.",
    )
    editor_world.draft.refresh_from_db()
    assert editor_world.draft.horizon_end is None


# -- fast on a large plan -------------------------------------------------------------------


def test_the_editor_page_query_count_does_not_grow_with_the_plan(
    client, editor_world, editor_planner
):
    url = reverse("plans:edit", args=[editor_world.draft.pk])
    client.get(url)  # the session, the user's grants
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    perspective = Perspective.objects.get(plan=editor_world.draft)
    area = FocusArea.objects.get(plan=editor_world.draft)
    for number in range(20):
        goal = add_part(
            editor_world.draft,
            "goal",
            actor=editor_planner,
            text=f"Mål {number}",
            perspective=perspective,
        )
        add_part(
            editor_world.draft,
            "indicator",
            actor=editor_planner,
            goal=goal,
            text=f"Indikator {number}",
        )
        add_part(
            editor_world.draft,
            "strategy",
            actor=editor_planner,
            name=f"S {number}",
            focus_area=area,
        )
        activity = add_part(
            editor_world.draft,
            "activity",
            actor=editor_planner,
            text=f"A {number}",
            responsible=editor_world.unit,
        )
        activity.contributes_to.add(goal)
        add_part(
            editor_world.draft,
            "section",
            actor=editor_planner,
            heading=f"Avsnitt {number}",
            items=["x"],
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_saving_an_unchanged_form_writes_nothing(client, editor_world, editor_planner):
    url = edit_url(editor_world.draft_goal, "goal")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    version = editor_world.draft_goal.row_version
    before = events()
    response = client.post(url, data, follow=True)
    assert "Inga ändringar." in text_of(response)
    assert events() == before
    editor_world.draft_goal.refresh_from_db()
    assert editor_world.draft_goal.row_version == version


def test_a_form_posted_about_something_removed_meanwhile_is_answered_on_the_editor(
    client, editor_world, editor_planner
):
    assignment = add_part(editor_world.draft, "assignment", actor=editor_planner, text="Utred")
    url = edit_url(assignment, "assignment")
    data = form_data(client.get(url).content.decode(), containing="row_version")
    remove_part(assignment, actor=editor_world.user("rot"))
    data["text"] = "Utred noga"
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:edit", args=[editor_world.draft.pk])
    assert "finns inte längre i planen" in text_of(response)
    assert client.get(url).status_code == 404
    assert not Assignment.objects.exists()
