"""Hanging a plan's assessments on its goals for display, without extra queries per goal."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.plans.models import Goal

from .models import EXAMPLE_SOURCE, Assessment, Measurement
from .periods import parse_period


def period_order(text: str) -> tuple:
    """Sort key of a period by when it ends; of periods ending together the longer is later.

    Text order is wrong here: "2023-07" sorts after "2023", but the year ends later; and the
    year 2023 is the final word on December, after 2023T3 and 2023-12.
    """
    period = parse_period(text)
    return (period.ends, period.months)


def latest_assessment(assessments: Iterable[Assessment]) -> Assessment | None:
    """The assessment of the latest period: what the plan and goal pages show for a goal.

    It is the same ``Assessment`` row the follow-up of that period decides (one truth), so
    the pages and the follow-up cannot show two statuses for the same goal and period.
    """
    return max(assessments, key=lambda item: period_order(item.period), default=None)


def attach_assessments(goals: Sequence[Goal]) -> bool:
    """Set ``goal.latest_assessment`` and each indicator's ``result`` from prefetched data.

    The goals should come with ``assessments`` and ``indicators__target__definition``
    prefetched (``plans.document.plan_document`` does), so this adds one query in all.

    Returns whether any of the values behind them are example data, so the page can say so.
    """
    for goal in goals:
        latest = latest_assessment(goal.assessments.all())
        goal.latest_assessment = latest  # type: ignore[attr-defined]  # for the pages
        results = {
            row.get("indicator"): row for row in (latest.indicator_results if latest else [])
        }
        for indicator in goal.indicators.all():
            indicator.result = results.get(indicator.pk)  # type: ignore[attr-defined]
    if not any(goal.latest_assessment for goal in goals):  # type: ignore[attr-defined]
        return False
    return Measurement.objects.filter(
        definition__targets__indicator__goal__in=[goal.pk for goal in goals],
        source=EXAMPLE_SOURCE,
    ).exists()


def plan_page_assessments(document: Any, user: Any) -> dict[str, Any]:
    """Plan-page hook: every goal's latest assessment, and whether any rests on examples."""
    return {"example_assessments": attach_assessments(document.goals)}


def goal_page_assessments(goal: Goal, user: Any) -> dict[str, Any]:
    """Goal-page hook: the goal's latest assessment, and whether it rests on examples."""
    return {"example_assessments": attach_assessments([goal])}


def editor_target_link(indicator: Any, user: Any) -> list[tuple[str, str]]:
    """The draft editor's link from an indicator to its target page, saying what is set:
    "Målregel och målvärden: Minst 60,0 %" once a rule is chosen. Reads the target only when
    the page fetched it with the indicator (the editor does), so it adds no query."""
    url = reverse("indicators:indicator_target", args=[indicator.pk])
    label = str(_("Målregel och målvärden"))
    cached = indicator._state.fields_cache
    target = cached.get("target") if "target" in cached else None
    if target is not None:
        label = _("%(label)s: %(rule)s (%(definition)s)") % {
            "label": label,
            "rule": target.describe_rule(),
            "definition": target.definition.name,
        }
    elif "target" in cached:
        label = _("%(label)s: inte vald ännu") % {"label": label}
    return [(label, url)]
