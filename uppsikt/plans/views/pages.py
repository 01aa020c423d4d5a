from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.audit.presentation import describe_all
from uppsikt.audit.trail import history
from uppsikt.plans.actions.content import IndicatorChange, update_goal
from uppsikt.plans.queries import current_plans, draft_revision, superseded_by, versions_of
from uppsikt.plans.rules import is_locked

from ..document import plan_document
from ..forms import GoalForm, IndicatorFormSet
from ..models import Goal, Plan
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
        },
    )


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
    form = GoalForm(data, instance=goal)
    indicators = IndicatorFormSet(data, instance=goal, prefix="indikatorer")
    if data is not None and form.is_valid() and indicators.is_valid():
        changes = [
            IndicatorChange(
                indicator=row.instance if row.instance.pk else None,
                text=row.cleaned_data.get("text", ""),
                delete=row.cleaned_data.get("DELETE", False),
            )
            for row in indicators.forms
            if row.has_changed() or row.instance.pk
        ]
        try:
            update_goal(goal, actor=request.user, indicators=changes, **form.cleaned_data)
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
        "breadcrumbs": [*goal_crumbs(goal), (_("Redigera"), None)],
    }
    return render(request, "plans/goal_form.html", context)
