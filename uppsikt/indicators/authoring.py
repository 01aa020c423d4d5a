"""Authoring an indicator of a draft plan: what it is measured with and how it is judged.

``set_indicator_target`` gives a plan's indicator (``plans.Indicator``) its definition —
one from the indicator library, or a new one described in the same call — and its target
rule (with target values per year for a ``TargetValueRule``), in one transaction and one
audit event. ``remove_indicator_target`` takes them away again. Both refuse a decided plan
(revise it first) and, with ``expected_version`` (the indicator's ``row_version`` when the
caller read it), a change made from a stale page; a change moves the indicator's version on.

``rule_errors`` is the check the action makes of a rule against the definition's unit ("a
target value that does not fit the unit"); the authoring form and the preview use it too, so
the page, the API and the action refuse the same rules with the same words. The action's
refusals carry a machine-readable code per message (``RULE_CODES``; a new definition's:
``required``, ``invalid_choice`` and the model's own), which the REST API reports.

    >>> set_indicator_target(
    ...     indicator, actor=anna, definition=library_definition,
    ...     rule=ThresholdRule(minimum=Decimal("60")),
    ... )
    >>> set_indicator_target(
    ...     indicator, actor=anna,
    ...     new_definition={"name": "Andel nöjda", "unit": "procent"},
    ...     rule=TargetValueRule((("2024", Decimal("55")), ("2025", Decimal("60")))),
    ... )
"""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import snapshot
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Indicator
from uppsikt.plans.rules import ensure_editable
from uppsikt.plans.trail import record_in_plan

from .formatting import format_value
from .models import IndicatorDefinition, IndicatorTarget
from .proposals import repropose
from .rules import (
    BalanceRule,
    ChangeRule,
    ReferenceRule,
    TargetRule,
    TargetValueRule,
    ThresholdRule,
    rule_from_data,
    to_data,
)

Unit = IndicatorDefinition.Unit

# What a new definition may be given (``key`` is made from the name when not given).
NEW_DEFINITION_FIELDS = (
    "name",
    "unit",
    "polarity",
    "description",
    "source_kind",
    "source_code",
    "by_gender",
    "key",
)
# Rules that judge a measured value: nothing to judge for a definition with no unit.
MEASURING_RULES = (ChangeRule, ThresholdRule, ReferenceRule, BalanceRule, TargetValueRule)
SHARES = (Unit.PROCENT, Unit.ANDEL)
NOT_NEGATIVE = (Unit.PROCENT, Unit.ANDEL, Unit.ANTAL, Unit.DAGAR)


# -- checking a rule against the unit ------------------------------------------------------


def value_problem(value: Decimal, unit: str) -> str | None:
    """Why ``value`` cannot be a target value of ``unit``, or None when it fits.

    Shares (procent, andel) lie between 0 and 100; counts and days are not negative; a
    count is whole. Other units (kronor, mnkr, index) take any number."""
    if unit in SHARES and not Decimal(0) <= value <= Decimal(100):
        return _("%(value)s passar inte enheten: en andel i procent ligger mellan 0 och 100.") % {
            "value": format_value(value, unit)
        }
    if unit in NOT_NEGATIVE and value < 0:
        return _("%(value)s passar inte enheten %(unit)s: värdet kan inte vara negativt.") % {
            "value": format_value(value, unit, decimals=_places(value)),
            "unit": Unit(unit).label,
        }
    if unit == Unit.ANTAL and value != value.to_integral_value():
        return _("%(value)s passar inte enheten antal: ett antal är ett heltal.") % {
            "value": format_value(value, unit, decimals=_places(value))
        }
    return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rule_errors(rule: TargetRule, unit: str) -> dict[str, list[str]]:
    """What is wrong with ``rule`` for a definition of ``unit``, by field, each message
    naming its field ("Minst (gränsvärde): …"); empty when nothing is. ``unit`` "" (no
    definition chosen yet) checks the rule on its own, without the unit."""
    return {
        name: [str(problem.message) for problem in problems]
        for name, problems in rule_refusals(rule, unit).items()
    }


def rule_refusals(rule: TargetRule, unit: str) -> dict[str, list[ValidationError]]:
    """``rule_errors`` with a machine-readable code per message (``RULE_CODES``), as the
    action raises them."""
    refusals: dict[str, list[ValidationError]] = {}
    for name, label, message, code in _rule_checks(rule, unit):
        refusals.setdefault(name, []).append(coded(f"{label}: {message}", code))
    return refusals


def rule_problems(rule: TargetRule, unit: str) -> dict[str, list[tuple[str, str]]]:
    """``rule_errors`` as (field label, message) pairs, for a form that shows the label
    itself."""
    problems: dict[str, list[tuple[str, str]]] = {}
    for name, label, message, _code in _rule_checks(rule, unit):
        problems.setdefault(name, []).append((label, message))
    return problems


# The codes of a rule's refusals, by what is wrong.
RULE_CODES = {
    "no_value": "the definition measures no value (unit ingen), the rule needs one",
    "threshold_missing": "a threshold rule with neither minimum nor maximum",
    "maximum_below_minimum": "a threshold's maximum below its minimum",
    "unit_mismatch": "a value that does not fit the definition's unit",
    "targets_missing": "a target-value rule without a year",
    "unknown_organisation": "a reference rule's organisation code that no organisation has",
}


def _rule_checks(rule: TargetRule, unit: str) -> list[tuple[str, str, str, str]]:
    """(field, its label, the message, its code) for every problem of ``rule``."""
    found: list[tuple[str, str, str, str]] = []

    def add(name: str, label: str, message: str, code: str = "unit_mismatch") -> None:
        found.append((name, label, message, code))

    if unit == Unit.INGEN and isinstance(rule, MEASURING_RULES):
        add(
            "kind",
            _("Typ av målregel"),
            _(
                "Definitionen mäter inget värde (enhet: ingen), så regeln kan inte ha ett "
                "målvärde. Välj ”Ska redovisas” eller ”Kvalitativ”, eller en definition med enhet."
            ),
            "no_value",
        )
        return found
    if isinstance(rule, ThresholdRule):
        _threshold_problems(rule, unit, add)
    elif isinstance(rule, TargetValueRule):
        if not rule.targets:
            add(
                "targets",
                _("Målvärden per år"),
                _("Ange minst ett år med målvärde."),
                "targets_missing",
            )
        for period, value in rule.targets:
            if problem := value_problem(value, unit):
                add("targets", _("Målvärde %(period)s") % {"period": period}, problem)
    elif (
        isinstance(rule, ReferenceRule)
        and not Organisation.objects.filter(code=rule.reference).exists()
    ):
        add(
            "reference",
            _("Jämförelseorganisationens kod"),
            _("Okänd organisation ”%(code)s”.") % {"code": rule.reference},
            "unknown_organisation",
        )
    return found


def _threshold_problems(rule: ThresholdRule, unit: str, add: Any) -> None:
    low, high = _("Minst (gränsvärde)"), _("Högst (gränsvärde)")
    if rule.minimum is None and rule.maximum is None:
        add("minimum", low, _("Ange minst eller högst."), "threshold_missing")
    if rule.minimum is not None and rule.maximum is not None and rule.minimum > rule.maximum:
        add("maximum", high, _("Högst kan inte vara mindre än minst."), "maximum_below_minimum")
    for name, label, value in (("minimum", low, rule.minimum), ("maximum", high, rule.maximum)):
        if value is not None and (problem := value_problem(value, unit)):
            add(name, label, problem)


# -- a new definition ------------------------------------------------------------------------


def unique_definition_key(text: str) -> str:
    """A free ``IndicatorDefinition.key`` made from ``text``: slugified, then -2, -3 … ."""
    base = slugify(text)[:72].strip("-") or "indikator"
    taken = set(
        IndicatorDefinition.objects.filter(key__startswith=base).values_list("key", flat=True)
    )
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def new_definition_of(fields: Mapping[str, Any]) -> IndicatorDefinition:
    """An unsaved definition from ``fields`` (``NEW_DEFINITION_FIELDS``), checked; its key is
    set when it is saved. Raises ``ValidationError`` by field, each message naming it."""
    unknown = set(fields) - set(NEW_DEFINITION_FIELDS)
    if unknown:
        raise TypeError(f"unknown definition fields {sorted(unknown)}")
    values = {name: value for name, value in fields.items() if name != "key"}
    for name in ("name", "source_code"):  # one line each: spaces as typed are not kept
        if isinstance(values.get(name), str):
            values[name] = " ".join(values[name].split())
    definition = IndicatorDefinition(**values)
    errors: dict[str, list[ValidationError]] = {}
    if not definition.name:
        errors["name"] = [coded(_("Namn: Skriv vad indikatorn mäter."), "required")]
    if definition.unit not in Unit.values:
        errors["unit"] = [coded(_("Enhet: Välj en av enheterna i listan."), "invalid_choice")]
    try:
        definition.full_clean(exclude=["key", *errors], validate_unique=False)
    except ValidationError as error:
        for name, found in error.error_dict.items():
            model_field = IndicatorDefinition._meta.get_field(name)
            assert isinstance(model_field, Field)
            label = capfirst(str(model_field.verbose_name))
            errors.setdefault(name, []).extend(
                coded(f"{label}: {message}", item.code or "invalid")
                for item in found
                for message in item
            )
    if errors:
        raise ValidationError(errors)
    definition.key = str(fields.get("key") or "")
    return definition


def _chosen_definition(
    definition: IndicatorDefinition | None, new_definition: Mapping[str, Any] | None
) -> IndicatorDefinition:
    if (definition is None) == (new_definition is None):
        raise refusal(
            "definition",
            _("Definition: Välj en definition ur biblioteket eller beskriv en ny."),
            "one_definition",
        )
    if definition is not None:
        return IndicatorDefinition.objects.get(pk=definition.pk)
    assert new_definition is not None
    return new_definition_of(new_definition)


# -- the actions -----------------------------------------------------------------------------


def _state(target: IndicatorTarget | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "definition": target.definition.key,
        "rule": target.rule,
        "rule_is_proposed": target.rule_is_proposed,
        "rule_confirmed_as_example": target.rule_confirmed_as_example,
    }


def _locked_indicator(indicator: Indicator) -> Indicator:
    """The indicator as stored, locked, its plan still a draft."""
    stored = Indicator.objects.select_for_update().select_related("goal__plan").get(pk=indicator.pk)
    ensure_editable(stored.goal.plan)
    return stored


def _check_unchanged(stored: Indicator, expected_version: int | None) -> None:
    """Refuse (``EditConflict``) when the indicator was saved since the caller read it."""
    check_version(stored.row_version, expected_version, name=stored.text, obj=stored)


def _after_change(stored: Indicator, indicator: Indicator) -> None:
    """The indicator's version moves on; the proposals that read it are recomputed."""
    bump(stored)
    stored.save(update_fields=["row_version"])
    stored.goal.plan.save(update_fields=["updated_at"])
    indicator.row_version = stored.row_version
    goal = stored.goal
    repropose([goal, *goal.contributes_to.all()])


@transaction.atomic
def set_indicator_target(
    indicator: Indicator,
    *,
    actor: Actor,
    rule: TargetRule,
    definition: IndicatorDefinition | None = None,
    new_definition: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> IndicatorTarget:
    """Give ``indicator`` (of a draft plan) what it is measured with and its target rule.

    Exactly one of ``definition`` (from the library) and ``new_definition`` (the fields of
    ``NEW_DEFINITION_FIELDS``; ``name`` and ``unit`` required, the key made from the name
    and unique) is given. The rule must fit the definition's unit (``rule_errors``). The
    rule is then a person's choice, no longer a proposal read from the sentence.

    Refused, with nothing changed: without ``plan`` on the plan's unit (``PermissionDenied``),
    on a decided plan (``PlanIsDecided``), a bad definition or rule (``ValidationError`` by
    field, in Swedish, each message with its code), and from a stale page (``EditConflict``;
    the version is the indicator's ``row_version``; checked last, so a request refused anyway
    is refused for that). Saving what is already stored changes and records nothing.
    """
    require(actor, Perm.PLAN, indicator)
    stored = _locked_indicator(indicator)
    chosen = _chosen_definition(definition, new_definition)
    if errors := rule_refusals(rule, chosen.unit):
        raise ValidationError(errors)
    # Last, so that a stale request that would be refused anyway is refused for that.
    _check_unchanged(stored, expected_version)
    target = IndicatorTarget.objects.select_for_update().filter(indicator=stored).first()
    if (
        target is not None
        and target.definition_id == chosen.pk
        and target.target_rule == rule  # by value: 60 and 60,0 are the same rule
        and not target.awaits_confirmation
    ):
        return target
    before = _state(target)
    created_definition = chosen.pk is None
    if created_definition:
        chosen.key = unique_definition_key(chosen.key or chosen.name)
        chosen.save()
    if target is None:
        target = IndicatorTarget(indicator=stored)
    target.definition = chosen
    target.rule = to_data(rule)
    target.rule_is_proposed = target.rule_confirmed_as_example = False
    after = _state(target)
    created = target.pk is None
    target.save()
    if created_definition:
        assert after is not None
        after["new_definition"] = snapshot(chosen, NEW_DEFINITION_FIELDS)
    record_in_plan(
        stored.goal.plan_id,
        actor=actor,
        action="indicator_target.create" if created else "indicator_target.update",
        obj=stored,
        before=before,
        after=after,
        reason=rule.describe(chosen.unit),
    )
    _after_change(stored, indicator)
    return target


@transaction.atomic
def remove_indicator_target(
    indicator: Indicator, *, actor: Actor, expected_version: int | None = None
) -> None:
    """Take away ``indicator``'s definition link and target rule (the definition and its
    measurements stay in the library). Refused like ``set_indicator_target``; an indicator
    without a target changes and records nothing."""
    require(actor, Perm.PLAN, indicator)
    stored = _locked_indicator(indicator)
    _check_unchanged(stored, expected_version)
    target = (
        IndicatorTarget.objects.select_for_update()
        .select_related("definition")
        .filter(indicator=stored)
        .first()
    )
    if target is None:
        return
    before = _state(target)
    reason = target.describe_rule()
    target.delete()
    record_in_plan(
        stored.goal.plan_id,
        actor=actor,
        action="indicator_target.remove",
        obj=stored,
        before=before,
        after=None,
        reason=reason,
    )
    _after_change(stored, indicator)


# -- how these events read in a history (``audit.presentation``, registered in ``apps``) ------


def _described_rule(data: Any) -> str:
    return rule_from_data(data if isinstance(data, dict) else None).describe()


def _described_definition(data: Any) -> str:
    if not isinstance(data, Mapping):
        return str(data)
    unit = dict(IndicatorDefinition.Unit.choices).get(data.get("unit", ""), data.get("unit", ""))
    return f"{data.get('name', '')} ({unit})"


def _named_definition(key: Any) -> str:
    name = IndicatorDefinition.objects.filter(key=key).values_list("name", flat=True).first()
    return name or str(key)


AUDIT_FIELDS: dict[str, Callable[[Any], str]] = {
    "definition": _named_definition,
    "rule": _described_rule,
    "new_definition": _described_definition,
}


def audit_labels() -> dict[str, Any]:
    """The fields of the events' before and after, by the target's verbose names."""
    names = ("definition", "rule", "rule_is_proposed", "rule_confirmed_as_example")
    labels: dict[str, Any] = {
        name: getattr(IndicatorTarget._meta.get_field(name), "verbose_name", name) for name in names
    }
    return {**labels, "new_definition": gettext_lazy("ny definition")}
