"""Which objects of two plans are the same object: one was copied from the other.

Every copied object remembers the object it came from (``origin``), through revisions and
copies to other years. ``trace_origins`` follows those memories back until they reach the
other plan, and ``pair_by_descent`` pairs by them, nearest ancestor first: the strongest
evidence the plan comparison (``plans.diff``) has, used before keys and text similarity.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol, TypeVar

from .models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Section,
    Strategy,
)


class Traceable(Protocol):
    """What lineage needs of a compared item (``diff.Item``)."""

    kind: str
    id: int | None
    origin: int | None
    lineage: tuple[int, ...]
    children: list[Any]


T = TypeVar("T", bound=Traceable)


def pair_by_descent(old: list[T], new: list[T]) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pairs where one object was copied from the other, nearest ancestor first; then what
    is left of ``old`` and of ``new``."""
    pairs: list[tuple[T, T]] = []
    taken: set[int] = set()  # id() of the items paired

    def pair_with_ancestors(younger: list[T], elder: list[T], younger_is_new: bool) -> None:
        by_id: dict[int | None, T] = {item.id: item for item in elder if item.id is not None}
        if not by_id:
            return
        for item in younger:
            if id(item) in taken:
                continue
            for ancestor in (item.id, *item.lineage):
                found = by_id.get(ancestor)
                if found is not None and id(found) not in taken:
                    taken.update((id(item), id(found)))
                    pairs.append((found, item) if younger_is_new else (item, found))
                    break

    pair_with_ancestors(new, old, True)
    pair_with_ancestors(old, new, False)
    if not pairs:
        return pairs, old, new
    return (
        pairs,
        [item for item in old if id(item) not in taken],
        [item for item in new if id(item) not in taken],
    )


# The model behind each kind that remembers its origin (budget rows do not).
ORIGIN_MODELS: dict[str, Any] = {
    "goal": Goal,
    "indicator": Indicator,
    "perspective": Perspective,
    "focus_area": FocusArea,
    "section": Section,
    "strategy": Strategy,
    "assignment": Assignment,
    "activity": Activity,
}
MAX_LINEAGE = 200  # copies of copies followed at most this far back


def _by_kind(snap: dict[str, list[T]]) -> dict[str, list[T]]:
    """The items of a snapshot by kind, indicators (a goal's children) included."""
    kinds: dict[str, list[T]] = defaultdict(list)
    for kind, items in snap.items():
        kinds[kind].extend(items)
        for item in items:
            for child in item.children:
                kinds[child.kind].append(child)
    return kinds


def trace_origins(old: dict[str, list[T]], new: dict[str, list[T]], *, units: set[int]) -> None:
    """Follow each item's ``origin`` back through the copies in between (revisions, other
    years' plans of ``units``) until it reaches an object on the other side, and keep the
    way in ``Item.lineage``. At most one query per kind, and none when every copy points
    straight at the other side."""
    old_kinds, new_kinds = _by_kind(old), _by_kind(new)
    for kind, model in ORIGIN_MODELS.items():
        sides = [
            (items, {other.id for other in others if other.id is not None})
            for items, others in (
                (new_kinds.get(kind, []), old_kinds.get(kind, [])),
                (old_kinds.get(kind, []), new_kinds.get(kind, [])),
            )
        ]
        unfinished = [
            (item, targets)
            for items, targets in sides
            for item in items
            if item.origin is not None and item.origin not in targets and targets
        ]
        if not unfinished:
            continue
        path = "goal__plan__unit_id__in" if model is Indicator else "plan__unit_id__in"
        origins = dict(
            model.objects.filter(**{path: sorted(units)})
            .exclude(origin=None)
            .values_list("pk", "origin_id")
        )
        for item, targets in unfinished:
            if item.origin is not None:
                item.lineage = _lineage(item.origin, origins, targets)


def _lineage(start: int, origins: dict[int, int], targets: set[int]) -> tuple[int, ...]:
    chain = [start]
    while chain[-1] not in targets and chain[-1] in origins and len(chain) < MAX_LINEAGE:
        following = origins[chain[-1]]
        if following in chain:  # never, but a loop must not hang a page
            break
        chain.append(following)
    return tuple(chain)
