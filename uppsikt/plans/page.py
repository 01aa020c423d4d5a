"""What other apps add to the plan and goal pages (registered from their ``ready()``).

A plan-page hook gets the plan's ``PlanDocument`` and the reader; it may attach content to
the document's nodes (budget tables, the internkontrollplan) or mark the goals (their latest
assessment), and returns extra template context or ``None``. A goal-page hook does the same
for one goal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from uppsikt.lib.registry import Registry

PageHook = Callable[[Any, Any], dict[str, Any] | None]

plan_page: Registry[PageHook] = Registry("plan page")
goal_page: Registry[PageHook] = Registry("goal page")


def contribute(registry: Registry[PageHook], subject: Any, user: Any) -> dict[str, Any]:
    """Run every hook on ``subject`` in order; their context, merged."""
    context: dict[str, Any] = {}
    for hook in registry:
        context.update(hook(subject, user) or {})
    return context
