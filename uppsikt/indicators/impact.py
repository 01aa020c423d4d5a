"""What removing an indicator or a goal of a plan affects in the indicators app, in plain
Swedish, for the confirmation a planner is asked for before removing it.

``impact(obj)`` is the entry point a registry in ``plans`` calls for any object: it answers
for ``plans.Indicator`` and ``plans.Goal`` and returns ``[]`` for anything else.

    >>> indicator_removal_impact(indicator)
    ['Indikatorn har målregeln ”Minst 60,0 %” och mäts med definitionen Frisktal, som har
      mätvärden för 3 perioder för Region Örebro län. Målregeln tas bort; definitionen och
      mätvärdena finns kvar i indikatorbiblioteket.', …]
"""

from collections.abc import Iterable

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.plans.models import Goal, Indicator

from .models import Assessment, IndicatorTarget, Measurement
from .periods import assessment_period_label


def impact(obj: Model) -> list[str]:
    """What removing ``obj`` affects here: sentences for an indicator or a goal, else []."""
    if isinstance(obj, Indicator):
        return indicator_removal_impact(obj)
    if isinstance(obj, Goal):
        return goal_removal_impact(obj)
    return []


def indicator_removal_impact(indicator: Indicator) -> list[str]:
    """Its target (rule and definition, with how many periods the definition has values for
    the plan's organisation) and the assessments that were proposed from it."""
    sentences = []
    target = (
        IndicatorTarget.objects.select_related("definition", "indicator__goal__plan__unit")
        .filter(indicator=indicator)
        .first()
    )
    if target is not None:
        sentences.append(_target_sentence(target))
    goal = indicator.goal
    used = [
        assessment
        for assessment in Assessment.objects.filter(goal__in=[goal, *goal.contributes_to.all()])
        .select_related("goal__plan__unit")
        .order_by("goal__plan__year", "goal__position", "period")
        if any(row.get("indicator") == indicator.pk for row in assessment.indicator_results)
    ]
    if used:
        sentences.append(
            ngettext(
                "Bedömningen %(assessments)s bygger på indikatorn och räknas om utan den.",
                "Bedömningarna %(assessments)s bygger på indikatorn och räknas om utan den.",
                len(used),
            )
            % {"assessments": _listed(used)}
        )
    return sentences


def _target_sentence(target: IndicatorTarget) -> str:
    definition = target.definition
    organisation = target.indicator.goal.plan.unit.organisation
    periods = (
        Measurement.objects.filter(definition=definition, organisation=organisation)
        .values("period")
        .distinct()
        .count()
    )
    values = ngettext(
        "som har mätvärden för %(count)s period för %(organisation)s",
        "som har mätvärden för %(count)s perioder för %(organisation)s",
        periods,
    ) % {"count": periods, "organisation": organisation.name}
    if not periods:
        values = _("som inte har några mätvärden för %(organisation)s") % {
            "organisation": organisation.name
        }
    return _(
        "Indikatorn har målregeln ”%(rule)s” och mäts med definitionen %(definition)s, "
        "%(values)s. Målregeln tas bort; definitionen och mätvärdena finns kvar i "
        "indikatorbiblioteket."
    ) % {"rule": target.describe_rule(), "definition": definition.name, "values": values}


def goal_removal_impact(goal: Goal) -> list[str]:
    """Its assessments (removed with it), its indicators' targets, and the assessments of
    the goals it contributes to that were proposed from its indicators."""
    sentences = []
    own = list(Assessment.objects.filter(goal=goal).order_by("period"))
    if own:
        sentence = ngettext(
            "Målet har en bedömning (%(periods)s), som tas bort med målet.",
            "Målet har %(count)s bedömningar (%(periods)s), som tas bort med målet.",
            len(own),
        ) % {
            "count": len(own),
            "periods": ", ".join(assessment_period_label(a.period) for a in own),
        }
        if decided := sum(1 for assessment in own if assessment.decided_status is not None):
            sentence += " " + ngettext(
                "%(count)s av dem är beslutad av en person.",
                "%(count)s av dem är beslutade av en person.",
                decided,
            ) % {"count": decided}
        sentences.append(sentence)
    targets = IndicatorTarget.objects.filter(indicator__goal=goal).count()
    if targets:
        sentences.append(
            ngettext(
                "En av målets indikatorer har definition och målregel; de tas bort med målet "
                "(definitionerna och mätvärdena finns kvar i indikatorbiblioteket).",
                "%(count)s av målets indikatorer har definition och målregel; de tas bort med "
                "målet (definitionerna och mätvärdena finns kvar i indikatorbiblioteket).",
                targets,
            )
            % {"count": targets}
        )
    indicator_ids = set(Indicator.objects.filter(goal=goal).values_list("pk", flat=True))
    above = [
        assessment
        for assessment in Assessment.objects.filter(goal__in=goal.contributes_to.all())
        .select_related("goal__plan__unit")
        .order_by("goal__plan__year", "goal__position", "period")
        if any(row.get("indicator") in indicator_ids for row in assessment.indicator_results)
    ]
    if above:
        sentences.append(
            ngettext(
                "Bedömningen %(assessments)s bygger också på målets indikatorer och räknas "
                "om utan dem.",
                "Bedömningarna %(assessments)s bygger också på målets indikatorer och räknas "
                "om utan dem.",
                len(above),
            )
            % {"assessments": _listed(above)}
        )
    return sentences


def _listed(assessments: Iterable[Assessment]) -> str:
    """“Regionstyrelsen mål 2 (2023), …”: each assessment by its goal and period."""
    return ", ".join(
        f"{a.goal.plan.unit.name} {a.goal.label} ({assessment_period_label(a.period)})"
        for a in assessments
    )
