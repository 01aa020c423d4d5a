"""Changing an organisation's styrmodell: validated whole, audited, never orphaning a key.

``save_styrmodell`` replaces the whole model with ``spec`` in one transaction. It is
refused, with a Swedish message and a code per field and nothing changed, when the spec is
not a valid model (``validate_spec``) or when goals or assessments hold a key the new model
no longer has. Such keys are moved only through ``mapping`` ({old key: new key}), which the
person has seen and confirmed (the page shows what would move first; ``orphans``). A model
that stops using a content kind (strategier, uppdrag …) plans still hold is refused on
``uses`` with ``kind_in_use``, naming how many parts use it (``kinds_in_use``): the parts
are not moved or hidden, they are removed from the plans first.

Who may: an administrator over the whole organisation (every root unit), or the
installation's administrator (a superuser).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require_on_organisation
from uppsikt.audit.trail import record
from uppsikt.lib.contrast import MIN_TEXT_RATIO, contrast_ratio, is_hex_colour
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from . import usage
from .models import (
    NOT_ASSESSABLE,
    AssessmentStep,
    Calendar,
    GoalLevel,
    GovernanceModel,
    Outcome,
    StandardPerspective,
    key_validator,
)
from .words import (
    CONTENT_KIND_NAMES,
    CONTENT_KIND_ONE,
    CONTENT_KINDS,
    DEFAULT,
    DEFAULT_PERIOD_MONTHS,
    Styrmodell,
    from_model,
    invalidate,
)

MIN_STEPS, MAX_STEPS = 3, 5
BACKGROUND = "#ffffff"  # steps are drawn on the pages' white


@dataclass
class LevelSpec:
    key: str
    name: str
    plural: str = ""
    unit_kinds: list[str] = field(default_factory=list)


@dataclass
class StepSpec:
    key: str
    label: str
    colour: str
    symbol: str
    counts_as_met: bool = False
    proposal: str = ""


@dataclass
class StyrmodellSpec:
    """A whole styrmodell as plain data (what the page, the API and the demo give)."""

    levels: list[LevelSpec]
    steps: list[StepSpec]
    perspectives: list[tuple[str, str]] = field(default_factory=list)
    uses: list[str] = field(default_factory=lambda: list(CONTENT_KINDS))
    calendar: str = Calendar.MANAD
    period_months: list[int] = field(default_factory=lambda: list(DEFAULT_PERIOD_MONTHS))
    name: str = "Styrmodell"


def spec_of(model: Styrmodell) -> StyrmodellSpec:
    """The spec that stores ``model`` (e.g. ``DEFAULT``, to start editing from it)."""
    return StyrmodellSpec(
        levels=[LevelSpec(lv.key, lv.name, lv.plural, list(lv.unit_kinds)) for lv in model.levels],
        steps=[
            StepSpec(s.key, s.label, s.colour, s.symbol, s.counts_as_met, s.proposal)
            for s in model.steps
        ],
        perspectives=list(model.perspectives),
        uses=sorted(model.uses),
        calendar=model.calendar,
        period_months=list(model.period_months),
        name=model.name,
    )


def _key_problem(key: str) -> str:
    try:
        key_validator(key)
    except ValidationError as error:
        return str(error.messages[0])
    return ""


def _validate_levels(levels: list[LevelSpec], errors: dict[str, list[ValidationError]]) -> None:
    if not levels:
        errors.setdefault("levels", []).append(
            coded(_("Styrmodellen behöver minst en målnivå."), "no_levels")
        )
    seen: set[str] = set()
    unit_kinds = set(Unit.Kind.values)
    for number, level in enumerate(levels, start=1):
        where = f"levels[{number - 1}]"
        problem = _key_problem(level.key)
        if problem:
            errors.setdefault(where, []).append(
                coded(_("Målnivå %(n)d: %(problem)s") % {"n": number, "problem": problem}, "key")
            )
        elif level.key in seen:
            errors.setdefault(where, []).append(
                coded(
                    _("Målnivå %(n)d: nyckeln %(key)s finns redan.")
                    % {"n": number, "key": level.key},
                    "duplicate_key",
                )
            )
        seen.add(level.key)
        if not level.name.strip():
            errors.setdefault(where, []).append(
                coded(_("Målnivå %(n)d saknar benämning.") % {"n": number}, "required")
            )
        unknown = sorted(set(level.unit_kinds) - unit_kinds)
        if unknown:
            errors.setdefault(where, []).append(
                coded(
                    _("Målnivå %(n)d: okänd enhetstyp %(kinds)s.")
                    % {"n": number, "kinds": ", ".join(unknown)},
                    "unit_kind",
                )
            )


def _validate_step(number: int, step: StepSpec, seen: dict[str, set[str]]) -> list[ValidationError]:
    problems = []
    problem = _key_problem(step.key)
    if problem:
        problems.append(
            coded(_("Steg %(n)d: %(problem)s") % {"n": number, "problem": problem}, "key")
        )
    elif step.key == NOT_ASSESSABLE or step.key in seen["keys"]:
        problems.append(
            coded(
                _("Steg %(n)d: nyckeln %(key)s är upptagen.") % {"n": number, "key": step.key},
                "duplicate_key",
            )
        )
    if not step.label.strip():
        problems.append(coded(_("Steg %(n)d saknar benämning.") % {"n": number}, "required"))
    if not step.symbol.strip():
        problems.append(
            coded(
                _("Steg %(n)d saknar symbol: färgen får aldrig vara det enda som skiljer stegen.")
                % {"n": number},
                "symbol_required",
            )
        )
    elif step.symbol in seen["symbols"]:
        problems.append(
            coded(
                _("Steg %(n)d har samma symbol som ett annat steg.") % {"n": number},
                "duplicate_symbol",
            )
        )
    if not is_hex_colour(step.colour):
        problems.append(coded(_("Steg %(n)d: ange färgen som #rrggbb.") % {"n": number}, "colour"))
    else:
        ratio = contrast_ratio(step.colour, BACKGROUND)
        if ratio < MIN_TEXT_RATIO:
            problems.append(
                coded(
                    _(
                        "Steg %(n)d: färgen %(colour)s har kontrasten %(ratio)s:1 mot vit "
                        "bakgrund; minst 4,5:1 krävs."
                    )
                    % {
                        "n": number,
                        "colour": step.colour,
                        "ratio": f"{ratio:.2f}".replace(".", ","),
                    },
                    "contrast",
                )
            )
    if step.proposal and step.proposal not in Outcome.values:
        problems.append(coded(_("Steg %(n)d: okänt regelutfall.") % {"n": number}, "proposal"))
    seen["keys"].add(step.key)
    seen["symbols"].add(step.symbol)
    return problems


def _validate_steps(steps: list[StepSpec], errors: dict[str, list[ValidationError]]) -> None:
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        errors.setdefault("steps", []).append(
            coded(
                _("Bedömningsskalan ska ha mellan %(min)d och %(max)d steg (utöver ej bedömbar).")
                % {"min": MIN_STEPS, "max": MAX_STEPS},
                "step_count",
            )
        )
    seen: dict[str, set[str]] = {"keys": set(), "symbols": set()}
    for number, step in enumerate(steps, start=1):
        problems = _validate_step(number, step, seen)
        if problems:
            errors.setdefault(f"steps[{number - 1}]", []).extend(problems)
    if steps and not any(step.counts_as_met for step in steps):
        errors.setdefault("steps", []).append(
            coded(_("Minst ett steg ska räknas som uppfyllt."), "none_met")
        )
    for outcome in Outcome:
        receiving = [step for step in steps if step.proposal == outcome.value]
        if len(receiving) != 1:
            errors.setdefault("steps", []).append(
                coded(
                    _("Exakt ett steg ska föreslås när %(outcome)s.")
                    % {"outcome": str(outcome.label).lower()},
                    "proposal_mapping",
                )
            )


def validate_spec(spec: StyrmodellSpec) -> None:
    """Raise one ``ValidationError`` naming every problem of ``spec``, by field."""
    errors: dict[str, list[ValidationError]] = {}
    if not spec.name.strip():
        errors["name"] = [coded(_("Ange styrmodellens namn."), "required")]
    _validate_levels(spec.levels, errors)
    _validate_steps(spec.steps, errors)
    names = [name.strip() for name, _description in spec.perspectives]
    if any(not name for name in names) or len(set(names)) != len(names):
        errors["perspectives"] = [
            coded(_("Varje perspektiv ska ha ett eget namn."), "perspective_name")
        ]
    unknown = sorted(set(spec.uses) - set(CONTENT_KINDS))
    if unknown:
        errors["uses"] = [coded(_("Okänd innehållstyp: %s.") % ", ".join(unknown), "unknown_kind")]
    if spec.calendar not in Calendar.values:
        errors["calendar"] = [coded(_("Välj en av uppföljningskalendrarna."), "calendar")]
    if any(not 1 <= month <= 12 for month in spec.period_months):
        errors["period_months"] = [coded(_("Månaderna ska vara mellan 1 och 12."), "period_months")]
    if errors:
        raise ValidationError(errors)


def orphans(organisation: Organisation, spec: StyrmodellSpec) -> dict[str, dict[str, Counter[str]]]:
    """Keys in use that ``spec`` no longer has: {"levels"|"steps": {rows' label: Counter}}."""
    kept = {
        usage.LEVELS: {level.key for level in spec.levels},
        usage.STEPS: {step.key for step in spec.steps} | {NOT_ASSESSABLE},
    }
    result: dict[str, dict[str, Counter[str]]] = {}
    for kind, keys in kept.items():
        for label, counts in usage.in_use(kind, organisation.pk).items():
            lost = Counter({key: n for key, n in counts.items() if key not in keys and n})
            if lost:
                result.setdefault(kind, {})[label] = lost
    return result


def kinds_in_use(organisation: Organisation, spec: StyrmodellSpec) -> Counter[str]:
    """The content kinds ``spec`` stops using that the organisation's plans still hold,
    with how many parts of each (``usage.KINDS``)."""
    held: Counter[str] = Counter()
    for counts in usage.in_use(usage.KINDS, organisation.pk).values():
        held.update(counts)
    return Counter({kind: n for kind, n in held.items() if n and kind not in spec.uses})


def _check_kinds(organisation: Organisation, spec: StyrmodellSpec) -> None:
    held = kinds_in_use(organisation, spec)
    if held:
        raise ValidationError(
            {
                "uses": [
                    coded(
                        _(
                            "Planerna har %(count)d %(parts)s. Styrmodellen kan sluta använda "
                            "%(kind)s först när de är borttagna ur planerna."
                        )
                        % {
                            "count": count,
                            "parts": (CONTENT_KIND_ONE if count == 1 else CONTENT_KIND_NAMES)[kind],
                            "kind": CONTENT_KIND_NAMES[kind],
                        },
                        "kind_in_use",
                    )
                    for kind in CONTENT_KINDS
                    if (count := held[kind])
                ]
            }
        )


def _check_mapping(
    organisation: Organisation, spec: StyrmodellSpec, mapping: dict[str, dict[str, str]]
) -> None:
    """Every orphaned key must be mapped to a key of the new model; a mapping may name no
    other kind, no target outside the new model and no key the new model keeps. Problems
    are named by the field ``mapping.<kind>.<old key>``."""
    lost = orphans(organisation, spec)
    targets = {
        usage.LEVELS: {level.key for level in spec.levels},
        usage.STEPS: {step.key for step in spec.steps} | {NOT_ASSESSABLE},
    }
    errors: dict[str, list[ValidationError]] = {}
    for kind in sorted(set(mapping) - set(targets)):
        errors.setdefault("mapping", []).append(
            coded(_("Okänd sorts nyckel att flytta: %(kind)s.") % {"kind": kind}, "mapping_kind")
        )
    for kind, by_label in lost.items():
        given = mapping.get(kind, {})
        for label, counts in by_label.items():
            for key, count in sorted(counts.items()):
                if key not in given:
                    errors.setdefault(f"mapping.{kind}.{key}", []).append(
                        coded(
                            _(
                                "%(count)d %(rows)s har nyckeln %(key)s som den nya "
                                "styrmodellen saknar: ange vad de ska flyttas till."
                            )
                            % {"count": count, "rows": usage.rows(label, count), "key": key},
                            "orphaned",
                        )
                    )
    for kind, moves in mapping.items():
        if kind not in targets:
            continue
        for key, target in sorted(moves.items()):
            if target not in targets[kind]:
                errors.setdefault(f"mapping.{kind}.{key}", []).append(
                    coded(
                        _("%(key)s kan inte flyttas till %(target)s, som inte finns.")
                        % {"key": key, "target": target},
                        "unknown_target",
                    )
                )
            elif key in targets[kind] and key != target:
                errors.setdefault(f"mapping.{kind}.{key}", []).append(
                    coded(
                        _("%(key)s finns kvar i den nya styrmodellen och flyttas inte.")
                        % {"key": key},
                        "not_orphaned",
                    )
                )
    if errors:
        raise ValidationError(errors)


def _store(model: GovernanceModel, spec: StyrmodellSpec) -> None:
    model.name = spec.name.strip()
    for kind in CONTENT_KINDS:
        setattr(model, f"uses_{kind}", kind in spec.uses)
    model.calendar = spec.calendar
    model.period_months = sorted(set(spec.period_months))
    model.save()
    model.goal_levels.all().delete()
    model.assessment_steps.all().delete()
    model.perspectives.all().delete()
    GoalLevel.objects.bulk_create(
        GoalLevel(
            model=model,
            key=level.key,
            name=level.name.strip(),
            plural=(level.plural or level.name).strip(),
            unit_kinds=list(level.unit_kinds),
            position=position,
        )
        for position, level in enumerate(spec.levels)
    )
    AssessmentStep.objects.bulk_create(
        AssessmentStep(
            model=model,
            key=step.key,
            label=step.label.strip(),
            colour=step.colour.lower(),
            symbol=step.symbol.strip(),
            counts_as_met=step.counts_as_met,
            proposal=step.proposal,
            position=position,
        )
        for position, step in enumerate(spec.steps)
    )
    StandardPerspective.objects.bulk_create(
        StandardPerspective(model=model, name=name.strip(), description=description, position=p)
        for p, (name, description) in enumerate(spec.perspectives)
    )


def _as_data(spec: StyrmodellSpec) -> dict[str, object]:
    data = asdict(spec)
    data["perspectives"] = [list(pair) for pair in spec.perspectives]
    return data


@transaction.atomic
def save_styrmodell(
    organisation: Organisation,
    spec: StyrmodellSpec,
    *,
    actor: Actor,
    mapping: dict[str, dict[str, str]] | None = None,
) -> GovernanceModel:
    """Store ``spec`` as the organisation's styrmodell; ``mapping`` ({"levels"|"steps":
    {old key: new key}}) moves goals and assessments whose key the new model lacks."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    validate_spec(spec)
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check_kinds(organisation, spec)
    _check_mapping(organisation, spec, mapping or {})
    model = GovernanceModel.objects.filter(organisation=organisation).first()
    before = _as_data(spec_of(from_model(model) if model else DEFAULT))
    created = model is None
    if model is None:
        model = GovernanceModel(organisation=organisation)
    _store(model, spec)
    moved = 0
    for kind, moves in (mapping or {}).items():
        wanted = {old: new for old, new in moves.items() if old != new}
        if wanted:
            moved += usage.move(kind, organisation.pk, wanted, actor=actor)
    after = _as_data(spec)
    if mapping:
        after["mapping"] = mapping
    root = Unit.objects.filter(organisation=organisation, parent=None).order_by("position").first()
    record(
        actor=actor,
        action="styrmodell.create" if created else "styrmodell.update",
        obj=model,
        before=None if created else before,
        after=after,
        unit=root,
    )
    transaction.on_commit(invalidate)
    invalidate()
    return model
