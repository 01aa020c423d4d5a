"""Template tags for the review dialogue and copy forward on the unit's follow-up page.

The page's own view knows nothing of them: the include templates ask here, once per page
(the counts are kept on the request).
"""

from __future__ import annotations

from typing import Any

from django import template

from uppsikt.accounts.access import Perm, can

from ..actions import carry, dialogue
from ..actions.entries import LOCKED_REPORT_STATES

register = template.Library()


def _cached(context: template.Context, name: str, compute) -> Any:
    holder = context.get("request")
    store = getattr(holder, "_followup_dialogue", None) if holder is not None else None
    if store is None:
        store = {}
        if holder is not None:
            holder._followup_dialogue = store
    if name not in store:
        store[name] = compute()
    return store[name]


@register.simple_tag(takes_context=True)
def dialogue_count(context: template.Context, entry) -> int:
    """How many comments the entry's thread has."""
    if entry is None:
        return 0
    counts = _cached(
        context,
        "counts",
        lambda: dialogue.thread_counts(context["period"], context["unit"]),
    )
    return counts.get(entry.pk, 0)


@register.simple_tag(takes_context=True)
def report_thread(context: template.Context) -> list:
    return dialogue.report_thread(context["unit"], context["period"])


@register.simple_tag(takes_context=True)
def may_comment(context: template.Context) -> bool:
    return dialogue.may_post_now(context["user"], context["period"], context["unit"].pk)


@register.simple_tag(takes_context=True)
def copyable_count(context: template.Context) -> int:
    """How many of the page's entries without text "Hämta texter" would fill for the
    visitor (0 when they may not: no REPORT, a closed period, a locked report)."""
    period, unit, user = context["period"], context["unit"], context["user"]
    report = context.get("report")
    if not period.is_open or not can(user, Perm.REPORT, unit):
        return 0
    if report is not None and report.state in LOCKED_REPORT_STATES:
        return 0
    sources = carry.earlier_texts(period, [unit])
    rows = context.get("rows") or []
    return sum(
        1
        for row in rows
        if row.writable and (row.entry is None or not row.entry.comment) and row.item.key in sources
    )


@register.simple_tag
def new_comment_form():
    from ..dialogue_views import CommentForm

    return CommentForm(auto_id="id_report_%s")
