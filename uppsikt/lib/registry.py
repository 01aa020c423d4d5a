"""Ordered registries that higher apps fill from their ``AppConfig.ready()``.

A page of a lower app that shows a higher app's content (a unit page listing its
internkontrollplaner, a plan page with budget tables) asks a registry instead of importing
the higher app, so apps depend downward only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries by key, read in ``order`` (then key). Registering a key again replaces its
    entry, so a ``ready()`` that runs twice does not add it twice."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, tuple[int, T]] = {}

    def register(self, key: str, entry: T, *, order: int = 50) -> None:
        self._entries[key] = (order, entry)

    def __iter__(self) -> Iterator[T]:
        for _key, (_order, entry) in sorted(
            self._entries.items(), key=lambda item: (item[1][0], item[0])
        ):
            yield entry

    def items(self) -> list[tuple[str, T]]:
        ordered = sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))
        return [(key, entry) for key, (_order, entry) in ordered]

    def get(self, key: str) -> T | None:
        found = self._entries.get(key)
        return found[1] if found else None

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._entries)}>"
