"""A goal's assessment for a period: the proposal, each indicator, and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.plans.models import Goal, Plan

from .actions import decide_assessment
from .forms import DecisionForm
from .models import Assessment, IndicatorTarget, Status


def goal_assessment(request, goal_pk: int, period: str):
    plans = Plan.objects.visible_to(request.user)
    goal = get_object_or_404(
        Goal.objects.select_related("plan__unit__organisation"), pk=goal_pk, plan__in=plans
    )
    assessment = get_object_or_404(
        Assessment.objects.select_related("decided_by"), goal=goal, period=period
    )
    form = None
    if can(request.user, Perm.PLAN, goal):
        initial = {"status": assessment.decided_status or assessment.proposed_status}
        form = DecisionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                decide_assessment(assessment, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Bedömningen är sparad."))
                return redirect(request.path)
    elif request.method == "POST":
        raise PermissionDenied
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(indicator__goal=goal).select_related(
            "definition", "indicator"
        )
    }
    rows = [
        {**result, "target": targets.get(result["indicator"])}
        for result in assessment.indicator_results
    ]
    labels = dict(Status.choices)
    return render(
        request,
        "indicators/goal_assessment.html",
        {
            "goal": goal,
            "plan": goal.plan,
            "assessment": assessment,
            "rows": [{**row, "status_label": labels.get(row["status"])} for row in rows],
            "form": form,
            "breadcrumbs": [
                (goal.plan.title, goal.plan.get_absolute_url()),
                (goal.label, goal.get_absolute_url()),
                (_("Bedömning %(period)s") % {"period": period}, None),
            ],
            "goal_url": reverse("plans:goal", args=[goal.pk]),
        },
    )
