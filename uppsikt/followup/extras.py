"""Extra parts of a follow-up entry that higher apps add to the form (values by hand, …).

An app registers a builder from its AppConfig's ``ready``::

    from uppsikt.followup import extras

    extras.register("indicator-values", build_value_parts)

``build(items, *, user, period, report, data, writable)`` returns ``{Item.key: [part]}``:
``writable`` is ``{Item.key: bool}`` (whether the entry's form may be written). A part is
shown inside the entry's fieldset through its own ``template`` (the variable ``part``), is
posted with the follow-up form and saved in the same transaction as the entries
(``forms.save_rows``): ``is_valid()``, ``has_changed()``, ``save(actor)`` (raising
``ValidationError``/``PermissionDenied`` through the app's own actions) and
``refuse(error)`` (show a refusal beside its fields); ``messages()`` are its errors, which
the form lists with the entry's (the page's error summary).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError

from uppsikt.lib.typing import Actor


class EntryPart(Protocol):
    template: str

    def is_valid(self) -> bool: ...
    def has_changed(self) -> bool: ...
    def save(self, actor: Actor) -> None: ...
    def refuse(self, error: ValidationError | PermissionDenied) -> None: ...
    def messages(self) -> list[str]: ...


Builder = Callable[..., dict[tuple, list[Any]]]  # lists of EntryPart
_BUILDERS: dict[str, Builder] = {}


def register(name: str, build: Builder) -> None:
    _BUILDERS[name] = build


def parts_for(items: list, **kwargs: Any) -> dict[tuple, list[EntryPart]]:
    """Every registered app's parts by ``Item.key``, in registration order."""
    result: dict[tuple, list[EntryPart]] = {}
    for build in _BUILDERS.values():
        for key, parts in build(items, **kwargs).items():
            result.setdefault(key, []).extend(parts)
    return result
