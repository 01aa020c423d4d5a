"""What changed between two plans: two versions, or the same unit's plans of two years.

``diff_plans(old, new)`` reads both plans as plain data (``snapshot``) and compares them kind
by kind: goals (with their indicators), perspectives, prioriterade områden, sections,
strategies, uppdrag, aktiviteter, and the rows of the budget tables of each plan's unit and
year. The result lists what was added, removed and changed, field by field; pages show
changed texts word by word (``{% word_diff %}``).

How objects are matched across the two plans:

0. by descent: an object copied from the other (its ``origin``, or the origin of its
   origin, through revisions and copies to later years) is paired with it first. A
   revision or a plan copied to a new year is read as the same objects, whatever changed
   in their words; a plan loaded anew from a file has no origins and is matched by
   step 1 and 2;
1. by a key that names the object in the document, when both sides have the same key
   exactly once: a goal by kind and number ("Effektmål 3"), a section by number and
   heading, then heading alone, a perspective or prioriterat område by name, a strategy by
   number and name, an uppdrag, aktivitet or indicator by its exact text, a budget row by
   table and the labels from the top of its table down to it;
2. what is left, by text similarity (words in common, ``textdiff.similarity``): the most
   alike pair first, down to a similarity of ``SIMILAR`` (0.5);
3. anything still unmatched is removed (only in the old plan) or added (only in the new).

A change of order alone is not reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from uppsikt.lib.registry import Registry
from uppsikt.lib.textdiff import similarity

from .lineage import pair_by_descent, trace_origins
from .models import (
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

SIMILAR = 0.5
# Similarity is quadratic in the objects left over: beyond this many pairs, skip it.
MAX_SIMILARITY_PAIRS = 250_000

KINDS: dict[str, Any] = {
    "goal": _("Mål"),
    "perspective": _("Perspektiv"),
    "focus_area": _("Prioriterade områden"),
    "section": _("Avsnitt"),
    "strategy": _("Strategier"),
    "assignment": _("Uppdrag"),
    "activity": _("Aktiviteter"),
}
FIELD_LABELS: dict[str, Any] = {
    "kind": _("Typ"),
    "number": _("Nummer"),
    "name": _("Namn"),
    "text": _("Text"),
    "description": _("Beskrivning"),
    "heading": _("Rubrik"),
    "body": _("Text"),
    "items": _("Punktlista"),
    "lead": _("Ingress"),
    "statements": _("Strategier"),
    "responsible": _("Ansvarig"),
    "rule": _("Målregel"),
    "definition": _("Mäts med"),
}


@dataclass(frozen=True)
class ExtraKind:
    """A kind of object another app adds to the comparison (budget rows): its heading, its
    items for a plan as ``user`` may read it (everything when ``user`` is None) and the
    labels of its fields."""

    label: Any
    items: Callable[[Plan, Any], list[Item]]
    field_labels: dict[str, Any] = field(default_factory=dict)


extra_kinds: Registry[ExtraKind] = Registry("plan diff")


def kind_labels() -> dict[str, Any]:
    """Every kind compared, in the order the diff lists them: the plan's own, then others'."""
    return {**KINDS, **{kind: extra.label for kind, extra in extra_kinds.items()}}


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    for extra in extra_kinds:
        if name in extra.field_labels:
            return str(extra.field_labels[name])
    return name


@dataclass
class Item:
    """One object of a plan as plain data: what is compared, and where it is."""

    kind: str
    label: str
    fields: dict[str, Any]
    position: int = 0
    keys: tuple[Any, ...] = ()  # strongest first; None where the object has no such key
    text: str = ""  # what similarity compares
    children: list[Item] = field(default_factory=list)
    url: str = ""
    id: int | None = None  # the object's id, and the id of the object it was copied from
    origin: int | None = None
    # Where it came from, nearest first: ``origin``, then that object's origin … as far as
    # ``trace_origins`` followed it (only ``origin`` until then).
    lineage: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.lineage and self.origin is not None:
            self.lineage = (self.origin,)


@dataclass
class FieldChange:
    name: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return field_label(self.name)

    @property
    def is_text(self) -> bool:
        return isinstance(self.old, str) and isinstance(self.new, str)

    @property
    def is_list(self) -> bool:
        return isinstance(self.old, (list, tuple)) or isinstance(self.new, (list, tuple))


@dataclass
class Change:
    kind: str
    status: str  # added | removed | changed
    old: Item | None
    new: Item | None
    fields: list[FieldChange] = field(default_factory=list)
    children: list[Change] = field(default_factory=list)

    @property
    def item(self) -> Item:
        return self.new or self.old  # type: ignore[return-value]

    @property
    def label(self) -> str:
        return self.item.label


@dataclass
class PlanDiff:
    old: Any
    new: Any
    changes: list[Change]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def by_kind(self) -> list[tuple[str, str, list[Change]]]:
        """(kind, heading, changes) in a fixed order, kinds without changes left out."""
        groups: dict[str, list[Change]] = defaultdict(list)
        for change in self.changes:
            groups[change.kind].append(change)
        labels = kind_labels()
        return [(kind, str(labels[kind]), groups[kind]) for kind in labels if groups.get(kind)]

    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for change in self.changes:
            counts[change.status] += 1
        return counts


# -- reading a plan as plain data ----------------------------------------------------------


def normalise(text: str | None) -> str:
    """Text for matching: white space folded, lower case."""
    return " ".join((text or "").split()).lower()


def snapshot(plan: Plan, *, user=None) -> dict[str, list[Item]]:
    """Every comparable object of ``plan`` as ``Item``s, by kind (a fixed number of queries).

    Budget rows are those of the budget tables of the plan's unit and year that ``user`` may
    read (all of them when ``user`` is None).
    """
    items: dict[str, list[Item]] = {kind: [] for kind in kind_labels()}
    named_models: tuple[tuple[type[Perspective | FocusArea], str], ...] = (
        (Perspective, "perspective"),
        (FocusArea, "focus_area"),
    )
    for named_model, kind in named_models:
        for named in named_model.objects.filter(plan=plan):
            items[kind].append(
                Item(
                    kind,
                    f"{named.number} {named.name}".strip() if kind == "focus_area" else named.name,
                    {"number": named.number, "name": named.name, "description": named.description},
                    named.position,
                    keys=(normalise(named.name) or None, named.number or None),
                    text=f"{named.name} {named.description}",
                    id=named.pk,
                    origin=named.origin_id,
                )
            )
    for section in Section.objects.filter(plan=plan):
        items["section"].append(
            Item(
                "section",
                str(section),
                {
                    "number": section.number,
                    "heading": section.heading,
                    "body": section.body,
                    "items": list(section.items or []),
                },
                section.position,
                keys=(
                    (section.number, normalise(section.heading)) if section.number else None,
                    normalise(section.heading) or None,
                ),
                text=f"{section.heading} {section.body} {' '.join(map(str, section.items or []))}",
                id=section.pk,
                origin=section.origin_id,
            )
        )
    for strategy in Strategy.objects.filter(plan=plan):
        items["strategy"].append(
            Item(
                "strategy",
                str(strategy) or str(_("Strategi")),
                {
                    "number": strategy.number,
                    "name": strategy.name,
                    "lead": strategy.lead,
                    "statements": list(strategy.statements or []),
                    "description": strategy.description,
                },
                strategy.position,
                keys=(
                    (strategy.number, normalise(strategy.name)) if strategy.name else None,
                    normalise(strategy.name) or normalise(strategy.lead) or None,
                ),
                text=f"{strategy.name} {strategy.lead} {strategy.description} "
                + " ".join(map(str, strategy.statements or [])),
                id=strategy.pk,
                origin=strategy.origin_id,
            )
        )
    items["goal"] = _goals(plan)
    for model, kind in ((Assignment, "assignment"), (Activity, "activity")):
        for obj in model.objects.filter(plan=plan).select_related("responsible"):
            items[kind].append(
                Item(
                    kind,
                    obj.text,
                    {
                        "text": obj.text,
                        "responsible": obj.responsible.name if obj.responsible else "",
                    },
                    obj.position,
                    keys=(normalise(obj.text),),
                    text=obj.text,
                    id=obj.pk,
                    origin=obj.origin_id,
                )
            )
    for kind, extra in extra_kinds.items():
        items[kind] = extra.items(plan, user)
    return items


def _goals(plan: Plan) -> list[Item]:
    indicators: dict[int, list[Item]] = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(goal__plan=plan)
        .select_related("target__definition")
        .order_by("goal", "position")
    ):
        fields = {"text": indicator.text, "definition": "", "rule": ""}
        target = getattr(indicator, "target", None)
        if target is not None:
            fields["definition"] = target.definition.name
            fields["rule"] = target.describe_rule()
        indicators[indicator.goal_id].append(
            Item(
                "indicator",
                indicator.text,
                fields,
                indicator.position,
                keys=(normalise(indicator.text),),
                text=indicator.text,
                id=indicator.pk,
                origin=indicator.origin_id,
            )
        )
    goals = []
    for goal in Goal.objects.filter(plan=plan).select_related("plan__unit"):
        goals.append(
            Item(
                "goal",
                goal.label,
                {
                    "kind": goal.kind_label,
                    "number": goal.number,
                    "text": goal.text,
                    "description": goal.description,
                },
                goal.position,
                keys=((goal.kind, goal.number) if goal.number else None, normalise(goal.text)),
                text=goal.text,
                children=indicators.get(goal.pk, []),
                url=goal.get_absolute_url(),
                id=goal.pk,
                origin=goal.origin_id,
            )
        )
    return goals


# -- comparing --------------------------------------------------------------------------------


def match(
    old: list[Item], new: list[Item], *, threshold: float = SIMILAR
) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    """Pairs of the same object in ``old`` and ``new``, then the removed and the added.

    Keys are tried strongest first; a key value is used only where it is unique on both
    sides. What is left is paired by similarity, most alike first.
    """
    pairs, left, right = pair_by_descent(list(old), list(new))
    depth = max((len(item.keys) for item in [*old, *new]), default=0)
    for level in range(depth):
        left_keys = _unique(left, level)
        right_keys = _unique(right, level)
        common = set(left_keys) & set(right_keys)
        if not common:
            continue
        matched_left = {id(left_keys[key]) for key in common}
        matched_right = {id(right_keys[key]) for key in common}
        pairs.extend((left_keys[key], right_keys[key]) for key in common)
        left = [item for item in left if id(item) not in matched_left]
        right = [item for item in right if id(item) not in matched_right]
    if left and right and len(left) * len(right) <= MAX_SIMILARITY_PAIRS:
        scored = sorted(
            (
                (similarity(a.text, b.text), -a.position, -b.position, i, j)
                for i, a in enumerate(left)
                for j, b in enumerate(right)
            ),
            reverse=True,
        )
        used_left: set[int] = set()
        used_right: set[int] = set()
        for score, _a, _b, i, j in scored:
            if score < threshold:
                break
            if i in used_left or j in used_right:
                continue
            used_left.add(i)
            used_right.add(j)
            pairs.append((left[i], right[j]))
        left = [item for i, item in enumerate(left) if i not in used_left]
        right = [item for j, item in enumerate(right) if j not in used_right]
    return pairs, left, right


def _unique(items: Iterable[Item], level: int) -> dict[Any, Item]:
    seen: dict[Any, Item] = {}
    doubles: set[Any] = set()
    for item in items:
        key = item.keys[level] if level < len(item.keys) else None
        if key is None:
            continue
        if key in seen:
            doubles.add(key)
        seen[key] = item
    return {key: item for key, item in seen.items() if key not in doubles}


def _field_changes(old: Item, new: Item) -> list[FieldChange]:
    names = list(dict.fromkeys([*old.fields, *new.fields]))
    return [
        FieldChange(name, old.fields.get(name), new.fields.get(name))
        for name in names
        if old.fields.get(name) != new.fields.get(name)
    ]


def compare(old: list[Item], new: list[Item], kind: str) -> list[Change]:
    """The changes between two lists of one kind: changed and added in the new plan's order,
    then removed in the old plan's order."""
    pairs, removed, added = match(old, new)
    changes: list[Change] = []
    for a, b in pairs:
        fields = _field_changes(a, b)
        children = compare(a.children, b.children, "indicator")
        if fields or children:
            changes.append(Change(kind, "changed", a, b, fields, children))
    for b in added:
        children = [Change("indicator", "added", None, child) for child in b.children]
        changes.append(Change(kind, "added", None, b, children=children))
    changes.sort(key=lambda change: change.item.position)
    for a in sorted(removed, key=lambda item: item.position):
        children = [Change("indicator", "removed", child, None) for child in a.children]
        changes.append(Change(kind, "removed", a, None, children=children))
    return changes


def diff_snapshots(old: dict[str, list[Item]], new: dict[str, list[Item]]) -> list[Change]:
    changes: list[Change] = []
    for kind in kind_labels():
        changes.extend(compare(old.get(kind, []), new.get(kind, []), kind))
    return changes


def diff_plans(old: Plan, new: Plan, *, user=None) -> PlanDiff:
    """The readable difference between two plans (see the module docstring for matching).

    >>> diff = diff_plans(version_1, version_2)
    >>> [(c.kind, c.status, c.label) for c in diff.changes]
    [('goal', 'changed', 'Effektmål 3')]
    """
    before, after = snapshot(old, user=user), snapshot(new, user=user)
    trace_origins(before, after, units={old.unit_id, new.unit_id})
    return PlanDiff(old, new, diff_snapshots(before, after))
