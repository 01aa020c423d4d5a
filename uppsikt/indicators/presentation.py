"""Hanging a plan's assessments on its goals for display, without extra queries per goal."""

from collections.abc import Sequence

from uppsikt.plans.models import Goal

from .models import EXAMPLE_SOURCE, Measurement


def attach_assessments(goals: Sequence[Goal]) -> bool:
    """Set ``goal.latest_assessment`` and each indicator's ``result`` from prefetched data.

    The goals should come with ``assessments`` and ``indicators__target__definition``
    prefetched (``plans.document.plan_document`` does), so this adds one query in all.

    Returns whether any of the values behind them are example data, so the page can say so.
    """
    for goal in goals:
        assessments = list(goal.assessments.all())
        latest = max(assessments, key=lambda item: item.period) if assessments else None
        goal.latest_assessment = latest
        results = {
            row.get("indicator"): row for row in (latest.indicator_results if latest else [])
        }
        for indicator in goal.indicators.all():
            indicator.result = results.get(indicator.pk)
    if not any(goal.latest_assessment for goal in goals):
        return False
    return Measurement.objects.filter(
        definition__targets__indicator__goal__in=[goal.pk for goal in goals],
        source=EXAMPLE_SOURCE,
    ).exists()
