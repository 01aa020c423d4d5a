"""A goal's follow-up: the status is the goal's assessment, the entry holds the rest.

Registered with ``followup.statuses`` in ``IndicatorsConfig.ready``.

One truth per fact. A goal's status in a follow-up is its ``indicators.Assessment`` for the
period's assessment period (``ReportingPeriod.assessment_period``: ``2023-07`` for the
delårsrapport per 31 juli, ``2023`` for the year). The automatic proposal and the human
decision stay there, decided through ``indicators.actions.decide_assessment``; the
follow-up entry keeps the analysis (comment), the responsible person and the workflow
state, and stores no status of its own.

Deciding a status that differs from the proposal needs a motivation: the entry's comment,
as plain text, is that motivation, so people write one text, not two.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.followup.statuses import StatusSource
from uppsikt.governance.words import DEFAULT
from uppsikt.lib.typing import Actor
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Goal

from .actions import decide_assessment, propose_assessment
from .assessment import EJ_BEDOMBAR
from .models import Assessment, IndicatorTarget
from .queries import target_forecasts
from .scale import scale_for_goal


def assessment_for(goal: Goal, period: ReportingPeriod) -> Assessment:
    """The goal's assessment for the period, proposed now if it does not exist yet.

    A goal without measurable indicators still gets a row (proposal "ej bedömbar"), so
    that its decision has a place to live.
    """
    key = period.assessment_period
    existing = Assessment.objects.filter(goal=goal, period=key).first()
    if existing is not None:
        return existing
    proposed = propose_assessment(goal, key)
    if proposed is not None:
        return proposed
    if goal.indicators.exists():
        reason = _(
            "Ingen av målets indikatorer är kopplad till mätvärden, så målet bedöms utan förslag."
        )
    else:
        reason = _("Målet har inga indikatorer och bedöms utan förslag.")
    assessment, _created = Assessment.objects.get_or_create(
        goal=goal,
        period=key,
        defaults={
            "proposed_status": EJ_BEDOMBAR,
            "proposed_reason": reason,
            "proposed_preliminary": False,
            "indicator_results": [],
        },
    )
    return assessment


def assessments_for(goals: Iterable[Goal], period: ReportingPeriod) -> dict[int, Assessment]:
    """``{goal pk: assessment}`` for the period, in one query (missing goals are left out)."""
    ids = [goal.pk for goal in goals]
    rows = Assessment.objects.filter(goal_id__in=ids, period=period.assessment_period)
    related = rows.select_related("decided_by", "goal__plan__unit__organisation")
    return {row.goal_id: row for row in related}


def _read(goals: Iterable[Goal], period: ReportingPeriod) -> dict[int, str | None]:
    return {pk: row.decided_status for pk, row in assessments_for(goals, period).items()}


def _write(goal: Goal, period: ReportingPeriod, *, actor: Actor, status: str, comment: str) -> None:
    if not can(actor, Perm.PLAN, goal):
        raise PermissionDenied(
            _("Målets bedömning beslutas av en planerare. Du kan skriva kommentaren.")
        )
    assessment = assessment_for(goal, period)
    if assessment.decided_status == status and assessment.comment == comment.strip():
        return
    try:
        decide_assessment(assessment, actor=actor, status=status, comment=comment)
    except ValidationError as error:
        # The decision's motivation is the follow-up's comment: name that field.
        if hasattr(error, "error_dict") and "comment" in error.error_dict:
            raise ValidationError(
                {
                    "comment": _(
                        "Bedömningen avviker från förslaget (%(proposal)s): motivera den i "
                        "kommentaren."
                    )
                    % {"proposal": assessment.get_proposed_status_display().lower()}
                }
            ) from error
        raise


def goal_status_choices(goal: Goal | None) -> list[tuple[str, str]]:
    """The statuses a goal's follow-up may take: its organisation's scale and "ej bedömbar"
    (the default scale's for None, when only the kind is known)."""
    return (scale_for_goal(goal) if goal is not None else DEFAULT).status_choices()


def _details(goals: Iterable[Goal], period: ReportingPeriod) -> dict[int, Assessment]:
    """The goals' assessments, each with ``outlook``: its indicators' prognos mot målet
    [(indicator text, unit, ``outlook.TargetForecast``)] where a forecast is made, in the
    order of its results (read at once for every goal; shown apart from the proposal,
    never as a status)."""
    found = assessments_for(goals, period)
    ids = {row["indicator"] for a in found.values() for row in a.indicator_results}
    targets = {
        target.indicator_id: target
        for target in IndicatorTarget.objects.filter(indicator__in=ids).select_related(
            "definition", "indicator"
        )
    }
    wanted = [
        (
            (assessment.goal_id, target.pk),
            target,
            assessment.goal.plan.unit.organisation,
            assessment.period,
        )
        for assessment in found.values()
        for row in assessment.indicator_results
        if (target := targets.get(row["indicator"])) is not None
    ]
    forecasts = target_forecasts(wanted)
    for assessment in found.values():
        assessment.outlook = [  # type: ignore[attr-defined]  # for the template
            (target.indicator.text, target.definition.unit, forecast)
            for key, target, _organisation, _period in wanted
            if key[0] == assessment.goal_id
            and (forecast := forecasts[key]) is not None
            and not forecast.known
        ]
    return found


def _ready_message(goal: Goal, period: ReportingPeriod) -> str:
    decided = Assessment.objects.filter(
        goal=goal, period=period.assessment_period, decided_status__isnull=False
    ).exists()
    return "" if decided else _("Besluta målets bedömning innan uppföljningen är klar.")


GOAL_STATUS = StatusSource(
    read=_read,
    write=_write,
    ready_message=_ready_message,
    details=_details,
    detail_template="indicators/followup_proposal.html",
)
