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

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.cascade import link_goal
from uppsikt.plans.actions.parts import add_part, update_part
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
