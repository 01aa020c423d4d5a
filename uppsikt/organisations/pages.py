"""What the organisation and unit pages show of other apps' content.

Plans list a unit's plans, internal control links its internkontrollplaner: each app
registers a ``Panel`` from its ``ready()``; the page renders the panels in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from uppsikt.lib.registry import Registry


@dataclass(frozen=True)
class Panel:
    """``template`` is included with ``panel`` in its context: the dict ``context(subject,
    user)`` returns, or nothing at all when it returns ``None``."""

    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


unit_panels: Registry[Panel] = Registry("unit page")
organisation_panels: Registry[Panel] = Registry("organisation page")


def panels(registry: Registry[Panel], subject: Any, user: Any) -> list[dict[str, Any]]:
    shown = []
    for panel in registry:
        context = panel.context(subject, user)
        if context is not None:
            shown.append({"template": panel.template, **context})
    return shown
