"""A goal's level (``Goal.kind``) in the organisation's styrmodell (``governance.words``).

A goal may have a level of its organisation's styrmodell that is for its unit's kind
(``Styrmodell.levels_for``); an unknown key (``unknown_level``) or a level for other units
(``wrong_level``) is refused wherever goals are written (``parts``, the forms, the API,
the data file). Region Örebro län's default levels apply to every unit.

The styrmodell's changes move goals from a level it drops to another
(``move_goal_kinds``, registered in ``PlansConfig.ready`` as the ``usage.LEVELS`` user):
a reclassification by the styrmodell, done in every plan of the organisation, decided
ones too, one audit event per plan.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from .models import Goal, Plan
from .trail import record_in_plan

# Region Örebro län's habit, for a styrmodell whose levels name no unit kinds (its default):
# fullmäktige writes effektmål, a nämnd nämndmål, others mål.
PREFERRED_KIND_OF_UNIT: dict[str, str] = {
    Unit.Kind.FULLMAKTIGE: "effektmal",
    Unit.Kind.NAMND: "namndmal",
}
PREFERRED_KIND = "mal"
LEVEL_CODES = frozenset({"unknown_level", "wrong_level"})


def styrmodell_of(unit: Unit) -> Styrmodell:
    return styrmodell_for(unit.organisation_id)


def level_choices(unit: Unit) -> list[tuple[str, str]]:
    """The levels a goal of ``unit``'s plan may have, as form choices, in the model's order."""
    return styrmodell_of(unit).goal_kind_choices(unit.kind)


def default_goal_kind(unit: Unit, *, keep: str = "") -> str:
    """The level a unit writes by default: ``keep`` when the styrmodell has it for the unit;
    else the styrmodell's first level made for the unit's kind (one whose unit kinds name
    it, in the model's order); else, when no level names a unit kind, the usual one of
    Region Örebro län's default (effektmål for fullmäktige, nämndmål for a nämnd, mål
    beneath) if the model has it; else the model's first level for the unit's kind."""
    model = styrmodell_of(unit)
    levels = model.levels_for(unit.kind)
    keys = [level.key for level in levels]
    if keep and keep in keys:
        return keep
    own = [level.key for level in levels if unit.kind in level.unit_kinds]
    if own:
        return own[0]
    preferred = PREFERRED_KIND_OF_UNIT.get(unit.kind, PREFERRED_KIND)
    if not keys or (preferred in keys and not any(lv.unit_kinds for lv in model.levels)):
        return preferred
    return keys[0]


def kind_problems(kind: str, unit: Unit) -> list[ValidationError]:
    """What is wrong with a goal of ``unit``'s plan having level ``kind`` (empty: nothing)."""
    model = styrmodell_of(unit)
    allowed = model.levels_for(unit.kind)
    names = ", ".join(level.name for level in allowed)
    if model.level(kind) is None:
        return [
            coded(
                _("Målnivån %(kind)s finns inte i styrmodellen. Välj en av: %(names)s.")
                % {"kind": kind, "names": names},
                "unknown_level",
            )
        ]
    if all(level.key != kind for level in allowed):
        return [
            coded(
                _("%(level)s är inte en målnivå för %(unit)s. Välj en av: %(names)s.")
                % {
                    "level": model.goal_kind_label(kind),
                    "unit": str(unit.get_kind_display()).lower(),
                    "names": names,
                },
                "wrong_level",
            )
        ]
    return []


class LevelField(forms.ChoiceField):
    """A select of ``unit``'s levels; any other key is refused with the action's message
    and code (``kind_problems``), not the generic "välj ett giltigt alternativ"."""

    def __init__(self, unit: Unit, **kwargs: Any) -> None:
        self.unit = unit
        super().__init__(choices=level_choices(unit), **kwargs)

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)  # required, not the choices: the styrmodell's
        if value:
            problems = kind_problems(str(value), self.unit)
            if problems and problems[0].code == "unknown_level":  # as any select says it
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="unknown_level",
                    params={"value": value},
                )
            if problems:
                raise ValidationError(problems)


def set_level_choices(form: Any, unit: Unit) -> None:
    """Offer ``unit``'s levels in ``form``'s ``kind`` field (a select, labelled Målnivå)."""
    field = form.fields.get("kind")
    if field is None:
        return
    keys = [key for key, _label in level_choices(unit)]
    form.fields["kind"] = LevelField(
        unit,
        label=gettext_lazy("Målnivå"),
        initial=field.initial if field.initial in keys else default_goal_kind(unit),
    )


# -- the styrmodell's usage: count and move ------------------------------------------------


def count_goal_kinds(organisation_id: int) -> Counter[str]:
    rows = (
        Goal.objects.filter(plan__unit__organisation_id=organisation_id)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return Counter({row["kind"]: row["n"] for row in rows})


@transaction.atomic
def move_goal_kinds(organisation_id: int, mapping: dict[str, str], *, actor: Actor) -> int:
    """Rewrite every goal of the organisation whose level is a key of ``mapping`` to the
    mapped level; one ``goal.kind_moved`` event per plan. Allowed in decided plans: the
    styrmodell reclassifies, the plan's content is unchanged. Rights are checked by the
    caller (``governance.actions.save_styrmodell``)."""
    moved = 0
    goals = Goal.objects.filter(plan__unit__organisation_id=organisation_id, kind__in=mapping)
    per_plan: dict[int, Counter[str]] = {}
    for plan_id, kind in goals.values_list("plan_id", "kind"):
        per_plan.setdefault(plan_id, Counter())[kind] += 1
    for old, new in mapping.items():
        moved += Goal.objects.filter(plan__unit__organisation_id=organisation_id, kind=old).update(
            kind=new
        )
    for plan in Plan.objects.filter(pk__in=per_plan).order_by("pk"):
        counts = per_plan[plan.pk]
        record_in_plan(
            plan,
            actor=actor,
            action="goal.kind_moved",
            obj=plan,
            before={"kinds": dict(sorted(counts.items()))},
            after={"mapping": {old: mapping[old] for old in sorted(counts)}},
        )
    return moved
