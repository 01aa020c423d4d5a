"""An entry's earlier texts, read from the audit trail.

Every write of an entry's text is an audited action (``save_followup``, ``carry.copy_forward``)
whose event keeps the text before and after, in the trail's hash chain. So the trail already
holds every version exactly, from the entry's first text on, and nothing is stored twice:
a version is each event of the entry whose ``after`` holds a ``comment`` different from the
text before it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from uppsikt.accounts.names import person_name
from uppsikt.audit.models import AuditEvent

from .models import FollowUp


@dataclass(frozen=True)
class Revision:
    number: int  # 1 for the first text, in order
    sequence: int  # the audit event's sequence number: the version's id in addresses
    text: str  # safe HTML, as stored
    written_at: datetime.datetime
    written_by: str
    copied: bool  # the text was fetched from an earlier period (``followup.copy``)


def revisions_of(entry: FollowUp) -> list[Revision]:
    """Every text the entry has had, oldest first; the last is the current text (when all
    writes went through the actions, as they do)."""
    events = (
        AuditEvent.objects.filter(object_type=FollowUp._meta.label_lower, object_id=str(entry.pk))
        .select_related("actor")
        .order_by("sequence")
    )
    revisions: list[Revision] = []
    text = ""
    for event in events:
        after = event.after if isinstance(event.after, dict) else {}
        if "comment" not in after or after["comment"] == text:
            continue
        text = after["comment"] or ""
        revisions.append(
            Revision(
                number=len(revisions) + 1,
                sequence=event.sequence,
                text=text,
                written_at=event.occurred_at,
                written_by=person_name(event.actor) if event.actor else event.actor_name,
                copied=event.action == "followup.copy",
            )
        )
    return revisions


def earlier_texts(entry: FollowUp) -> list[Revision]:
    """The versions before the current text, newest first."""
    revisions = revisions_of(entry)
    if revisions and revisions[-1].text == entry.comment:
        revisions = revisions[:-1]
    return list(reversed(revisions))
