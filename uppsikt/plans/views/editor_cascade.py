"""The cascade on a goal's or an aktivitet's form in the draft editor: which goals above a
goal "bidrar till" (add one, remove one), and which goals an aktivitet serves.

Each is its own small form on the ``plans:part_edit`` page, told apart by the posted
``atgard``; the changes go through ``actions.cascade``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ..actions.cascade import link_goal, set_activity_goals, unlink_goal
from ..editing import goals_above
from ..forms_editor import ActivityGoalsForm, GoalChoiceForm
from ..models import Activity, Goal, Plan

LINK, UNLINK, GOALS = "koppla", "koppla-bort", "aktivitetens-mal"


def cascade_forms(request, plan: Plan, target: Model, step: str | None) -> dict | HttpResponse:
    """The cascade forms for ``target``'s page (template context), or, when one of them
    was posted and saved, the redirect back to the page."""
    if isinstance(target, Goal):
        return _goal_links(request, plan, target, step)
    if isinstance(target, Activity):
        return _activity_goals(request, plan, target, step)
    return {}


def _back(plan: Plan, kind: str, target: Model, anchor: str) -> HttpResponse:
    url = reverse("plans:part_edit", args=[plan.pk, kind, target.pk])
    return redirect(f"{url}#{anchor}")


def _onto(form, field: str, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(field, message)


def _goal_links(request, plan: Plan, goal: Goal, step: str | None) -> dict | HttpResponse:
    linked = list(goal.contributes_to.select_related("plan__unit").order_by("plan__year", "pk"))
    linked_ids = {other.pk for other in linked}
    candidates = [other for other in goals_above(plan, request.user) if other.pk not in linked_ids]
    form = GoalChoiceForm(request.POST if step == LINK else None, goals=candidates, prefix="koppla")
    if step == LINK and form.is_valid():
        target = form.chosen()
        try:
            link_goal(goal, target, actor=request.user)
        except ValidationError as error:
            _onto(form, "target", error)
        else:
            messages.success(request, _("Målet bidrar nu till ”%(goal)s”.") % {"goal": target})
            return _back(plan, "goal", goal, "bidrar-till")
    if step == UNLINK:
        chosen = next((o for o in linked if str(o.pk) == request.POST.get("mal")), None)
        if chosen is not None:
            unlink_goal(goal, chosen, actor=request.user)
            messages.success(
                request, _("Kopplingen till ”%(goal)s” är borttagen.") % {"goal": chosen}
            )
        return _back(plan, "goal", goal, "bidrar-till")
    return {"linked": linked, "link_form": form, "has_candidates": bool(candidates)}


def _ids(goals: list[Goal]) -> str:
    return ",".join(str(pk) for pk in sorted(goal.pk for goal in goals))


def _activity_goals(
    request, plan: Plan, activity: Activity, step: str | None
) -> dict[str, Any] | HttpResponse:
    current = list(activity.contributes_to.select_related("plan__unit"))
    own = list(Goal.objects.filter(plan=plan).select_related("plan__unit").order_by("position"))
    candidates = [*own, *goals_above(plan, request.user)]
    known = {goal.pk for goal in candidates}
    candidates += [goal for goal in current if goal.pk not in known]  # an older link stays
    data = request.POST if step == GOALS else None
    form = ActivityGoalsForm(
        data, goals=candidates, prefix="mal", initial={"goals": [g.pk for g in current]}
    )
    if data is not None and form.is_valid():
        if data.get("mal-sparade", "") != _ids(current):
            form.add_error(
                None,
                _(
                    "Målen som aktiviteten bidrar till har ändrats av någon annan sedan du "
                    "öppnade sidan. Jämför med de sparade målen nedan och spara igen."
                ),
            )
        else:
            try:
                set_activity_goals(activity, form.chosen(), actor=request.user)
            except ValidationError as error:
                _onto(form, "goals", error)
            else:
                messages.success(request, _("Målen som aktiviteten bidrar till är sparade."))
                return _back(plan, "activity", activity, "aktivitetens-mal")
    return {"goals_form": form, "served": current, "served_ids": _ids(current)}
