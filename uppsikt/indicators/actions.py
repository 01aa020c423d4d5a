"""Every change to indicator data: recording measurements, proposing and deciding assessments."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record, snapshot
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Goal

from .assessment import aggregate, assess_indicator
from .models import Assessment, IndicatorDefinition, Measurement, MeasurementRevision, Status
from .periods import format_period, parse_period
from .queries import series_for


@transaction.atomic
def record_measurement(
    definition: IndicatorDefinition,
    organisation: Organisation,
    period: str,
    value,
    *,
    gender: str = "T",
    status: str = Measurement.DataStatus.SLUTLIG,
    source: str = "",
) -> Measurement:
    """Store a value; a correction keeps the value it replaces as a ``MeasurementRevision``."""
    period = format_period(parse_period(period))
    value = Decimal(str(value))
    measurement = (
        Measurement.objects.select_for_update()
        .filter(definition=definition, organisation=organisation, period=period, gender=gender)
        .first()
    )
    if measurement is None:
        return Measurement.objects.create(
            definition=definition,
            organisation=organisation,
            period=period,
            gender=gender,
            value=value,
            status=status,
            source=source,
        )
    if (measurement.value, measurement.status, measurement.source) != (value, status, source):
        MeasurementRevision.objects.create(
            measurement=measurement,
            value=measurement.value,
            status=measurement.status,
            source=measurement.source,
        )
        measurement.value, measurement.status, measurement.source = value, status, source
        measurement.save()
    return measurement


def propose_assessment(goal: Goal, period: str, *, rule: str = "alla") -> Assessment | None:
    """Compute the automatic proposal for ``goal`` and store it, keeping any decision.

    Only indicators linked to a definition (``IndicatorTarget``) count; a goal without any
    gets no assessment (None). The organisation judged is the one whose plan holds the goal.
    """
    period = format_period(parse_period(period))
    targets = [
        indicator.target
        for indicator in goal.indicators.select_related("target__definition")
        if hasattr(indicator, "target")
    ]
    if not targets:
        return None
    organisation = goal.plan.unit.organisation
    results, details = [], []
    for target in targets:
        result = assess_indicator(
            target.target_rule, series_for(target.definition), organisation, period
        )
        results.append(result)
        details.append({"indicator": target.indicator_id, **result.to_data()})
    proposal = aggregate(results, rule)
    assessment, _created = Assessment.objects.update_or_create(
        goal=goal,
        period=period,
        defaults={
            "proposed_status": proposal.status,
            "proposed_reason": proposal.reason,
            "proposed_preliminary": proposal.preliminary,
            "indicator_results": details,
        },
    )
    return assessment


def decide_assessment(assessment: Assessment, *, actor, status: str, comment: str = "") -> None:
    """Record the human decision. A comment is required when it differs from the proposal.

    Raises ``ValidationError`` and changes nothing when the status is unknown or the
    comment is missing.
    """
    require(actor, Perm.PLAN, assessment)
    if status not in Status.values:
        raise ValidationError({"status": _("Okänd bedömning.")})
    comment = comment.strip()
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        # A closed reporting period's assessments are read-only (followup owns periods).
        from uppsikt.followup.goals import ensure_assessment_open

        ensure_assessment_open(current)
        before = snapshot(current, ("decided_status", "comment"))
        if status != current.proposed_status and not comment:
            raise ValidationError(
                {"comment": _("Motivera varför bedömningen avviker från förslaget.")}
            )
        current.decided_status = status
        current.comment = comment
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["decided_status", "comment", "decided_by", "decided_at"])
        record(
            actor=actor,
            action="assessment.decide",
            obj=current,
            before=before,
            after=snapshot(current, ("decided_status", "comment")),
            reason=comment,
        )
    for name in ("decided_status", "comment", "decided_by", "decided_at"):
        setattr(assessment, name, getattr(current, name))
