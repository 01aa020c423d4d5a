"""What other apps add to the plan and goal pages (registered from their ``ready()``).

A plan-page hook gets the plan's ``PlanDocument`` and the reader; it may attach content to
the document's nodes (budget tables, the internkontrollplan) or mark the goals (their latest
assessment), and returns extra template context or ``None``. A goal-page hook does the same
for one goal.

``indicator_links``: links shown beside an indicator in the draft editor (``plans:edit``)
and on its form, e.g. the indicators app's "Målregel och målvärden". A hook gets the
``Indicator`` and the user and returns ``(label, url)`` pairs; it should cost no query (it
runs for every indicator on the editor page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from uppsikt.lib.registry import Registry

PageHook = Callable[[Any, Any], dict[str, Any] | None]

plan_page: Registry[PageHook] = Registry("plan page")
goal_page: Registry[PageHook] = Registry("goal page")

IndicatorLinks = Callable[[Any, Any], list[tuple[str, str]]]
indicator_links: Registry[IndicatorLinks] = Registry("indicator links")


def contribute(registry: Registry[PageHook], subject: Any, user: Any) -> dict[str, Any]:
    """Run every hook on ``subject`` in order; their context, merged."""
    context: dict[str, Any] = {}
    for hook in registry:
        context.update(hook(subject, user) or {})
    return context


def links_for_indicator(indicator: Any, user: Any) -> list[tuple[str, str]]:
    """Every registered link for ``indicator``, in order."""
    return [link for hook in indicator_links for link in hook(indicator, user)]
