"""Writing a draft plan's content: add, change, move and remove any kind of object in it.

The same functions serve the editing pages, the REST API and the data-file loader. Each call
is one transaction and one audit event, tied to the plan's history (``plans.trail``). A
decided plan is refused (``PlanIsDecided``): revise it first.

Kinds and the fields a caller may set (``FIELDS``): container fields (``perspective``,
``section``, ``strategy``, ``focus_area``) must name objects of the same plan, a responsible
unit must belong to the plan's organisation, and free text is normalised to paragraphs,
lists and links (``lib.richtext``; a link other than
http, https or mailto is refused). A goal's text must be unique in its plan (compared
without regard to case and spacing). Every refusal names the field in Swedish, with a
machine-readable code per message (``other_plan``, ``other_organisation``,
``ends_before_start``, ``empty_text``, ``duplicate_text``, ``not_a_list``, ``bad_link``, or
the model's own: ``blank``, ``max_length`` …), and changes nothing. A part of a kind the
organisation's styrmodell does not use (a strategy where it uses none) is refused for the
whole request with ``kind_not_used`` (``content_kinds``).

    >>> goal = add_part(plan, "goal", actor=anna, text="Fler invånare röker inte.", kind="mal")
    >>> update_part(goal, actor=anna, expected_version=goal.row_version, number="2")
    >>> move_part(goal, actor=anna, direction=UP)
    >>> remove_part(goal, actor=anna, confirmed=True)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import snapshot
from uppsikt.lib import richtext
from uppsikt.lib.concurrency import bump, check_version
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from ..content_kinds import ensure_kind_used
from ..impact import impact_of
from ..levels import default_goal_kind, kind_problems
from ..models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)
from ..rules import ensure_editable
from ..trail import record_in_plan

MODELS: dict[str, type[Model]] = {
    "section": Section,
    "perspective": Perspective,
    "focus_area": FocusArea,
    "strategy": Strategy,
    "goal": Goal,
    "indicator": Indicator,
    "assignment": Assignment,
    "activity": Activity,
}
KIND_OF: dict[type[Model], str] = {model: kind for kind, model in MODELS.items()}

FIELDS: dict[str, tuple[str, ...]] = {
    "section": ("perspective", "number", "heading", "body", "items", "note"),
    "perspective": ("number", "name", "description", "responsibilities"),
    "focus_area": ("number", "name", "description"),
    "strategy": (
        "perspective",
        "focus_area",
        "number",
        "name",
        "lead",
        "statements",
        "description",
    ),
    "goal": (
        "kind",
        "number",
        "text",
        "description",
        "note",
        "perspective",
        "section",
        "strategy",
        "focus_area",
    ),
    "indicator": ("text", "note"),
    "assignment": ("perspective", "strategy", "text", "responsible"),
    "activity": ("focus_area", "section", "text", "responsible", "starts_on", "ends_on"),
}
CONTAINERS = ("perspective", "section", "strategy", "focus_area")
RICH_FIELDS = frozenset({"body", "description", "note"})
LIST_FIELDS = frozenset({"items", "statements", "responsibilities"})
UP, DOWN = "up", "down"


def kind_of(obj: Model) -> str:
    return KIND_OF[type(obj)]


def plan_of(obj: Model) -> Plan:
    if isinstance(obj, Indicator):
        return obj.goal.plan
    plan: Plan = getattr(obj, "plan")  # noqa: B009 - every part has one
    return plan


def _normalised(name: str, value: Any) -> Any:
    if name in RICH_FIELDS and isinstance(value, str):
        return richtext.clean(value, field=name)
    if name in LIST_FIELDS:
        if not isinstance(value, list | tuple):
            raise refusal(name, _("Ange en lista med texter."), "not_a_list")
        return [richtext.clean(str(item), field=name) for item in value if str(item).strip()]
    if isinstance(value, str):
        return value.strip()
    return value


def _problems(obj: Model, plan: Plan, kind: str) -> dict[str, list[ValidationError]]:
    """What is wrong with ``obj`` beyond its model's own validation, by field."""
    errors: dict[str, list[ValidationError]] = {}
    for name in CONTAINERS:
        container = getattr(obj, name, None) if name in FIELDS[kind] else None
        if container is not None and container.plan_id != plan.pk:
            errors[name] = [coded(_("Välj ett objekt i samma plan."), "other_plan")]
    responsible = getattr(obj, "responsible", None)
    if isinstance(responsible, Unit) and responsible.organisation_id != plan.unit.organisation_id:
        errors["responsible"] = [
            coded(_("Ansvarig enhet måste höra till planens organisation."), "other_organisation")
        ]
    if isinstance(obj, Activity) and obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        errors["ends_on"] = [
            coded(_("Slutdatum kan inte ligga före startdatum."), "ends_before_start")
        ]
    if isinstance(obj, Goal):
        errors.update(_goal_text_problems(obj, plan))
        level = kind_problems(obj.kind, plan.unit) if obj.kind else []
        if level:
            errors["kind"] = level
    return errors


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _goal_text_problems(goal: Goal, plan: Plan) -> dict[str, list[ValidationError]]:
    text = _same_text(goal.text or "")
    if not text:
        return {"text": [coded(_("Skriv målets text."), "empty_text")]}
    others = Goal.objects.filter(plan=plan).exclude(pk=goal.pk).values_list("text", flat=True)
    if any(_same_text(other) == text for other in others):
        return {"text": [coded(_("Planen har redan ett mål med samma text."), "duplicate_text")]}
    return {}


def _validate(obj: Model, plan: Plan, kind: str) -> None:
    """Refuse ``obj`` with every problem by field; each keeps its code (the model's own:
    ``blank``, ``max_length``, ``invalid_choice`` …; the rules above: ``other_plan`` …)."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        obj.full_clean(exclude=["plan", "goal", "origin"])
    except ValidationError as error:
        errors.update(error.error_dict)
    for name, found in _problems(obj, plan, kind).items():
        errors.setdefault(name, []).extend(found)
    if errors:
        raise ValidationError(errors)


def _check_fields(kind: str, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(FIELDS[kind])
    if unknown:
        raise TypeError(f"{kind}: unexpected fields {sorted(unknown)}")


def _state(obj: Model, kind: str) -> dict[str, Any]:
    return snapshot(obj, FIELDS[kind])


def _next_position(plan: Plan, goal: Goal | None = None) -> int:
    if goal is not None:
        top = Indicator.objects.filter(goal=goal).aggregate(top=Max("position"))["top"]
        return 0 if top is None else top + 1
    tops = [
        model._default_manager.filter(plan=plan).aggregate(top=Max("position"))["top"]
        for model in MODELS.values()
        if model is not Indicator
    ]
    return max((top for top in tops if top is not None), default=-1) + 1


@transaction.atomic
def add_part(
    plan: Plan,
    kind: str,
    /,
    *,
    actor: Actor,
    goal: Goal | None = None,
    position: int | None = None,
    **fields: Any,
) -> Model:
    """Add an object of ``kind`` last in its place (an indicator: last under ``goal``).

    ``position`` places it outright instead: a caller writing a whole plan in document
    order (the data-file loader) counts the positions itself and spares the look-up."""
    if kind not in MODELS:
        raise TypeError(f"unknown kind {kind!r}")
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    ensure_kind_used(plan, kind)
    _check_fields(kind, fields)  # a goal's own ``kind`` (mål, effektmål …) is in ``fields``
    model = MODELS[kind]
    values = {name: _normalised(name, value) for name, value in fields.items()}
    if kind == "goal" and not values.get("kind"):  # the unit's usual level
        values["kind"] = default_goal_kind(plan.unit, keep=Goal._meta.get_field("kind").default)
    if kind == "indicator":
        if goal is None or goal.plan_id != plan.pk:
            raise refusal("goal", _("Välj ett mål i samma plan."), "other_plan")
        where = _next_position(plan, goal) if position is None else position
        obj: Model = model(goal=goal, position=where, **values)
    else:
        where = _next_position(plan) if position is None else position
        obj = model(plan=plan, position=where, **values)
    _validate(obj, plan, kind)
    obj.save()
    _touch(plan, goal)
    record_in_plan(plan, actor=actor, action=f"{kind}.add", obj=obj, after=_state(obj, kind))
    return obj


def _touch(plan: Plan, goal: Goal | None = None) -> None:
    """A goal's version moves with its indicator list; the plan's ``updated_at`` with any."""
    if goal is not None:
        Goal.objects.filter(pk=goal.pk).update(row_version=goal.row_version + 1)
        goal.row_version += 1
    plan.save(update_fields=["updated_at"])


@transaction.atomic
def update_part(
    obj: Model, *, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Model:
    """Change the given fields of ``obj``; refused with ``EditConflict`` when it was saved
    since the caller read version ``expected_version``."""
    kind = kind_of(obj)
    plan = plan_of(obj)
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    _check_fields(kind, changes)
    stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before = _state(stored, kind)
    for name, value in changes.items():
        setattr(stored, name, _normalised(name, value))
    _validate(stored, plan, kind)
    version: int = getattr(stored, "row_version")  # noqa: B009
    check_version(version, expected_version, name=str(stored), obj=stored)
    after = _state(stored, kind)
    if after != before:
        bump(stored)
        stored.save()
        plan.save(update_fields=["updated_at"])
        record_in_plan(
            plan, actor=actor, action=f"{kind}.update", obj=stored, before=before, after=after
        )
    return stored


class NeedsConfirmation(ValidationError):
    """Removing the object affects other things (``impact``); ask, then call again with
    ``confirmed=True``."""

    def __init__(self, impact: list[str]) -> None:
        super().__init__(
            _("Borttagningen påverkar annat: %(what)s Bekräfta för att ta bort ändå.")
            % {"what": " ".join(impact)},
            code="needs_confirmation",
        )
        self.impact = impact


@transaction.atomic
def remove_part(
    obj: Model, *, actor: Actor, confirmed: bool = False, expected_version: int | None = None
) -> None:
    """Remove ``obj`` and what hangs on it. When that affects anything else
    (``impact.impact_of``), refused with ``NeedsConfirmation`` unless ``confirmed``."""
    kind = kind_of(obj)
    plan = plan_of(obj)
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    version: int = getattr(stored, "row_version")  # noqa: B009
    check_version(version, expected_version, name=str(stored), obj=stored)
    impact = impact_of(stored)
    if impact and not confirmed:
        raise NeedsConfirmation(impact)
    before = _state(stored, kind)
    goal = stored.goal if isinstance(stored, Indicator) else None
    record_in_plan(
        plan,
        actor=actor,
        action=f"{kind}.remove",
        obj=stored,
        before=before,
        after={"impact": impact} if impact else None,
    )
    stored.delete()
    _touch(plan, goal)


def _parent_key(obj: Model) -> tuple[str, int | None]:
    if isinstance(obj, Indicator):
        return ("goal", obj.goal_id)
    for name in ("strategy", "section", "focus_area", "perspective"):
        value = getattr(obj, f"{name}_id", None)
        if value:
            return (name, value)
    return ("", None)


def siblings(obj: Model) -> list[Model]:
    """The objects shown beside ``obj`` under the same parent, in document order."""
    if isinstance(obj, Indicator):
        return list(Indicator.objects.filter(goal_id=obj.goal_id).order_by("position", "pk"))
    plan = plan_of(obj)
    key = _parent_key(obj)
    found: list[Model] = []
    for model in MODELS.values():
        if model is Indicator:
            continue
        found.extend(
            item for item in model._default_manager.filter(plan=plan) if _parent_key(item) == key
        )
    return sorted(found, key=lambda item: (getattr(item, "position"), kind_of(item), item.pk))  # noqa: B009


@transaction.atomic
def move_part(obj: Model, *, actor: Actor, direction: str) -> bool:
    """Move ``obj`` one step up or down among its siblings; False when it is already
    first (last). The plan-wide ``position`` counter keeps its meaning: the two objects
    swap places."""
    if direction not in (UP, DOWN):
        raise refusal("direction", _("Ange upp eller ned."), "invalid_choice")
    kind = kind_of(obj)
    plan = plan_of(obj)
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    row = siblings(obj)
    index = next(i for i, item in enumerate(row) if type(item) is type(obj) and item.pk == obj.pk)
    other_index = index - 1 if direction == UP else index + 1
    if not 0 <= other_index < len(row):
        return False
    ordered = list(row)
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    _renumber(ordered)
    plan.save(update_fields=["updated_at"])
    record_in_plan(
        plan,
        actor=actor,
        action=f"{kind}.move",
        obj=obj,
        before={"position": index + 1},
        after={"position": other_index + 1},
    )
    return True


def _renumber(ordered: list[Model]) -> None:
    """Give ``ordered`` increasing positions, reusing the positions they already hold."""
    positions = sorted(getattr(item, "position") for item in ordered)  # noqa: B009
    for i in range(1, len(positions)):
        if positions[i] <= positions[i - 1]:
            positions[i] = positions[i - 1] + 1
    for item, position in zip(ordered, positions, strict=True):
        if getattr(item, "position") != position:  # noqa: B009
            type(item)._default_manager.filter(pk=item.pk).update(position=position)
            setattr(item, "position", position)  # noqa: B010
