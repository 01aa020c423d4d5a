"""Who uses a styrmodell's keys: the apps above register how to count and move them.

``plans`` registers its goals (``Goal.kind`` holds a goal level's key) and ``indicators``
its assessments (a step's key), from their ``AppConfig.ready``. Changing a styrmodell
asks them (``in_use``) so that no goal or assessment is left with a key the model no longer
has; with a mapping the person confirmed, they move their rows (``move``).

``plans`` also registers its parts by content kind (``KINDS``: how many strategier,
uppdrag … its plans hold). Those are not moved: a styrmodell that stops using a kind
plans still hold is refused (no ``move``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from uppsikt.lib.typing import Actor

LEVELS, STEPS, KINDS = "levels", "steps", "kinds"


@dataclass(frozen=True)
class KeyUser:
    """``count(organisation_id) -> Counter {key: rows}``; ``move(organisation_id,
    {old: new}, actor=)`` rewrites the rows (audited by the app that owns them)."""

    label: str  # what the rows are, in the plural: "mål", "bedömningar"
    count: Callable[[int], Counter[str]]
    move: Callable[..., int] | None = None  # None: the rows cannot be moved (``KINDS``)
    one: str = ""  # one such row: "bedömning" (empty: as ``label``)


_USERS: dict[str, list[KeyUser]] = {LEVELS: [], STEPS: [], KINDS: []}


def register(kind: str, user: KeyUser) -> None:
    if user not in _USERS[kind]:
        _USERS[kind].append(user)


def users(kind: str) -> list[KeyUser]:
    return list(_USERS[kind])


def in_use(kind: str, organisation_id: int) -> dict[str, Counter[str]]:
    """Per registered user (its label), how many rows hold each key."""
    return {user.label: user.count(organisation_id) for user in _USERS[kind]}


def rows(label: str, count: int) -> str:
    """``label`` (as ``in_use`` names the rows) in the number ``count`` asks for."""
    for user in (user for users in _USERS.values() for user in users):
        if user.label == label and count == 1 and user.one:
            return user.one
    return label


def move(kind: str, organisation_id: int, mapping: dict[str, str], *, actor: Actor) -> int:
    return sum(
        user.move(organisation_id, mapping, actor=actor) for user in _USERS[kind] if user.move
    )
