from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.audit.presentation import describe_all
from uppsikt.audit.trail import history, last_saved
from uppsikt.lib.concurrency import Conflict, stale
from uppsikt.lib.pagecache import cache_public
from uppsikt.plans.actions.content import IndicatorChange, update_goal
from uppsikt.plans.queries import (
    current_plans,
    current_versions,
    draft_revision,
    superseded_by,
    versions_of,
)
from uppsikt.plans.rules import is_locked

from ..document import plan_document
from ..forms import GoalForm, IndicatorFormSet
from ..models import Goal, Indicator, Plan
from ..page import contribute, goal_page, plan_page


def plan_crumbs(plan: Plan) -> list[tuple[str, str | None]]:
    unit = plan.unit
    return [
        (unit.organisation.name, unit.organisation.get_absolute_url()),
        (unit.name, unit.get_absolute_url()),
        (plan.title, plan.get_absolute_url()),
    ]


def goal_crumbs(goal: Goal) -> list[tuple[str, str | None]]:
    return [*plan_crumbs(goal.plan), (goal.label, goal.get_absolute_url())]


def _last_is_current(crumbs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    return [*crumbs[:-1], (crumbs[-1][0], None)]


def _visible_plans(request):
    return Plan.objects.visible_to(request.user).select_related("unit__organisation", "decided_by")


@cache_public  # anonymous visitors see decided plans only (Plan.objects.visible_to)
def plan_detail(request, pk: int):
    plan = get_object_or_404(_visible_plans(request), pk=pk)
    document = plan_document(plan, request.user)
    organisation = plan.unit.organisation
    vision = organisation.visions.last()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "document": document,
            "vision": vision,
            **contribute(plan_page, document, request.user),
            "breadcrumbs": _last_is_current(plan_crumbs(plan)),
            **version_context(request, plan),
            "next_year_plan": _next_year_plan(request, plan),
        },
    )


def _next_year_plan(request, plan: Plan) -> Plan | None:
    """The unit's plan for the year after ``plan``'s, as the reader may see it."""
    plans = Plan.objects.visible_to(request.user).filter(pk__in=current_versions())
    return plans.filter(unit_id=plan.unit_id, year=plan.year + 1).order_by("-version").first()


def version_context(request, plan: Plan) -> dict:
    """What the plan and goal pages say about the plan's versions."""
    versions = list(versions_of(plan, request.user))
    return {
        "versions": versions if len(versions) > 1 else [],
        "superseded_by": superseded_by(plan),
        "draft_revision": draft_revision(plan) if can(request.user, Perm.VIEW, plan) else None,
        "is_locked": plan.is_published,
    }


def _visible_goal(request, pk: int) -> Goal:
    plans = Plan.objects.visible_to(request.user)
    queryset = Goal.objects.select_related(
        "plan__unit__organisation", "perspective", "strategy", "focus_area", "section"
    ).prefetch_related("indicators__target__definition", "assessments")
    return get_object_or_404(queryset, pk=pk, plan__in=plans)


def goal_detail(request, pk: int):
    goal = _visible_goal(request, pk)
    current = current_plans(request.user)  # readable, and not replaced by a newer version
    related = Goal.objects.select_related("plan__unit").filter(plan__in=current)
    return render(
        request,
        "plans/goal_detail.html",
        {
            "goal": goal,
            "plan": goal.plan,
            **contribute(goal_page, goal, request.user),
            "breadcrumbs": _last_is_current(goal_crumbs(goal)),
            "contributes_to": related.filter(contributions=goal).order_by("plan__year", "position"),
            "contributions": related.filter(contributes_to=goal).order_by(
                "plan__unit__position", "position"
            ),
            "history": describe_all(history(goal)) if can(request.user, Perm.VIEW, goal) else None,
            "activities": goal.activities_contributing.select_related("plan__unit").filter(
                plan__in=current
            ),
            **version_context(request, goal.plan),
        },
    )


@login_required
def goal_edit(request, pk: int):
    goal = _visible_goal(request, pk)
    require(request.user, Perm.PLAN, goal)
    if is_locked(goal):  # a decided plan changes through a revision
        url = reverse("plans:revise", args=[goal.plan_id])
        return redirect(f"{url}?{urlencode({'mal': goal.pk})}")
    data = request.POST if request.method == "POST" else None
    # As stored now, before the forms write what was posted onto the instances.
    now, version = {name: getattr(goal, name) for name in GoalForm.Meta.fields}, goal.row_version
    stored = {indicator.pk: indicator for indicator in Indicator.objects.filter(goal=goal)}
    form = GoalForm(data, instance=goal)
    indicators = IndicatorFormSet(data, instance=goal, prefix="indikatorer")
    conflicts: dict[int, Conflict] = {}  # 0: the goal's own words; else an indicator's id
    if data is not None and form.is_valid() and indicators.is_valid():
        own = {name: form.cleaned_data[name] for name in form.changed_data}
        expected = form.expected_version(version, now) if own else None
        if expected is not None and expected != version:
            error = stale(goal.label, current=version, expected=expected)
            conflicts[0] = form.refuse(
                error, now, version=version, name=goal.label, saved=last_saved(goal)
            )
        changes = _indicator_changes(indicators, stored, conflicts, goal)
        if not conflicts:  # the action checks again, under lock, for what happens meanwhile
            try:
                update_goal(
                    goal, actor=request.user, indicators=changes, expected_version=expected, **own
                )
            except ValidationError as error:  # e.g. the plan was decided meanwhile
                form.add_error(None, error)
            else:
                messages.success(request, _("Målet är sparat."))
                return redirect(goal.get_absolute_url())
    context = {
        "goal": goal,
        "plan": goal.plan,
        "form": form,
        "indicators": indicators,
        "conflict": conflicts.get(0),
        "indicator_conflicts": [
            (row, conflicts.get(row.instance.pk or -1)) for row in indicators.forms
        ],
        "breadcrumbs": [*goal_crumbs(goal), (_("Redigera"), None)],
    }
    return render(request, "plans/goal_form.html", context)


def _indicator_changes(
    indicators, stored: dict[int, Indicator], conflicts: dict[int, Conflict], goal: Goal
) -> list[IndicatorChange]:
    """The indicator rows as the action takes them; a row changed here but saved by someone
    else since the page was opened goes into ``conflicts`` (by the indicator's id)."""
    changes = []
    for row in indicators.forms:
        change = _indicator_change(row, stored)
        if change is None:
            continue
        current = stored.get(change.indicator.pk) if change.indicator else None
        expected = change.expected_version
        if current is not None and expected is not None and expected != current.row_version:
            conflicts[current.pk] = row.refuse(
                stale(current.text, current=current.row_version, expected=expected),
                {"text": current.text},
                version=current.row_version,
                name=current.text,
                saved=last_saved(goal),  # the goal's record holds its indicators
            )
        changes.append(change)
    return changes


def _indicator_change(row, stored: dict[int, Indicator]) -> IndicatorChange | None:
    """One row of the indicator list as the action takes it: only what its user changed,
    against the version the page was opened with; an untouched row keeps its place."""
    delete = row.cleaned_data.get("DELETE", False)
    text = row.cleaned_data.get("text", "")
    current = stored.get(row.instance.pk) if row.instance.pk else None
    if current is None:  # the empty row for a new indicator
        return IndicatorChange(None, text) if row.has_changed() and not delete else None
    if not delete and "text" not in row.changed_data:
        return IndicatorChange(current, None)
    expected = row.expected_version(current.row_version, {"text": current.text})
    return IndicatorChange(
        current, None if delete else text, delete=delete, expected_version=expected
    )
