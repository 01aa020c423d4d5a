"""The audit trail's vocabulary: every action name an event may carry, with its Swedish label.

Each app that records events declares its action names once, from its ``AppConfig.ready``,
in one module of its own (``<app>/audit_actions.py``)::

    vocabulary.declare("budget", {"budget.import": gettext_lazy("Fil lästes in")})

A name is declared once, by one app; ``trail.record`` refuses a name nobody declared, so a
new action cannot reach the trail without its label. The pages showing events read labels
here (``label``). This module imports no other Uppsikt app.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The same limit as ``AuditEvent.action``.
MAX_LENGTH = 50
NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


class UndeclaredAction(ValueError):
    """An event with an action name that no app declared."""


@dataclass(frozen=True)
class Declaration:
    app_label: str
    label: Any  # a lazy translation: read it with str() where the language is known


_DECLARED: dict[str, Declaration] = {}


def declare(app_label: str, actions: Mapping[str, Any]) -> None:
    """Declare ``app_label``'s action names with their labels (``gettext_lazy``).

    Raises ``ImproperlyConfigured`` for a name declared before (by this or another app), a
    malformed name or an empty label; nothing is declared then.
    """
    problems = []
    for name, label in actions.items():
        earlier = _DECLARED.get(name)
        if earlier is not None:
            problems.append(f"{name!r} is already declared by the app {earlier.app_label!r}")
        elif not isinstance(name, str) or not NAME.fullmatch(name) or len(name) > MAX_LENGTH:
            problems.append(
                f"{name!r} is not an action name (dotted lower-case words, "
                f"at most {MAX_LENGTH} characters)"
            )
        elif not str(label).strip():
            problems.append(f"{name!r} has no label")
    if problems:
        raise ImproperlyConfigured(
            f"Audit actions of the app {app_label!r} refused: " + "; ".join(problems) + "."
        )
    for name, label in actions.items():
        _DECLARED[name] = Declaration(app_label, label)


def is_declared(action: str) -> bool:
    return action in _DECLARED


def require_declared(action: str) -> None:
    """Raise ``UndeclaredAction`` unless some app declared ``action``."""
    if action not in _DECLARED:
        raise UndeclaredAction(
            f"The audit action {action!r} is not declared: declare it with its label in the "
            "owning app's audit_actions.py (see uppsikt.audit.vocabulary)."
        )


def label(action: str) -> str:
    """The action's label in the active language; the bare name only for a name no app
    declares any more (an event written before it was renamed or removed)."""
    declaration = _DECLARED.get(action)
    return str(declaration.label) if declaration is not None else action


def owner(action: str) -> str | None:
    """The label of the app that declared ``action``, or None."""
    declaration = _DECLARED.get(action)
    return declaration.app_label if declaration is not None else None


def declared() -> Mapping[str, Any]:
    """Every declared name with its (lazy) label, read-only."""
    return MappingProxyType({name: d.label for name, d in _DECLARED.items()})
