"""Every change to indicator data: recording measurements, proposing and deciding assessments."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import EVERYWHERE, Perm, require, require_somewhere, units_with
from uppsikt.accounts.commandline import or_command_line
from uppsikt.audit.trail import record, snapshot
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Goal
from uppsikt.plans.rules import PlanIsDecided, is_locked

from .derived import (
    as_data,
    derived_ids,
    describe,
    formula_data,
    formula_problems,
    lock_formulas,
    not_by_hand,
    recompute_after,
)
from .importers.validation import forbidden_organisations
from .models import (
    Aggregation,
    AggregationChoice,
    Assessment,
    DerivedIndicator,
    DerivedInput,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
    period_validator,
)
from .periods import PeriodError, format_period, parse_period

# aggregation_for and propose_assessment are part of this module's interface too.
from .proposals import aggregation_for as aggregation_for
from .proposals import propose_assessment as propose_assessment
from .proposals import repropose, repropose_for_definitions
from .rules import TargetRule, to_data
from .scale import check_decision


def _checked_measurement(
    period: str, value: Decimal | str | float, gender: str, status: str
) -> tuple[str, Decimal]:
    """The period in its stored form and the value as a Decimal; refused by field."""
    try:
        period = format_period(parse_period(period))
    except PeriodError as error:
        raise ValidationError({"period": [period_validator.message]}) from error
    if gender not in Measurement.Gender.values:
        raise ValidationError({"gender": [_("Kön anges som T, K eller M.")]})
    if status not in Measurement.DataStatus.values:
        raise ValidationError({"status": [_("Status är preliminar eller slutlig.")]})
    try:
        number = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError({"value": [_("Värdet är inte ett tal.")]}) from error
    if not number.is_finite():
        raise ValidationError({"value": [_("Värdet är inte ett tal.")]})
    return period, number


@transaction.atomic
def record_measurement(
    definition: IndicatorDefinition,
    organisation: Organisation,
    period: str,
    value: Decimal | str | float,
    *,
    gender: str = "T",
    status: str = Measurement.DataStatus.SLUTLIG,
    source: str = "",
    actor: Actor | None = None,
) -> Measurement:
    """Store one value; a correction keeps the value it replaces as a ``MeasurementRevision``.

    ``actor`` needs the right to write the organisation's values (the rule of the importers,
    ``importers.core.forbidden_organisations``); None is the command line. A new or changed
    value is written to the audit trail, and the stored proposals the value feeds are recomputed.
    Many values at once go through ``importers`` instead.
    """
    actor = or_command_line(actor)
    if organisation.pk in forbidden_organisations(actor):
        raise PermissionDenied(
            _("Du har inte behörighet att ändra värden för %(name)s.") % {"name": organisation}
        )
    period, value = _checked_measurement(period, value, gender, status)
    if derived_ids([definition.pk]):
        raise ValidationError({"value": [not_by_hand(definition)]})
    measurement = (
        Measurement.stored.select_for_update()
        .filter(definition=definition, organisation=organisation, period=period, gender=gender)
        .first()
    )
    fields = ("value", "status", "source")
    if measurement is None or measurement.withdrawn:
        # A withdrawn value (``importers.core``) is in the history already: it comes back.
        measurement = measurement or Measurement(
            definition=definition, organisation=organisation, period=period, gender=gender
        )
        measurement.value, measurement.status, measurement.source = value, status, source
        measurement.withdrawn = False
        measurement.save()
        record(
            actor=actor,
            action="measurement.record",
            obj=measurement,
            after=snapshot(measurement, fields),
        )
    elif (measurement.value, measurement.status, measurement.source) != (value, status, source):
        before = snapshot(measurement, fields)
        MeasurementRevision.objects.create(
            measurement=measurement,
            value=measurement.value,
            status=measurement.status,
            source=measurement.source,
        )
        measurement.value, measurement.status, measurement.source = value, status, source
        measurement.save()
        record(
            actor=actor,
            action="measurement.correct",
            obj=measurement,
            before=before,
            after=snapshot(measurement, fields),
        )
    else:
        return measurement  # the same value again: nothing changed
    repropose_for_definitions([definition.pk])
    recompute_after([definition.pk], [organisation.pk])
    return measurement


def set_target_rule(target: IndicatorTarget, *, actor: Actor, rule: TargetRule) -> None:
    """Confirm or change an indicator's target rule; the goal's proposals are recomputed.

    Afterwards the rule is no longer an unconfirmed proposal read from the sentence.

    On a decided plan the rule is part of what was decided: a person may confirm the
    proposed reading unchanged (that records that someone agrees with how Uppsikt read the
    decided text), but changing it is refused with ``PlanIsDecided`` — change it in a new
    version of the plan ("Revidera planen"). Confirming a rule that is already confirmed
    changes nothing and records nothing.

    >>> set_target_rule(target, actor=anna, rule=target.target_rule)  # confirm as read
    >>> set_target_rule(target, actor=anna, rule=ThresholdRule(minimum=Decimal("60")))
    Traceback (most recent call last):
    PlanIsDecided: … är beslutad … Revidera planen …
    """
    require(actor, Perm.PLAN, target)
    with transaction.atomic():
        current = IndicatorTarget.objects.select_for_update().get(pk=target.pk)
        unchanged = rule == current.target_rule  # by value: 50 and 50,0 are the same rule
        if not unchanged and is_locked(current):
            raise PlanIsDecided(
                _(
                    "%(plan)s är beslutad: målregeln kan bekräftas som den står men inte "
                    "ändras. Välj Revidera planen och ändra regeln i den nya versionen."
                )
                % {"plan": current.indicator.goal.plan.title},
                code="plan_decided",
            )
        if unchanged and not current.awaits_confirmation:
            return
        before = {"rule": current.rule, "rule_is_proposed": current.rule_is_proposed}
        if current.rule_confirmed_as_example:
            before["rule_confirmed_as_example"] = True
        if not unchanged:
            current.rule = to_data(rule)
        current.rule_is_proposed = current.rule_confirmed_as_example = False
        current.save(update_fields=["rule", "rule_is_proposed", "rule_confirmed_as_example"])
        record(
            actor=actor,
            action="indicator_target.confirm_rule" if unchanged else "indicator_target.set_rule",
            obj=current,
            before=before,
            after={"rule": current.rule, "rule_is_proposed": False},
            reason=rule.describe(current.definition.unit),
        )
        goal = current.indicator.goal
        affected = [goal, *goal.contributes_to.all()]
        repropose(affected)
    target.rule, target.rule_is_proposed = current.rule, False
    target.rule_confirmed_as_example = False


def set_aggregation(goal: Goal, *, actor: Actor, rule: str, whole_plan: bool = False) -> None:
    """Choose how ``goal`` (or every goal of its plan) aggregates its indicators."""
    require(actor, Perm.PLAN, goal)
    if rule not in Aggregation.values:
        raise ValidationError({"rule": _("Okänd sammanvägningsregel.")})
    with transaction.atomic():
        before = {"rule": aggregation_for(goal)[0]}
        if whole_plan:
            choice, _created = AggregationChoice.objects.update_or_create(
                plan=goal.plan, goal=None, defaults={"rule": rule}
            )
            AggregationChoice.objects.filter(plan=goal.plan, goal__isnull=False).delete()
            goals = list(Goal.objects.filter(plan=goal.plan))
        else:
            choice, _created = AggregationChoice.objects.update_or_create(
                goal=goal, defaults={"plan": goal.plan, "rule": rule}
            )
            goals = [goal]
        record(
            actor=actor,
            action="assessment.set_aggregation",
            obj=choice,
            before=before,
            after={"rule": rule, "whole_plan": whole_plan},
        )
        repropose(goals)


def decide_assessment(
    assessment: Assessment, *, actor: Actor, status: str, comment: str = ""
) -> None:
    """Record the human decision. A comment is required when it differs from the proposal.

    ``status`` is a step of the organisation's assessment scale or "ej_bedombar"
    (``scale.check_decision``). Raises ``ValidationError`` and changes nothing when the
    status is not, or the comment is missing.
    """
    require(actor, Perm.PLAN, assessment)
    check_decision(assessment.scale, status)
    comment = comment.strip()
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        # A closed reporting period's assessments are read-only.
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


DEFINITION_FIELDS = (
    "key",
    "name",
    "description",
    "unit",
    "polarity",
    "source_kind",
    "source_code",
    "by_gender",
)


def require_definition_change(actor: Actor, definition: IndicatorDefinition) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may change ``definition``: ``plan`` on
    some unit, and on every unit whose plans' indicators it measures."""
    require_somewhere(actor, Perm.PLAN)
    allowed = units_with(actor, Perm.PLAN)
    users = set(
        IndicatorTarget.objects.filter(definition=definition).values_list(
            "indicator__goal__plan__unit_id", flat=True
        )
    )
    if allowed is not EVERYWHERE and not users <= allowed:
        raise PermissionDenied(
            _("Definitionen används av andra enheters indikatorer och kan inte ändras här.")
        )


@transaction.atomic
def save_definition(
    definition: IndicatorDefinition | None, *, actor: Actor, reason: str = "", **changes: Any
) -> IndicatorDefinition:
    """Create (``definition`` None) or change an indicator definition; validated by the
    model's rules (choices, lengths, a unique key), audited (``reason`` says why, e.g. a
    Kolada KPI linked to it).

    Definitions belong to no unit: creating one needs ``plan`` on some unit. A definition
    that plans use changes only with ``plan`` on every unit whose indicators it measures,
    so no one redefines what another unit's goals are followed up with.
    """
    require_somewhere(actor, Perm.PLAN)
    unknown = set(changes) - set(DEFINITION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if definition is None:
        definition, before = IndicatorDefinition(), None
    else:
        definition = IndicatorDefinition.objects.select_for_update().get(pk=definition.pk)
        require_definition_change(actor, definition)
        before = snapshot(definition, DEFINITION_FIELDS)
    for name, value in changes.items():
        setattr(definition, name, value)
    definition.full_clean()
    after = snapshot(definition, DEFINITION_FIELDS)
    if after == before:
        return definition
    created = definition.pk is None
    definition.save()
    record(
        actor=actor,
        action="indicator_definition.create" if created else "indicator_definition.update",
        obj=definition,
        before=before,
        after=after,
        reason=reason,
    )
    if not created:
        repropose_for_definitions([definition.pk])
        recompute_after([definition.pk])  # a derived one per kön or not: its values follow
    return definition


def copy_targets(copies: dict[str, dict[int, Model]]) -> None:
    """Plan-copy hook: an indicator's target (definition and rule) is part of what was
    decided, so a copy of the plan's indicators gets a copy of their targets."""
    indicators = copies.get("plans.indicator", {})
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            indicator_id=indicators[target.indicator_id].pk,
            definition_id=target.definition_id,
            rule=target.rule,
            rule_is_proposed=target.rule_is_proposed,
            rule_confirmed_as_example=target.rule_confirmed_as_example,
        )
        for target in IndicatorTarget.objects.filter(indicator_id__in=list(indicators))
    )


def ensure_assessment_open(assessment: Assessment) -> None:
    """Refuse to change an assessment that a closed reporting period reports.

    Called by ``indicators.actions.decide_assessment``, so the goal page cannot change what
    a closed delårsrapport says either.
    """
    organisation_id = assessment.goal.plan.unit.organisation_id
    year = int(assessment.period[:4])
    for period in ReportingPeriod.objects.filter(
        organisation_id=organisation_id, year=year, status=ReportingPeriod.Status.CLOSED
    ):
        if period.assessment_period == assessment.period:
            raise ValidationError(
                _("Bedömningen hör till %(name)s, som är stängt, och kan inte ändras.")
                % {"name": period.name}
            )


def _inputs_of(inputs: Sequence[IndicatorDefinition | str]) -> list[IndicatorDefinition | None]:
    """The input definitions by position (given as definitions or keys); None where missing."""
    keys = [item.key if isinstance(item, IndicatorDefinition) else str(item) for item in inputs]
    found = IndicatorDefinition.objects.in_bulk(keys, field_name="key")
    return [found.get(key) for key in keys]


@transaction.atomic
def define_derived(
    definition: IndicatorDefinition,
    *,
    kind: str,
    inputs: Sequence[IndicatorDefinition | str],
    factor: Decimal | str | int = 1,
    decimals: int = 1,
    actor: Actor,
) -> DerivedIndicator:
    """Make ``definition`` a derived indicator, or change its formula; the same people may as
    may change the definition (``require_definition_change``).

    Refused (``ValidationError`` by field, with codes, nothing changed) by
    ``derived.formula_problems``: the count of inputs, a missing input, a reference to itself
    directly or through others, units, factor, decimals, values from another source. Audited;
    the values are recomputed once the transaction has committed. The factor applies to a
    ratio only (others keep 1).
    """
    require_definition_change(actor, definition)
    lock_formulas()
    definition = IndicatorDefinition.objects.select_for_update().get(pk=definition.pk)
    found = _inputs_of(inputs)
    problems = formula_problems(definition, kind, found, factor, decimals)
    if problems:
        raise ValidationError(problems)
    present = [item for item in found if item is not None]
    number = Decimal(str(factor)) if kind == DerivedIndicator.Kind.RATIO else Decimal(1)
    derivation = DerivedIndicator.objects.filter(definition=definition).first()
    before = formula_data(derivation)
    after = as_data(kind, [item.key for item in present], number, decimals)
    if derivation is not None and after == before:
        return derivation
    derivation = derivation or DerivedIndicator(definition=definition)
    derivation.kind, derivation.factor, derivation.decimals = kind, number, decimals
    derivation.save()
    derivation.inputs.all().delete()
    DerivedInput.objects.bulk_create(
        DerivedInput(derived=derivation, definition=item, position=index)
        for index, item in enumerate(present)
    )
    record(
        actor=actor,
        action="indicator_definition.derive",
        obj=definition,
        before=before,
        after=after,
        reason=describe(derivation),
    )
    recompute_after([definition.pk])
    return derivation


@transaction.atomic
def remove_derivation(definition: IndicatorDefinition, *, actor: Actor) -> None:
    """``definition`` is no longer computed: its formula goes, its values stay as they were
    last computed (source ``beräknat``) and from now on it takes values like any indicator.
    Audited; refused (code ``not_derived``) when it has no formula."""
    require_definition_change(actor, definition)
    lock_formulas()
    derivation = DerivedIndicator.objects.filter(definition=definition).first()
    if derivation is None:
        raise ValidationError(
            {"definition": [coded(_("Indikatorn beräknas inte."), "not_derived")]}
        )
    before = formula_data(derivation)
    reason = describe(derivation)
    derivation.delete()
    record(
        actor=actor,
        action="indicator_definition.underive",
        obj=definition,
        before=before,
        reason=reason,
    )
