"""A goal's assessment for a period: the proposal, each indicator, and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.plans.models import Goal, Plan

from ..actions import aggregation_for, decide_assessment, set_aggregation
from ..assessment import explain_aggregation
from ..forms import AggregationForm, DecisionForm
from ..models import EXAMPLE_SOURCE, Aggregation, Assessment, IndicatorTarget, Measurement, Status
from ..periods import assessment_period_label


def goal_assessment(request, goal_pk: int, period: str):
    plans = Plan.objects.visible_to(request.user)
    goal = get_object_or_404(
        Goal.objects.select_related("plan__unit__organisation"), pk=goal_pk, plan__in=plans
    )
    assessment = get_object_or_404(
        Assessment.objects.select_related("decided_by"), goal=goal, period=period
    )
    form = aggregation_form = None
    may_plan = can(request.user, Perm.PLAN, goal)
    aggregation, aggregation_from = aggregation_for(goal)
    if may_plan:
        posted = request.POST if request.method == "POST" else None
        is_aggregation = posted is not None and "rule" in posted
        aggregation_form = AggregationForm(
            posted if is_aggregation else None,
            initial={
                "rule": aggregation,
                "scope": "plan" if aggregation_from == "plan" else "goal",
            },
        )
        if is_aggregation and aggregation_form.is_valid():
            data = aggregation_form.cleaned_data
            set_aggregation(
                goal, actor=request.user, rule=data["rule"], whole_plan=data["scope"] == "plan"
            )
            messages.success(request, _("Sammanvägningsregeln är sparad och förslaget omräknat."))
            return redirect(request.path)
        initial = {"status": assessment.decided_status or assessment.proposed_status}
        form = DecisionForm(None if is_aggregation else posted, initial=initial)
        if posted is not None and not is_aggregation and form.is_valid():
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
    results = assessment.indicator_results
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            indicator__in=[row["indicator"] for row in results]
        ).select_related("definition", "indicator__goal__plan__unit")
    }
    rows = [{**row, "target": targets.get(row["indicator"])} for row in results]
    labels = dict(Status.choices)
    has_example = Measurement.objects.filter(
        definition__in={t.definition_id for t in targets.values()},
        organisation=goal.plan.unit.organisation,
        source=EXAMPLE_SOURCE,
    ).exists()
    return render(
        request,
        "indicators/goal_assessment.html",
        {
            "goal": goal,
            "plan": goal.plan,
            "assessment": assessment,
            "rows": [{**row, "status_label": labels.get(row["status"])} for row in rows],
            "form": form,
            "may_plan": may_plan,
            "has_example": has_example,
            "aggregation_form": aggregation_form,
            "aggregation_label": Aggregation(assessment.aggregation).label,
            "aggregation_explanation": explain_aggregation(assessment.aggregation),
            "aggregation_from": aggregation_from,
            "aggregation_changed": aggregation != assessment.aggregation,
            "breadcrumbs": [
                (goal.plan.title, goal.plan.get_absolute_url()),
                (goal.label, goal.get_absolute_url()),
                (_("Bedömning %(period)s") % {"period": assessment_period_label(period)}, None),
            ],
            "goal_url": reverse("plans:goal", args=[goal.pk]),
        },
    )
