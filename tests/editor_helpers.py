"""What the draft editor's tests share: its URLs, a page's text, and a refusal that names
the field and changes nothing."""

from __future__ import annotations

import re

from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.parts import add_part
from uppsikt.plans.models import Activity, Goal, Indicator, Plan, Section, Strategy


def text_of(response) -> str:
    """The page's visible text with whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _plan_of(obj):
    return obj.goal.plan if isinstance(obj, Indicator) else obj.plan


def add_url(plan, kind, query=""):
    url = reverse("plans:part_add", args=[plan.pk, kind])
    return f"{url}?{query}" if query else url


def edit_url(obj, kind):
    return reverse("plans:part_edit", args=[_plan_of(obj).pk, kind, obj.pk])


def remove_url(obj, kind):
    return reverse("plans:part_remove", args=[_plan_of(obj).pk, kind, obj.pk])


def events() -> int:
    return AuditEvent.objects.count()


def _state():
    return (events(), {m: m.objects.count() for m in (Goal, Section, Activity, Strategy)})


def refused(client, url, data, field_label, message) -> str:
    """Post ``data``: the page names ``field_label`` and ``message``, nothing changes."""
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 200
    text = text_of(response)
    assert "Formuläret har fel som behöver rättas" in text
    assert f"{field_label}: {message}" in text
    assert _state() == before
    return text


def signed_in_planner(client, world):
    """``planerare_inne`` of ``tests/world.py``, signed in on ``client``."""
    user = world.user("planerare_inne")
    client.force_login(user)
    return user


def decided_plan_above(world, *texts: str) -> tuple[Plan, list[Goal]]:
    """Regionfullmäktige's decided 2024 plan, above styrelsen's draft, with an effektmål
    for each of ``texts``."""
    root = world.user("rot")
    plan = create_plan(world.unit.parent, 2024, actor=root, title="Fullmäktiges plan 2024")
    goals = [
        add_part(plan, "goal", actor=root, kind="effektmal", number=str(n), text=text)
        for n, text in enumerate(texts, start=1)
    ]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.BESLUTAD)
    return plan, goals
