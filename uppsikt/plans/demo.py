"""The demo's planning year under way: 2024 drafts made from the 2023 plans by the actions.

``uppsikt demo_planning`` (part of ``make demo``, after ``demo_users``) makes
regionfullmäktige's and regionstyrelsen's 2024 plans as copies of their 2023 plans
(``authoring.create_plan``, mode ``copy``), marked as examples with a note saying so, the
way the demo's users would in the browser: the region's administrator makes fullmäktige's
draft (the planerare's role is on regionstyrelsen and the units beneath it), the planerare
makes regionstyrelsen's and then, as a planner starting next year's plan would, changes one
goal's text and adds an indicator (``parts.update_part``, ``parts.add_part``). Fullmäktige's
draft comes first, so regionstyrelsen's copied effektmål link to fullmäktige's 2024 ones.
Every step is an audit event in its plan's history.

Run again, it leaves a 2024 plan that already exists alone.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from .actions.authoring import create_plan
from .actions.parts import add_part, update_part
from .models import Goal, Plan
from .queries import in_force

ORGANISATION, FROM_YEAR, YEAR = "0018", 2023, 2024
# (unit slug, the demo user who makes its draft), in this order.
DRAFTS = (("regionfullmaktige", "administrator"), ("regionstyrelsen", "planerare"))
NOTE = (
    "Exempel: ett utkast till planen för 2024, gjort som en kopia av planen för 2023 för att "
    "visa hur nästa års plan tas fram. Innehållet är exempeldata, inte beslutat och inte "
    "hämtat från någon källa."
)
# Regionstyrelsen's example edits: a goal's text (found by how it begins), and an indicator
# added under another goal.
CHANGED_GOAL = (
    "Att skapa och använda generella arbetsmetoder för hantering av de kriser",
    "Regionen har gemensamma arbetsmetoder för kriser som behöver hanteras i ett "
    "regionövergripande perspektiv, och övar dem minst en gång per år.",
)
NEW_INDICATOR = (
    "Samtliga verksamheter arbetar i enlighet med Region Örebro läns strategier",
    "Andelen verksamheter som har gjort en självskattning i Framgångsinsikt för regioner ska "
    "öka jämfört med föregående år.",
)


def _user(username: str) -> Actor:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(
            _("Demoanvändaren %(name)s saknas: kör uppsikt demo_users först.") % {"name": username}
        )
    return user


def _plan_a_planner_starts(plan: Plan, actor: Actor) -> None:
    """Regionstyrelsen's planner changes one goal and adds one indicator."""
    changed = Goal.objects.get(plan=plan, text__startswith=CHANGED_GOAL[0])
    update_part(changed, actor=actor, expected_version=changed.row_version, text=CHANGED_GOAL[1])
    measured = Goal.objects.get(plan=plan, text__startswith=NEW_INDICATOR[0])
    add_part(plan, "indicator", actor=actor, goal=measured, text=NEW_INDICATOR[1])


@transaction.atomic
def load_demo_planning() -> list[Plan]:
    """The 2024 drafts made now (none when they exist already)."""
    made = []
    for slug, username in DRAFTS:
        unit = Unit.objects.get(organisation__code=ORGANISATION, slug=slug)
        if Plan.objects.filter(unit=unit, year=YEAR).exists():
            continue
        actor = _user(username)
        last_year = Plan.objects.filter(unit=unit, year=FROM_YEAR).order_by("-version").first()
        source = in_force(last_year) if last_year is not None else None
        plan = create_plan(
            unit, YEAR, actor=actor, mode="copy", source=source, is_example=True, note=NOTE
        )
        if slug == "regionstyrelsen":
            _plan_a_planner_starts(plan, actor)
        made.append(plan)
    return made
