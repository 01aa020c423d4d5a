"""A goal's assessment for a period: the proposal, each indicator, and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.plans.models import Goal, Plan

from ..actions import aggregation_for, decide_assessment, set_aggregation
from ..aggregation import explain_aggregation
from ..forms import AggregationForm, DecisionForm
from ..models import EXAMPLE_SOURCE, Aggregation, Assessment, IndicatorTarget, Measurement
from ..outlook import METHOD_CONTEXT
from ..periods import assessment_period_label, parse_period
from ..queries import target_forecasts
from ..scale import outcome_words


def goal_assessment(request, goal_pk: int, period: str):
    plans = Plan.objects.visible_to(request.user)
    goal = get_object_or_404(
        Goal.objects.select_related("plan__unit__organisation"), pk=goal_pk, plan__in=plans
    )
    assessment = get_object_or_404(
        Assessment.objects.select_related("decided_by"), goal=goal, period=period
    )
    assessment.goal = goal  # its plan and unit are read: the scale costs no query
    form = aggregation_form = None
    may_plan = can(request.user, Perm.PLAN, goal)
    aggregation, aggregation_from = aggregation_for(goal)
    if may_plan:
        posted = request.POST if request.method == "POST" else None
        is_aggregation = posted is not None and "rule" in posted
        aggregation_form, done = _aggregation_form(
            request, goal, posted if is_aggregation else None, aggregation, aggregation_from
        )
        if done:
            return done
        form, done = _decision_form(request, assessment, None if is_aggregation else posted)
        if done:
            return done
    elif request.method == "POST":
        raise PermissionDenied
    rows, has_example = _indicator_rows(assessment, goal)
    return render(
        request,
        "indicators/goal_assessment.html",
        {
            "goal": goal,
            "plan": goal.plan,
            "assessment": assessment,
            "rows": rows,
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
            "has_forecast": any(row["outlook"] for row in rows),
            "forecast_needed": any(row["outlook"] and not row["outlook"].known for row in rows),
            "forecast_year": parse_period(assessment.period).year,
            **METHOD_CONTEXT,
        },
    )


def _aggregation_form(request, goal: Goal, data, aggregation, aggregation_from):
    """The form for the goal's aggregation rule, and the redirect when ``data`` saved it."""
    form = AggregationForm(
        data,
        initial={"rule": aggregation, "scope": "plan" if aggregation_from == "plan" else "goal"},
    )
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        set_aggregation(
            goal, actor=request.user, rule=cleaned["rule"], whole_plan=cleaned["scope"] == "plan"
        )
        messages.success(request, _("Sammanvägningsregeln är sparad och förslaget omräknat."))
        return form, redirect(request.path)
    return form, None


def _decision_form(request, assessment: Assessment, data):
    """The decision form, and the redirect when ``data`` decided the assessment."""
    initial = {"status": assessment.decided_status or assessment.proposed_status}
    form = DecisionForm(data, initial=initial, scale=assessment.scale)
    if data is not None and form.is_valid():
        try:
            decide_assessment(assessment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Bedömningen är sparad."))
            return form, redirect(request.path)
    return form, None


def _indicator_rows(assessment: Assessment, goal: Goal) -> tuple[list[dict], bool]:
    """The assessment's indicator results with their targets and status labels, and whether
    any of their definitions has the demo's example values for the goal's organisation."""
    results = assessment.indicator_results
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            indicator__in=[row["indicator"] for row in results]
        ).select_related("definition", "indicator__goal__plan__unit")
    }
    rows = [
        {**row, "target": targets.get(row["indicator"]), **outcome_words(assessment.scale, row)}
        for row in results
    ]
    organisation = goal.plan.unit.organisation
    forecasts = target_forecasts(
        [
            (i, row["target"], organisation, assessment.period)
            for i, row in enumerate(rows)
            if row["target"] is not None
        ]
    )
    for i, row in enumerate(rows):
        row["outlook"] = forecasts.get(i)
    has_example = Measurement.objects.filter(
        definition__in={t.definition_id for t in targets.values()},
        organisation=goal.plan.unit.organisation,
        source=EXAMPLE_SOURCE,
    ).exists()
    return rows, has_example
